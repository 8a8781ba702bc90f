import { ConfigError, ShapeError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import {
  gradcheck,
  LOSSES,
  type Loss,
  type LossName,
  lossByName,
  Rng,
  softmaxCrossEntropy,
  Tensor,
} from '../../src/index.js';
import { backends, between, GRAD_TOL, PARITY_TOL, scaledDiff, uniform } from './helpers.js';

/** Predictions and targets valid for each loss: probabilities per row for softmax CE, [0, 1] for BCE. */
function targetsFor(name: LossName, rng: Rng, rows: number, cols: number): Float64Array {
  const t = uniform(rng, rows * cols, name === 'mse' ? -2 : 0, name === 'mse' ? 2 : 1);
  if (name === 'softmaxCrossEntropy') {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += t[r * cols + c];
      for (let c = 0; c < cols; c++) t[r * cols + c] /= s;
    }
  }
  return t;
}

describe('losses', () => {
  for (const name of LOSSES) {
    it(`${name}: gradient matches finite differences (f64) and WASM/f32 match TS f64`, async () => {
      const bs = await backends();
      const rng = new Rng(21);
      for (let trial = 0; trial < 3; trial++) {
        const [rows, cols] = [between(rng, 1, 6), between(rng, 2, 7)];
        const predData = uniform(rng, rows * cols, -3, 3);
        const targetData = targetsFor(name, rng, rows, cols);
        const pred = Tensor.from(bs.ts64, [rows, cols], predData);
        const target = Tensor.from(bs.ts64, [rows, cols], targetData);
        const loss = lossByName(name, bs.ts64);
        const r = gradcheck({
          forward: () => loss.forward(pred, target),
          backward: () => loss.backward(),
          params: [],
          input: pred,
        });
        expect(r.maxRelError, JSON.stringify(r.worst)).toBeLessThan(GRAD_TOL);
        const want = loss.forward(pred, target);
        const wantGrad = loss.backward().read();
        for (const backend of [bs.ts32, bs.wasm]) {
          const other = lossByName(name, backend);
          const p = Tensor.from(backend, [rows, cols], predData);
          // Plain numbers are accepted as targets too.
          const got = other.forward(p, targetData);
          expect(Math.abs(got - want) / Math.max(Math.abs(want), 1e-12)).toBeLessThan(PARITY_TOL);
          expect(scaledDiff(other.backward().read(), wantGrad)).toBeLessThan(PARITY_TOL);
          other.dispose();
          p.dispose();
        }
        loss.dispose();
        pred.dispose();
        target.dispose();
      }
    });
  }

  it('mse and bce match their formulas on a small case', async () => {
    const { ts64 } = await backends();
    const pred = Tensor.from(ts64, [2, 1], [1, -2]);
    expect(lossByName('mse', ts64).forward(pred, [0, 0])).toBeCloseTo(2.5, 12);
    const bce = lossByName('bceWithLogits', ts64);
    const want = (Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(-2))) / 2;
    expect(bce.forward(pred, [1, 0])).toBeCloseTo(want, 12);
    pred.dispose();
  });

  it('softmaxCrossEntropy takes class indices as numbers or a tensor, same as one-hot', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(4);
    const logits = Tensor.from(ts64, [3, 4], uniform(rng, 12, -2, 2));
    const oneHot = Tensor.from(ts64, [3, 4], [0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    const labels = Tensor.from(ts64, [3], [2, 0, 3]);
    const ce = softmaxCrossEntropy(ts64);
    const a = ce.forward(logits, oneHot);
    const ga = [...ce.backward().read()];
    expect(ce.forward(logits, Int32Array.from([2, 0, 3]))).toBe(a);
    expect([...ce.backward().read()]).toEqual(ga);
    expect(ce.forward(logits, labels)).toBe(a);
    // By hand: mean over rows of logsumexp(z) - z[label].
    const z = logits.read();
    let want = 0;
    for (const [r, k] of [
      [0, 2],
      [1, 0],
      [2, 3],
    ]) {
      const row = [0, 1, 2, 3].map((c) => z[r * 4 + c]);
      want += Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[k];
    }
    expect(a).toBeCloseTo(want / 3, 12);
    for (const t of [logits, oneHot, labels]) t.dispose();
    ce.dispose();
  });

  it('rejects mismatched shapes, label counts, bad labels and unknown names', async () => {
    const { ts64 } = await backends();
    const pred = Tensor.zeros(ts64, [3, 4]);
    const wrong = Tensor.zeros(ts64, [3, 5]);
    const losses: Loss[] = LOSSES.map((n) => lossByName(n, ts64));
    for (const l of losses) {
      expect(() => l.forward(pred, wrong)).toThrow(ShapeError);
      expect(() => l.forward(pred, wrong)).toThrow(/\[3, 5\].*\[3, 4\]/);
    }
    const ce = losses[1];
    expect(() => ce.forward(pred, [1, 2])).toThrow(ShapeError);
    expect(() => ce.forward(pred, [1, 2])).toThrow('2 labels for 3 rows');
    expect(() => ce.forward(pred, [1, 2, 4])).toThrow('label 4 at row 2 is not a class index in [0, 4)');
    expect(() => lossByName('hinge' as LossName, ts64)).toThrow(ConfigError);
    expect(() => losses[0].backward()).toThrow(/backward called before forward/);
    for (const l of losses) l.dispose();
    pred.dispose();
    wrong.dispose();
  });
});
