import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { defineConfig, type Plugin, type ResolvedConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Content-Security-Policy is a <meta> in index.html, the same in development and production.
// The dev server's fast refresh would add an inline script, which that policy refuses: main.tsx
// imports the same preamble as a module instead, and this drops the inline copy.
const noInlinePreamble: Plugin = {
  name: 'no-inline-react-preamble',
  apply: 'serve',
  transformIndexHtml: {
    order: 'post',
    handler: (html) => html.replace(/<script type="module">\s*import \{ injectIntoGlobalHook \}[\s\S]*?<\/script>/, ''),
  },
};

/** Every file of the build, relative to it (the service worker caches them all). */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesIn(join(dir, e.name)) : [join(dir, e.name)],
  );
}

// Offline after the first load: writes dist/sw.js from its template with the list of the build's
// files and a version that changes whenever any of them does (which is what offers an update).
function serviceWorker(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'offline-service-worker',
    apply: 'build',
    configResolved: (c) => void (config = c),
    closeBundle() {
      const out = resolve(config.root, config.build.outDir);
      const files = filesIn(out).filter((f) => !f.endsWith('sw.js') && !f.endsWith('.map'));
      const hash = createHash('sha256');
      const assets = ['./', ...files.map((f) => `./${relative(out, f).split('\\').join('/')}`)].sort();
      for (const f of files.sort()) hash.update(f).update(readFileSync(f));
      const template = readFileSync(resolve(config.root, 'src/ui/offline/sw-template.js'), 'utf8');
      writeFileSync(
        join(out, 'sw.js'),
        template.replace('__VERSION__', JSON.stringify(hash.digest('hex').slice(0, 16))).replace('__ASSETS__', JSON.stringify(assets)),
      );
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the same build works from any sub-folder of a static host.
  base: './',
  plugins: [react(), noInlinePreamble, serviceWorker()],
  worker: { format: 'es' },
  build: { chunkSizeWarningLimit: 1500 },
});
