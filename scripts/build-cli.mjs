// Builds the `lab` command into one plain JavaScript file (node_modules/.cache/isolation-lab/lab.mjs),
// so `lab` starts like any Node script instead of compiling TypeScript on every run. Run by `npm ci`
// (the `prepare` script); never committed. bin/lab.mjs uses it while it is newer than the sources.
import { build } from 'vite';

const OUT_DIR = 'node_modules/.cache/isolation-lab';

try {
  await build({
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    build: {
      ssr: 'src/cli/lab.ts',
      outDir: OUT_DIR,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { entryFileNames: 'lab.mjs', format: 'es' } },
    },
    // One file with its libraries inside: nothing to resolve at start-up.
    ssr: { noExternal: true },
  });
} catch (err) {
  // Not fatal: without the built file, bin/lab.mjs runs the sources through tsx.
  console.warn(`lab: the fast start-up build failed, so lab will run through tsx (${err instanceof Error ? err.message : err})`);
}
