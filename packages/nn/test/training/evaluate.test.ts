import { describe, expect, it } from 'vitest';
import { buildModel, evaluate, type LossName, lossByName, Tensor, toy2d } from '../../src/index.js';
import { BACKEND_KINDS, backendOf } from './backends.js';

describe.each(BACKEND_KINDS)('evaluate on %s', (kind) => {
  const cases: [LossName, number, boolean][] = [
    ['bceWithLogits', 1, true],
    ['softmaxCrossEntropy', 2, true],
    ['mse', 1, false],
  ];

  it.each(cases)(
    '%s: the loss of the fused kernel on the whole set; padding the last batch changes nothing',
    async (loss, output, labels) => {
      const backend = await backendOf(kind);
      const base = toy2d('moons', { n: 20, noise: 0.1, seed: 1 });
      const data = labels ? base : { ...base, classes: undefined };
      const model = buildModel(
        { kind: 'mlp', input: 2, output, depth: 1, width: 8, activation: 'tanh' },
        { backend, seed: 1 },
      );
      const x = Tensor.from(backend, [20, 2], data.x);
      const pred = model.forward(x, { training: false });
      const fused = lossByName(loss, backend);
      const want = fused.forward(pred, data.y);
      const outs = pred.read();
      const whole = evaluate(model, data, { loss, batchSize: 20 });
      const padded = evaluate(model, data, { loss, batchSize: 7 });
      expect(whole.loss).toBeCloseTo(want, kind === 'ts' ? 10 : 5);
      expect(padded.loss).toBeCloseTo(whole.loss, kind === 'ts' ? 12 : 6);
      expect(padded.samples).toBe(20);
      if (labels) {
        let correct = 0;
        for (let i = 0; i < 20; i++) {
          const guess = output === 1 ? (outs[i] > 0 ? 1 : 0) : outs[2 * i + 1] > outs[2 * i] ? 1 : 0;
          correct += guess === data.y[i] ? 1 : 0;
        }
        expect(whole.accuracy).toBe(correct / 20);
        expect(padded.accuracy).toBe(whole.accuracy);
      } else {
        expect(whole.accuracy).toBeUndefined();
      }
      fused.dispose();
      x.dispose();
      model.dispose();
    },
  );
});
