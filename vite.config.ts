import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The built page runs no inline or foreign script: imported boards and share links are data.
// (Only for the build: the dev server's hot reload needs an inline preamble.)
const contentSecurityPolicy: Plugin = {
  name: 'content-security-policy',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: {
        'http-equiv': 'Content-Security-Policy',
        content:
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'",
      },
      injectTo: 'head-prepend',
    },
  ],
};

export default defineConfig({
  // Relative asset URLs: the same build works from any sub-folder of a static host.
  base: './',
  plugins: [react(), contentSecurityPolicy],
  worker: { format: 'es' },
  build: { chunkSizeWarningLimit: 1500 },
});
