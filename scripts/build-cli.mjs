// Builds the `lab` command into one plain JavaScript file (node_modules/.cache/isolation-lab/lab.cjs),
// so `lab` starts like any Node script instead of compiling TypeScript on every run. Run by `npm ci`
// (the `prepare` script); never committed. bin/lab.cjs uses it while it is newer than the sources.
// CommonJS, because bin/lab.cjs runs it as a script with a V8 code cache (Node 20 has none for ES
// modules); emptying the directory also drops the code caches of the previous build. The lesson
// command is a chunk of its own (lab-lesson.cjs), loaded only when it is used.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const OUT_DIR = 'node_modules/.cache/isolation-lab';
const root = fileURLToPath(new URL('..', import.meta.url));

try {
  const output = await build({
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    build: {
      ssr: 'src/cli/lab.ts',
      outDir: OUT_DIR,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { entryFileNames: 'lab.cjs', chunkFileNames: 'lab-[name].cjs', format: 'cjs' } },
    },
    // One file with its libraries inside: nothing to resolve at start-up.
    ssr: { noExternal: true },
    // The engine's JavaScript SHA-256 and Ed25519 are replaced by node:crypto in the CLI (src/cli/nodeCrypto.ts).
    resolve: { alias: [{ find: /^@noble\/(curves\/ed25519|hashes\/sha2)\.js$/, replacement: fileURLToPath(new URL('../src/cli/cryptoLeftOut.ts', import.meta.url)) }] },
  });
  // The repository's files inside the built one: bin/lab.cjs runs the sources instead once one is newer.
  const ids = [output].flat().flatMap((o) => o.output).flatMap((chunk) => chunk.moduleIds ?? []);
  const sources = ids.filter((id) => id.startsWith(`${root}src/`)).map((id) => id.slice(root.length)).sort();
  if (sources.length === 0) throw new Error('the build lists no source file');
  writeFileSync(`${OUT_DIR}/lab.sources.json`, `${JSON.stringify(sources, null, 1)}\n`);
} catch (err) {
  // Not fatal: without the built file, bin/lab.cjs runs the sources through tsx.
  console.warn(`lab: the fast start-up build failed, so lab will run through tsx (${err instanceof Error ? err.message : err})`);
}
