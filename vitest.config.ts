import { defineConfig } from 'vitest/config';

// Unit tests: model, engine, CLI — plain Node, no browser.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
  },
});
