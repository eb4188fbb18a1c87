// Where the `lab` commands read and write: the process by default, a test's buffers otherwise.
import { readFileSync } from 'node:fs';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads a file; "-" is standard input. */
  readFile: (path: string) => string;
}

export const nodeIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readFile: (p) => readFileSync(p === '-' ? 0 : p, 'utf8'),
};
