#!/usr/bin/env node
// The `lab` command. Runs the pre-built file (scripts/build-cli.mjs) when it is newer than every source
// file it was built from; otherwise (not built yet, or sources edited since) runs the sources through
// tsx, which prints the same bytes, only slower to start.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}node_modules/.cache/isolation-lab/lab.mjs`;

function newestSource() {
  let newest = 0;
  for (const dir of ['src/cli', 'src/lessons', 'src/model', 'src/sim']) {
    for (const entry of readdirSync(`${root}${dir}`, { recursive: true })) {
      newest = Math.max(newest, statSync(`${root}${dir}/${entry}`).mtimeMs);
    }
  }
  return newest;
}

if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) {
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(`${root}src/cli/lab.ts`);
}
