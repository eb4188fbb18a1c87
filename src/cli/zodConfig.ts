// zod builds a parser for each object schema with `new Function` on its first parse: worth it for
// many parses, not for the one or two board files a `lab` command reads, whose start-up it slowed.
// It must run before any schema is built (the setting is read then): lab.ts imports it before any module that builds a schema.
import { z } from 'zod';

z.config({ jitless: true });
