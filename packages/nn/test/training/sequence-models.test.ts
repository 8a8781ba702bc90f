import { type Backend, createBackend } from '@vgp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildModel, copyTask, evaluate, fit, loadMnist } from '../../src/index.js';

let backend: Backend;
beforeAll(async () => {
  backend = await createBackend('wasm');
});
afterAll(() => backend.dispose());

it("a recurrent spec with head 'sequence' learns the copy task beyond the blank baseline", () => {
  // T = 5, S = 3: 11 steps, 8 of them blank targets. Predicting blanks and guessing the symbols
  // scores 8/11 = 72.7% accuracy and a cross-entropy of 3 ln 8 / 11 = 0.567 per step.
  const train = copyTask({ n: 2048, length: 5, symbols: 3, seed: 1 });
  const test = copyTask({ n: 256, length: 5, symbols: 3, seed: 2 });
  const model = buildModel(
    { kind: 'recurrent', input: 10, output: 10, cell: 'lstm', hidden: 32, layers: 1, head: 'sequence' },
    { backend, seed: 1 },
  );
  const opts = {
    optimizer: { kind: 'adam', lr: 0.01 },
    loss: 'softmaxCrossEntropy',
    batchSize: 32,
    steps: 400,
  } as const;
  fit(model, train, { ...opts, clip: { norm: 1 } });
  const after = evaluate(model, test);
  const baseline = (3 * Math.log(8)) / 11;
  expect(after.loss).toBeLessThan(0.6 * baseline);
  expect(after.accuracy).toBeGreaterThan(0.85);
  model.dispose();
}, 60_000);

it('a GRU reads MNIST one row per step (the rows layout) well above chance', async () => {
  const { train, test } = await loadMnist({ train: 2000, test: 500, seed: 1, layout: 'rows' });
  const model = buildModel(
    { kind: 'recurrent', input: 28, output: 10, cell: 'gru', hidden: 32, layers: 1 },
    { backend, seed: 1 },
  );
  fit(model, train, {
    optimizer: { kind: 'adam', lr: 0.01 },
    loss: 'softmaxCrossEntropy',
    batchSize: 32,
    steps: 200,
  });
  expect(evaluate(model, test).accuracy).toBeGreaterThan(0.75);
  model.dispose();
}, 60_000);
