import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: one file at a time (they share the 2 cores with the training worker),
// generous timeouts because they build the app and train real networks.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
