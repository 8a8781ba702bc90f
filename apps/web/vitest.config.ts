import { defineConfig } from 'vitest/config';

// Unit tests: plain Node, no browser. The browser suite has its own config (vitest.e2e.config.ts).
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], environment: 'node' },
});
