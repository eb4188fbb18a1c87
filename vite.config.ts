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

/** The script that keeps and fits the first view: inline in the built page, the same file in every build. */
const BOOT_SCRIPT = 'src/ui/prerender-boot.js';
const bootScript = (root: string) => readFileSync(resolve(root, BOOT_SCRIPT), 'utf8');

// The page runs one inline script, the first view's (BOOT_SCRIPT), which the policy allows by its
// hash; imported boards and share links are data and never run. The dev server has no first view but
// serves the same policy, so both carry the hash.
function bootScriptPolicy(): Plugin {
  let root = '';
  return {
    name: 'boot-script-policy',
    configResolved: (c) => void (root = c.root),
    transformIndexHtml: (page) => {
      const hash = createHash('sha256').update(bootScript(root)).digest('base64');
      if (!page.includes("script-src 'self';")) throw new Error(`boot-script-policy: index.html's CSP has no "script-src 'self';"`);
      return page.replace("script-src 'self';", () => `script-src 'self' 'sha256-${hash}';`);
    },
  };
}

// The first view in index.html, made when the page is built (src/ui/prerender.tsx): the diagram is on
// the screen before the JavaScript has loaded. The page's own modules are run in Node to make it, by a
// server of their own (with its own dependency cache: the dev server's stays as it is).
function prerenderFirstView(): Plugin {
  let config: ResolvedConfig;
  let html = '';
  return {
    name: 'prerender-first-view',
    apply: 'build',
    configResolved: (c) => void (config = c),
    async buildStart() {
      for (const f of ['src/ui/prerender.tsx', BOOT_SCRIPT]) this.addWatchFile(resolve(config.root, f));
      const cacheDir = mkdtempSync(join(tmpdir(), 'isolation-lab-prerender-'));
      const server = await createServer({
        root: config.root,
        configFile: false,
        cacheDir,
        plugins: [react()],
        appType: 'custom',
        // No pre-bundling of the browser's dependencies for this one SSR load: its scan could still be
        // writing into cacheDir when the server had closed, and removing cacheDir then failed (ENOTEMPTY).
        optimizeDeps: { noDiscovery: true },
        logLevel: 'error',
        server: { middlewareMode: true, ws: false, watch: null },
      });
      try {
        const { prerender } = (await server.ssrLoadModule('/src/ui/prerender.tsx')) as { prerender: () => string };
        html = prerender();
      } finally {
        await server.close();
        rmSync(cacheDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      }
    },
    transformIndexHtml: {
      order: 'post',
      // Nothing the first frame needs is fetched: the copy, the page's styles and the script that keeps
      // the copy are in the HTML. Fetched, the styles and that script each waited for a round trip
      // before anything was drawn (the diagram on screen about 50 ms later, alternated 13 times with a
      // bare React page). The script goes right after the copy, and runs as soon as it is parsed.
      // The page's code (start.tsx) is not preloaded: it is fetched when it runs, just after the frame
      // that paints the copy. Preloaded, its fetch and compiling took the network and the processors
      // that frame needed (the diagram on screen about 80 ms later, and the page taking input no
      // sooner). The build makes one style sheet for the whole page (build.cssCodeSplit below), so no
      // code loaded later brings styles of its own to fetch.
      handler: (page, ctx) => {
        const boot = bootScript(config.root);
        // (Replaced by functions: a `$` in the copy's text is not a replacement pattern.)
        return page
          .replace(/<link rel="stylesheet"[^>]*href="\.\/([^"]+\.css)"[^>]*>/g, (_link, file: string) => {
            const css = ctx.bundle?.[file];
            if (!css || css.type !== 'asset') throw new Error(`prerender-first-view: ${file} is not in the build`);
            const text = String(css.source);
            if (/<\/style/i.test(text)) throw new Error(`prerender-first-view: ${file} cannot be inlined (it contains "</style")`);
            delete ctx.bundle![file]; // in the page, not beside it
            return `<style>${text}</style>`;
          })
          .replace('<div id="root"></div>', () => `<div id="root"></div>\n    ${html}\n    <script>${boot}</script>`);
      },
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the same build works from any sub-folder of a static host.
  base: './',
  plugins: [react(), noInlinePreamble, bootScriptPolicy(), prerenderFirstView(), serviceWorker()],
  worker: { format: 'es' },
  build: {
    // One style sheet, inline in the page (prerenderFirstView): code loaded later fetches none.
    cssCodeSplit: false,
    chunkSizeWarningLimit: 1500,
    // Making the first view takes most of a build, by design: no warning about the time it takes.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
