#!/usr/bin/env node
// The `lab` command. Runs the pre-built files (scripts/build-cli.mjs) when they are newer than every
// source file they were built from (the build lists them: statting those is cheaper than walking
// src/); otherwise (not built yet, or sources edited since) runs the sources through tsx, which
// prints the same bytes, only slower to start.
//
// CommonJS, not an ES module: Node starts a CommonJS main file without its ES module loader, and
// `require('node:fs')` hands over the module itself, where an ES import builds a facade by reading
// every export (node:fs's lazy ReadStream getter then loads all of node:stream). Together that was
// about a tenth of a `lab run`.
//
// Each built file (lab.cjs, and the chunk the lesson command loads when it is used) runs as a script
// with V8's code cache beside it: compiling 600 KB at every start was a large part of lab's start-up,
// and Node 20 keeps no code cache for ES modules. A cache is written at the end of a command's first
// run (so it holds the functions that run compiled too), one per command, named by its file's time
// and size, so a rebuilt file never meets an old cache (the build also empties the directory); V8
// itself refuses a cache from another Node version or other flags (then it is written again).
'use strict';
const { existsSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const root = join(__dirname, '..');
const dir = join(root, 'node_modules/.cache/isolation-lab');
const built = join(dir, 'lab.cjs');

/** Is the built file newer than every source file it was built from (the build lists them)? */
function builtIsFresh() {
  try {
    const builtAt = statSync(built).mtimeMs;
    const sources = JSON.parse(readFileSync(join(dir, 'lab.sources.json'), 'utf8'));
    return sources.every((file) => statSync(join(root, file)).mtimeMs <= builtAt);
  } catch {
    return false; // not built yet, or a source file was removed since
  }
}

/**
 * One code cache per command: a cache holds the functions its first run compiled, so the one
 * `lab check` wrote would leave `lab run` compiling most of the engine at every start. Any other
 * word (a typo, `help`) shares one, instead of leaving a cache file per word.
 */
const command = ['check', 'run', 'lesson'].includes(process.argv[2] ?? '') ? process.argv[2] : 'other';

/** The built files run so far (the entry and the chunks it loads on demand), by name. */
const loaded = new Map();

/** Runs a built file as a script with its code cache, once; gives its exports. */
function load(name) {
  if (loaded.has(name)) return loaded.get(name).exports;
  const file = join(dir, name);
  const { mtimeMs, size } = statSync(file);
  const source = readFileSync(file, 'utf8');
  const cacheFile = join(dir, `${name.replace(/\.cjs$/, '')}.${command}.${Math.round(mtimeMs)}-${size}.v8cache`);
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
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
  loaded.set(name, module); // before it runs: a chunk it loads may require it back
  const nodeRequire = createRequire(file);
  const require = (id) => (id.startsWith('./') ? load(id.slice(2)) : nodeRequire(id));
  script.runInThisContext()(module.exports, require, module, file, dir);
  return module.exports;
}

if (builtIsFresh()) {
  // A run allocates a few megabytes of short-lived objects (the engine's tables, transcripts) at
  // once: letting V8's young generation grow eight-fold at a time instead of two-fold halves the
  // scavenges (each copies everything still alive), for this process only. Set before the built
  // file is compiled, so its code cache always meets the same flags.
  require('node:v8').setFlagsFromString('--semi-space-growth-factor=8');
  load('lab.cjs');
} else {
  // tsx runs the TypeScript sources as ES modules (they use import.meta and top-level imports).
  import('tsx/esm/api')
    .then(({ register }) => {
      register();
      return import(require('node:url').pathToFileURL(join(root, 'src/cli/lab.ts')).href);
    })
    .catch((err) => {
      process.stderr.write(`lab: could not start from the sources (${err instanceof Error ? err.message : err}); run "npm ci" in the repository\n`);
      process.exitCode = 2;
    });
}
