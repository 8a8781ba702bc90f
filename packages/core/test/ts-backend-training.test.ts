import { describe, expect, it } from 'vitest';
import { dropoutUniform } from '../src/backend.js';
import { TsBackend } from '../src/ts-backend.js';

// Hand-worked values for the losses, norms, cells, optimizers, reductions and dropout of the reference.

const be = new TsBackend({ precision: 'f64' });
type B = ReturnType<typeof be.alloc>;
const buf = (xs: number[]) => {
  const b = be.alloc(xs.length);
  be.write(b, xs);
  return b;
};
const arr = (b: B) => Array.from(be.read(b));
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const close = (got: number[], want: number[], digits = 12) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) expect(got[i], `index ${i}`).toBeCloseTo(want[i], digits);
};

describe('TsBackend losses', () => {
  it('mseLoss', () => {
    const g = be.alloc(2);
    expect(be.mseLoss(buf([1, 3]), buf([0, 0]), g)).toBe(5);
    expect(arr(g)).toEqual([1, 3]);
  });

  it('softmaxCrossEntropy of uniform logits is log(cols)', () => {
    const g = be.alloc(6);
    const l = be.softmaxCrossEntropy(buf([5, 5, 5, -1e4, -1e4, -1e4]), buf([1, 0, 0, 0, 0, 1]), 2, 3, g);
    expect(l).toBeCloseTo(Math.log(3), 10); // z - lse at |z| = 1e4 keeps ~12 digits
    close(
      arr(g),
      [1 / 3 - 1, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3 - 1].map((v) => v / 2),
    );
  });

  it('bceWithLogits is stable for large logits', () => {
    const g = be.alloc(3);
    const l = be.bceWithLogits(buf([0, 800, -800]), buf([1, 1, 1]), g);
    // log 2 + 0 + 800, averaged over 3.
    expect(l).toBeCloseTo((Math.log(2) + 800) / 3, 12);
    close(arr(g), [-0.5 / 3, 0, -1 / 3]);
  });
});

describe('TsBackend normalization', () => {
  it('batchNormForward, its running statistics, inference and backward', () => {
    // One column [1, 3]: mean 2, biased var 1, unbiased var 2.
    const y = be.alloc(2);
    const mean = be.alloc(1);
    const inv = be.alloc(1);
    const rm = buf([0]);
    const rv = buf([1]);
    be.batchNormForward(buf([1, 3]), 2, 1, buf([2]), buf([0.5]), 0, 0.1, rm, rv, y, mean, inv);
    expect(arr(y)).toEqual([-1.5, 2.5]);
    expect(arr(mean)).toEqual([2]);
    expect(arr(inv)).toEqual([1]);
    close(arr(rm), [0.2]);
    close(arr(rv), [0.9 + 0.2]);
    be.batchNormInference(buf([4]), 1, 1, buf([2]), buf([0.5]), buf([2]), buf([4]), 0, y);
    expect(arr(y)[0]).toBe(2 * (2 / 2) + 0.5);
    const dx = be.alloc(2);
    const dg = buf([9]);
    const db = buf([9]);
    be.batchNormBackward(buf([1, 0]), buf([1, 3]), 2, 1, buf([2]), mean, inv, dx, dg, db);
    // xhat = [-1, 1]; dbeta = 1; dgamma = -1; dx = 2*1/2 * (2*dy - 1 - xhat*(-1)) = [0, 0].
    expect(arr(db)).toEqual([1]);
    expect(arr(dg)).toEqual([-1]);
    expect(arr(dx)).toEqual([0, 0]);
  });

  it('layerNormForward and backward', () => {
    const y = be.alloc(2);
    const mean = be.alloc(1);
    const inv = be.alloc(1);
    be.layerNormForward(buf([1, 3]), 1, 2, buf([1, 2]), buf([0, 1]), 0, y, mean, inv);
    expect(arr(y)).toEqual([-1, 3]);
    const dx = be.alloc(2);
    const dg = be.alloc(2);
    const db = be.alloc(2);
    be.layerNormBackward(buf([1, 1]), buf([1, 3]), 1, 2, buf([1, 2]), mean, inv, dx, dg, db);
    // g = [1, 2], sum g = 3, sum g*xhat = 1; dx = 1/2 * (2g - 3 - xhat) = [0, 0].
    expect(arr(dx)).toEqual([0, 0]);
    expect(arr(dg)).toEqual([-1, 1]);
    expect(arr(db)).toEqual([1, 1]);
  });
});

describe('TsBackend recurrent cells', () => {
  it('lstmCellForward and lstmCellBackward', () => {
    const gates = buf([0.1, 0.2, 0.3, 0.4]);
    const c = be.alloc(1);
    const h = be.alloc(1);
    be.lstmCellForward(gates, buf([0.5]), 1, 1, c, h);
    const [i, f, g, o] = [sig(0.1), sig(0.2), Math.tanh(0.3), sig(0.4)];
    close(arr(gates), [i, f, g, o], 15);
    const cv = f * 0.5 + i * g;
    close(arr(c), [cv], 15);
    close(arr(h), [o * Math.tanh(cv)], 15);
    const dg = be.alloc(4);
    const dc = buf([0.3]);
    be.lstmCellBackward(gates, buf([0.5]), c, buf([1]), dc, 1, 1, dg, dc);
    const tc = Math.tanh(cv);
    const dct = 0.3 + o * (1 - tc * tc);
    close(arr(dg), [dct * g * i * (1 - i), dct * 0.5 * f * (1 - f), dct * i * (1 - g * g), tc * o * (1 - o)]);
    close(arr(dc), [dct * f]);
  });

  it('gruCellForward and gruCellBackward', () => {
    const gx = buf([0.1, 0.2, 0.3]);
    const gh = buf([0.4, -0.5, 0.6]);
    const h = be.alloc(1);
    be.gruCellForward(gx, gh, buf([0.7]), 1, 1, h);
    const r = sig(0.5);
    const z = sig(-0.3);
    const n = Math.tanh(0.3 + r * 0.6);
    close(arr(gx), [r, z, n], 15);
    close(arr(h), [(1 - z) * n + z * 0.7], 15);
    const dgx = be.alloc(3);
    const dgh = be.alloc(3);
    const dhp = be.alloc(1);
    be.gruCellBackward(gx, gh, buf([0.7]), buf([2]), 1, 1, dgx, dgh, dhp);
    const dn = 2 * (1 - z) * (1 - n * n);
    const dz = 2 * (0.7 - n) * z * (1 - z);
    const dr = dn * 0.6 * r * (1 - r);
    close(arr(dgx), [dr, dz, dn]);
    close(arr(dgh), [dr, dz, dn * r]);
    close(arr(dhp), [2 * z]);
  });
});

describe('TsBackend optimizers', () => {
  it('sgdStep, momentumStep (plain and Nesterov), rmspropStep', () => {
    const w = buf([1]);
    be.sgdStep(w, buf([2]), 0.1, 0.5);
    close(arr(w), [1 - 0.1 * 2.5]);
    for (const nesterov of [false, true]) {
      const wm = buf([1]);
      const v = buf([0.5]);
      be.momentumStep(wm, buf([2]), v, 0.1, 0.9, 0, nesterov);
      close(arr(v), [2.45]);
      close(arr(wm), [1 - 0.1 * (nesterov ? 2 + 0.9 * 2.45 : 2.45)]);
    }
    const wr = buf([1]);
    const sq = buf([0]);
    be.rmspropStep(wr, buf([2]), sq, 0.01, 0.99, 1e-8, 0);
    close(arr(sq), [0.04]);
    close(arr(wr), [1 - (0.01 * 2) / (0.2 + 1e-8)]);
  });

  it('adamStep takes a first step of about lr, and AdamW decays the weight first', () => {
    for (const decoupled of [false, true]) {
      const w = buf([1]);
      const m = be.alloc(1);
      const v = be.alloc(1);
      be.adamStep(w, buf([0.3]), m, v, 0.01, 0.9, 0.999, 1e-8, 0.1, 1, decoupled);
      const g = decoupled ? 0.3 : 0.3 + 0.1;
      close(arr(m), [0.1 * g]);
      close(arr(v), [0.001 * g * g]);
      const w0 = decoupled ? 1 - 0.01 * 0.1 : 1;
      close(arr(w), [w0 - (0.01 * g) / (g + 1e-8)]);
    }
  });
});

describe('TsBackend reductions and dropout', () => {
  it('sum, sumSquares, maxAbs, counts', () => {
    const x = buf([3, -4, 0, 1e-9, Number.POSITIVE_INFINITY]);
    expect(be.sum(buf([1, 2, -4]))).toBe(-1);
    expect(be.sumSquares(buf([3, -4]))).toBe(25);
    expect(be.maxAbs(buf([3, -4]))).toBe(4);
    expect(be.maxAbs(buf([3, Number.NaN, 1e9]))).toBeNaN();
    expect(be.maxAbs(be.alloc(0))).toBe(0);
    expect(be.countNonFinite(x)).toBe(1);
    expect(be.countNonFinite(buf([Number.NaN, Number.NEGATIVE_INFINITY, 1]))).toBe(2);
    expect(be.countNearZero(x, 1e-6)).toBe(2);
    expect(be.countSaturated('sigmoid', buf([0.005, 0.5, 0.995]))).toBe(2);
    expect(be.countSaturated('tanh', buf([-0.995, 0.5, 0.98]))).toBe(1);
    // Columns: [0,-1] dead, [1,0] alive, [-2,-3] dead.
    expect(be.countDeadUnits(buf([0, 1, -2, -1, 0, -3]), 2, 3)).toBe(2);
  });

  it('logHistogram clamps out-of-range values to the end bins and skips non-finite ones', () => {
    const bins = buf([1, 0, 0, 0]);
    // [-4, 0) in 4 bins of one decade each.
    be.logHistogram(buf([0, 1e-9, 2e-4, 0.05, 0.5, 1, 1e9, Number.NaN, -0.003]), -4, 0, bins);
    expect(arr(bins)).toEqual([1 + 3, 1, 1, 1 + 2]);
  });

  it('dropoutForward draws its mask from dropoutUniform', () => {
    const n = 1000;
    const x = be.alloc(n);
    be.fill(x, 2);
    const y = be.alloc(n);
    const mask = be.alloc(n);
    be.dropoutForward(x, 0.25, 42, y, mask);
    const m = arr(mask);
    for (let i = 0; i < n; i++) expect(m[i]).toBe(dropoutUniform(42, i) >= 0.25 ? 1 / 0.75 : 0);
    expect(arr(y)).toEqual(m.map((v) => 2 * v));
    const kept = m.filter((v) => v > 0).length;
    expect(kept).toBeGreaterThan(700);
    expect(kept).toBeLessThan(800);
  });
});
