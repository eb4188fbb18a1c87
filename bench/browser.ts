// Page figures, each beside a baseline measured in the same run (`npm run bench` prints them).
//
// Initial JS: the gzip size of the scripts index.html loads up front (its scripts, and the modules it
// preloads: the page's code, run once the first view made at build time is painted),
// beside a React "hello" page built by the same Vite.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import react from '@vitejs/plugin-react';

/** Bytes (gzip -9) of the JS that dist/index.html loads up front. */
function initialJsGzip(dist: string): number {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const urls = new Set([...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="(?:modulepreload|preload)"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1]!));
  return [...urls].reduce((n, u) => n + gzipSync(readFileSync(join(dist, u)), { level: 9 }).length, 0);
}

async function buildApp(): Promise<string> {
  await build({ logLevel: 'silent' });
  return resolve('dist');
}

/** The smallest React page: the floor any React app starts from. */
async function buildHello(): Promise<string> {
  const root = resolve('node_modules/.bench-hello');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="./main.jsx"></script>');
  writeFileSync(
    join(root, 'main.jsx'),
    "import { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(<h1>hello</h1>);\n",
  );
  await build({ root, configFile: false, base: './', logLevel: 'silent', plugins: [react()], build: { outDir: join(root, 'dist') } });
  return join(root, 'dist');
}

export const INITIAL_JS_BUDGET_KIB = 200;

export async function browserRows(): Promise<[string, string, string, string][]> {
  const app = initialJsGzip(await buildApp());
  const hello = initialJsGzip(await buildHello());
  const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  return [
    [
      'initial JS of the page, gzip (consoles and xterm load after the first paint)',
      kib(app),
      `React hello: ${kib(hello)}`,
      `${(app / hello).toFixed(2)}×; budget ≤ ${INITIAL_JS_BUDGET_KIB} KiB: ${app <= INITIAL_JS_BUDGET_KIB * 1024 ? 'met' : 'MISSED'}`,
    ],
  ];
}
