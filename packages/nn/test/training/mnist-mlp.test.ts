import { createBackend } from '@vgp/core';
import { expect, it } from 'vitest';
import { buildModel, evaluate, fit, loadMnist } from '../../src/index.js';

// Real training on the 10,000 real digits of the `mnist` package, held-out split by seed. 1-nearest-
// neighbour scores about 94.8% on this split, so 94% asks the MLP to generalize, not to memorize: it
// fits the 8,000 training digits to ~99% and needs dropout to hold the test set above 94%.
it('a 784-128-10 ReLU MLP with Adam reaches at least 94% held-out accuracy on MNIST (WASM)', async () => {
  const backend = await createBackend('wasm');
  const started = performance.now();
  const { train, test } = await loadMnist({ train: 8000, test: 2000, seed: 1 });
  const model = buildModel(
    {
      kind: 'mlp',
      input: 784,
      output: 10,
      depth: 1,
      width: 128,
      activation: 'relu',
      init: 'heUniform',
      dropout: 0.3,
    },
    { backend, seed: 1 },
  );
  expect(model.params().map((p) => p.value.shape)).toEqual([[784, 128], [128], [128, 10], [10]]);
  const before = evaluate(model, test);
  const steps = 12 * Math.floor(8000 / 64);
  const r = fit(model, train, {
    optimizer: { kind: 'adam', lr: 2e-3 },
    loss: 'softmaxCrossEntropy',
    batchSize: 64,
    steps,
    seed: 1,
    schedule: { kind: 'cosine', total: steps },
  });
  const after = evaluate(model, test);
  const seconds = (performance.now() - started) / 1000;
  console.info(
    `mnist mlp: test accuracy ${after.accuracy} (before ${before.accuracy}), test loss ${after.loss.toFixed(4)}, ` +
      `last train loss ${r.losses[steps - 1].toFixed(4)}, ${steps} steps, ${seconds.toFixed(1)} s`,
  );
  expect(before.accuracy).toBeLessThan(0.2);
  expect(after.accuracy).toBeGreaterThanOrEqual(0.94);
  expect(after.loss).toBeLessThan(0.25);
  model.dispose();
  backend.dispose();
}, 120_000);
