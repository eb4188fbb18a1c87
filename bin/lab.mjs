#!/usr/bin/env node
// The `lab` command. Runs the pre-built file (scripts/build-cli.mjs) when it is newer than every source
// file it was built from (listed by the build: statting those is cheaper than walking src/); otherwise (not built yet, or sources edited since) runs the sources through
// tsx, which prints the same bytes, only slower to start.
//
// The built file is run as a script with V8's code cache beside it: compiling its 700 KB on every
// start was a large part of lab's start-up, and Node 20 keeps no code cache for ES modules. The cache
// is written at the end of the first run (so it holds the functions that run used too) and named by
// the built file's time and size, so a rebuilt file never meets an old cache (the build also empties
// the directory); V8 itself refuses a cache from another Node version (then it is written again).
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = `${root}node_modules/.cache/isolation-lab`;
const built = `${dir}/lab.cjs`;

/** Is the built file newer than every source file it was built from (the build lists them)? */
function builtIsFresh() {
  try {
    const builtAt = statSync(built).mtimeMs;
    const sources = JSON.parse(readFileSync(`${dir}/lab.sources.json`, 'utf8'));
    return sources.every((file) => statSync(`${root}${file}`).mtimeMs <= builtAt);
  } catch {
    return false; // not built yet, or a source file was removed since
  }
}

function runBuilt() {
  const { mtimeMs, size } = statSync(built);
  const source = readFileSync(built, 'utf8');
  const cacheFile = `${dir}/lab.${Math.round(mtimeMs)}-${size}.v8cache`;
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: built, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // Only a slower next start: the cache directory may be read-only.
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(built), module, built, dir);
}

if (builtIsFresh()) {
  runBuilt();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(`${root}src/cli/lab.ts`);
}
