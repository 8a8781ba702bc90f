import { defineConfig } from 'vitest/config';

// Tests that train or sweep parity tables take seconds alone and several times that when turbo runs
// every package at once on CI's 2 cores: the 5 s default would fail on load, not on behaviour.
export default defineConfig({
  test: {
    testTimeout: 60_000,
  },
});
