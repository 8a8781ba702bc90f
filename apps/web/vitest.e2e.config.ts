import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: build once (global setup), then one file at a time (they share the
// 2 cores with the training worker); generous timeouts because they train real networks.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
