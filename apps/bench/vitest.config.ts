import { defineConfig } from 'vitest/config';

// The bench tests run real (small) training: under CI's load on 2 cores a run of a second can take
// ten, so the 5 s default would fail on load, not on behaviour.
export default defineConfig({
  test: {
    testTimeout: 120_000,
  },
});
