import { defineConfig } from 'vitest/config';

// End-to-end tests: the production build, served from a sub-folder, driven in headless Chromium.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    // The page runs a worker on a real clock: give it time on a busy machine before a poll fails.
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
});
