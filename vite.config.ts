import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createServer, defineConfig, type Plugin, type ResolvedConfig } from 'vite';
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

// The first view in index.html, made when the page is built (src/ui/prerender.tsx): the diagram is on
// the screen before the JavaScript has loaded. The page's own modules are run in Node to make it, by a
// server of their own (with its own dependency cache: the dev server's stays as it is); the script
// that fits the copy to the window goes beside the build's other files, named by its content.
function prerenderFirstView(): Plugin {
  let config: ResolvedConfig;
  let html = '';
  return {
    name: 'prerender-first-view',
    apply: 'build',
    configResolved: (c) => void (config = c),
    async buildStart() {
      const sources = ['src/ui/prerender.tsx', 'src/ui/prerender-boot.js'].map((f) => resolve(config.root, f));
      for (const f of sources) this.addWatchFile(f);
      const cacheDir = mkdtempSync(join(tmpdir(), 'isolation-lab-prerender-'));
      const server = await createServer({
        root: config.root,
        configFile: false,
        cacheDir,
        plugins: [react()],
        appType: 'custom',
        logLevel: 'error',
        server: { middlewareMode: true, ws: false, watch: null },
      });
      try {
        const { prerender } = (await server.ssrLoadModule('/src/ui/prerender.tsx')) as {
          prerender: (bootTemplate: string) => { html: string; boot: string };
        };
        const made = prerender(readFileSync(sources[1]!, 'utf8'));
        html = made.html;
        this.emitFile({ type: 'asset', name: 'prerender-boot.js', source: made.boot });
      } finally {
        await server.close();
        rmSync(cacheDir, { recursive: true, force: true });
      }
    },
    transformIndexHtml: {
      order: 'post',
      // The script before the page's module, deferred (it runs first of the two, once the copy is
      // parsed); the copy after the page's root. The page's code (start.tsx) is not preloaded: it is
      // fetched when it runs, just after the frame that paints the copy. Preloaded, its fetch and
      // compiling took the network and the processors that the styles and that frame needed (the
      // diagram on screen about 80 ms later, and the page taking input no sooner). Its styles are
      // needed for the first paint.
      handler: (page, ctx) => {
        const files = Object.values(ctx.bundle ?? {});
        const start = files.find((c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/ui/start.tsx'));
        if (!start || start.type !== 'chunk') throw new Error('prerender-first-view: the start.tsx chunk is missing');
        const boot = files.find((f) => f.type === 'asset' && f.names.includes('prerender-boot.js'));
        if (!boot) throw new Error('prerender-first-view: prerender-boot.js is missing');
        const links = [...(start.viteMetadata?.importedCss ?? [])].map((f) => `<link rel="stylesheet" crossorigin href="./${f}">`);
        // (Replaced by functions: a `$` in the copy's text is not a replacement pattern.)
        return page
          .replace('<script type="module"', () => `<script defer src="./${boot.fileName}"></script>\n    <script type="module"`)
          .replace('</head>', () => `  ${links.join('\n    ')}\n  </head>`)
          .replace('<div id="root"></div>', () => `<div id="root"></div>\n    ${html}`);
      },
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the same build works from any sub-folder of a static host.
  base: './',
  plugins: [react(), noInlinePreamble, prerenderFirstView(), serviceWorker()],
  worker: { format: 'es' },
  build: {
    chunkSizeWarningLimit: 1500,
    // Making the first view takes most of a build, by design: no warning about the time it takes.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
