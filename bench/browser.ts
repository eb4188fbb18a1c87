// Page figures, each beside a baseline measured in the same run (`npm run bench` prints them).
//
// Initial JS: the gzip size of the scripts the page loads up front (index.html's scripts, inline or
// not, and the page's code that its module imports at once, just after the first view made at build
// time is painted: start.tsx and the chunks it imports, read from the build's manifest), beside a
// React "hello" page built by the same Vite.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import react from '@vitejs/plugin-react';

type Manifest = Record<string, { file: string; imports?: string[] }>;

/** Bytes (gzip -9) of the JS the page in `dist` loads up front; `startModule`: the module its entry imports at once. */
function initialJsGzip(dist: string, startModule?: string): number {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = new Set([...html.matchAll(/<script[^>]*\bsrc="(?:\.\/)?([^"]+\.js)"/g)].map((m) => m[1]!));
  if (startModule) {
    const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Manifest;
    if (!manifest[startModule]) throw new Error(`initial JS: ${startModule} is not in the build's manifest`);
    const add = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || files.has(chunk.file)) return;
      files.add(chunk.file);
      chunk.imports?.forEach(add);
    };
    add(startModule);
  }
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => Buffer.from(m[1]!));
  return [...[...files].map((f) => readFileSync(join(dist, f))), ...inline].reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
}

async function buildApp(): Promise<string> {
  await build({ logLevel: 'silent', build: { manifest: true } });
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
  const app = initialJsGzip(await buildApp(), 'src/ui/start.tsx');
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
