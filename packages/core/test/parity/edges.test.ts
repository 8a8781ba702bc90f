import { beforeAll, describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  type ActivationKind,
  type Backend,
  type Buf,
  DEFAULT_ALPHA,
} from '../../src/backend.js';
import { ALL_BACKENDS } from '../properties/backends.js';

const BIG = 1e30;
/** Below f32's smallest normal (1.18e-38), still representable; rounded so every backend holds the same. */
const DENORMAL = Math.fround(1e-40);
const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;
/** Activations built on exp (or tanh): the ones that can overflow to Inf and then to NaN. */
const EXP_BASED: ActivationKind[] = ['sigmoid', 'tanh', 'elu', 'selu', 'gelu', 'softplus', 'swish'];

describe.each(ALL_BACKENDS)('edge values on $label', ({ make }) => {
  let be: Backend;
  beforeAll(async () => {
    be = await make();
  });
  const buf = (xs: number[]) => {
    const b = be.alloc(xs.length);
    be.write(b, xs);
    return b;
  };
  const arr = (b: Buf) => Array.from(be.read(b));

  it.each(EXP_BASED)('activation and activationGrad of %s at +-1e30 never give NaN', (kind) => {
    const x = buf([BIG, -BIG, 0]);
    const y = be.alloc(3);
    const dx = be.alloc(3);
    be.activation(kind, x, y, DEFAULT_ALPHA[kind]);
    be.activationGrad(kind, x, y, buf([1, 1, 1]), dx, DEFAULT_ALPHA[kind]);
    expect(arr(y).some(Number.isNaN), `y = ${arr(y)}`).toBe(false);
    expect(arr(dx).some(Number.isNaN), `dx = ${arr(dx)}`).toBe(false);
  });

  it('sigmoid and softplus saturate exactly at +-1e30 (documented: no overflow)', () => {
    const x = buf([BIG, -BIG]);
    const y = be.alloc(2);
    be.activation('sigmoid', x, y, 0);
    expect(arr(y)).toEqual([1, 0]);
    be.activation('softplus', x, y, 0);
    expect(arr(y)[0]).toBeCloseTo(BIG, -24);
    expect(arr(y)[1]).toBe(0);
    be.activationGrad('softplus', x, y, buf([1, 1]), y, 0);
    expect(arr(y)).toEqual([1, 0]);
  });

  it('activations pass denormals through where f(x) ~ x, not flushed to zero', () => {
    const x = buf([DENORMAL, -DENORMAL]);
    const y = be.alloc(2);
    for (const kind of ['identity', 'tanh', 'leakyRelu', 'elu'] as const) {
      be.activation(kind, x, y, 1);
      expect(arr(y)[0], kind).toBe(DENORMAL);
    }
  });

  it('every activation maps zeros to finite values with the PyTorch kink conventions', () => {
    for (const kind of ACTIVATIONS) {
      const alpha = kind === 'leakyRelu' ? 0.25 : kind === 'elu' ? 0.5 : DEFAULT_ALPHA[kind];
      const x = buf([0, -0]);
      const y = be.alloc(2);
      const dx = be.alloc(2);
      be.activation(kind, x, y, alpha);
      be.activationGrad(kind, x, y, buf([1, 1]), dx, alpha);
      const want = { relu: 0, leakyRelu: 0.25, elu: 0.5 }[kind as string];
      if (want !== undefined) expect(arr(dx), kind).toEqual([want, want]);
      expect(arr(y).concat(arr(dx)).every(Number.isFinite), kind).toBe(true);
    }
  });

  it('softmax, softmaxCrossEntropy and bceWithLogits stay finite with logits of +-1e30', () => {
    const z = buf([BIG, -BIG, 0, 1]);
    const p = be.alloc(4);
    be.softmax(z, 1, 4, p);
    expect(arr(p)).toEqual([1, 0, 0, 0]);
    const grad = be.alloc(4);
    expect(be.softmaxCrossEntropy(z, buf([1, 0, 0, 0]), 1, 4, grad)).toBe(0);
    expect(arr(grad).every(Number.isFinite)).toBe(true);
    const bce = be.bceWithLogits(z, buf([1, 1, 0.5, 0]), grad);
    expect(Number.isFinite(bce)).toBe(true);
    // Only the -1e30 logit with target 1 costs anything: 1e30, averaged over 4.
    expect(bce / (BIG / 4)).toBeCloseTo(1, 5);
    expect(arr(grad).every(Number.isFinite)).toBe(true);
  });

  it('gemm and axpby with beta = 0 ignore NaN and Infinity in the output', () => {
    const c = buf([NAN, INF, -INF, NAN]);
    be.gemm(false, false, 2, 2, 1, 1, buf([1, 2]), buf([3, 4]), 0, c);
    expect(arr(c)).toEqual([3, 4, 6, 8]);
    const y = buf([NAN, INF]);
    be.axpby(2, buf([1, 2]), 0, y);
    expect(arr(y)).toEqual([2, 4]);
  });

  it('gemm propagates NaN and Infinity from A and B, as IEEE arithmetic does', () => {
    const c = be.alloc(2);
    be.gemm(false, false, 2, 1, 1, 1, buf([NAN, INF]), buf([1]), 0, c);
    expect(Number.isNaN(arr(c)[0])).toBe(true);
    expect(arr(c)[1]).toBe(INF);
  });

  it('reductions: maxAbs NaN, counts of NaN and Infinity, sums of denormals kept in float64', () => {
    expect(be.maxAbs(buf([1, NAN, 2]))).toBeNaN();
    expect(be.maxAbs(buf([NAN]))).toBeNaN();
    expect(be.maxAbs(buf([1, -INF]))).toBe(INF);
    expect(be.maxAbs(buf([]))).toBe(0);
    expect(be.countNonFinite(buf([NAN, INF, -INF, 0, DENORMAL, 3e38]))).toBe(3);
    expect(be.countNearZero(buf([0, -0, DENORMAL, NAN, 1e-3]), Math.fround(1e-6))).toBe(3);
    // A vanishing gradient of 1e-25 squares to 1e-50, zero in f32: float64 accumulation must keep it,
    // or the norm of a vanished gradient would read as exactly 0.
    const tiny = Math.fround(1e-25);
    expect(be.sumSquares(buf([tiny, tiny]))).toBeCloseTo(2 * tiny * tiny, 60);
    expect(be.sumSquares(buf([tiny]))).toBeGreaterThan(0);
    expect(be.sum(buf([DENORMAL, DENORMAL, DENORMAL]))).toBe(3 * DENORMAL);
    // An exploding gradient of 1e20 squares to 1e40, Infinity in f32; float64 keeps it finite.
    const huge = Math.fround(1e20);
    expect(be.sumSquares(buf([huge, huge]))).toBe(2 * huge * huge);
  });

  it('paramStats and moments read tiny, huge, NaN and Infinity as sumSquares does', () => {
    const tiny = Math.fround(1e-25);
    const huge = Math.fround(1e20);
    const out = new Float64Array(4);
    be.paramStats(buf([huge, huge]), buf([tiny, tiny]), null, 0, out);
    // 2e40 overflows f32 and 2e-50 underflows it: both must come out as the float64 sums.
    expect(out[0] / (2 * huge * huge)).toBeCloseTo(1, 6);
    expect(out[1] / (2 * tiny * tiny)).toBeCloseTo(1, 6);
    expect([out[2], out[3]]).toEqual([0, 0]);
    be.paramStats(buf([1, INF]), buf([NAN, 1]), null, 0, out);
    expect(out[0]).toBe(INF);
    expect(out[1]).toBeNaN();
    const m = new Float64Array(3);
    be.moments(buf([huge, huge, tiny]), 0, null, m);
    expect(m[0] / (2 * huge)).toBeCloseTo(1, 6);
    expect(m[1] / (2 * huge * huge)).toBeCloseTo(1, 6);
    be.moments(buf([tiny, tiny]), 0, 'sigmoid', m);
    expect(m[1] / (2 * tiny * tiny)).toBeCloseTo(1, 6);
    expect(m[2]).toBe(2);
  });

  it('logHistogram puts zeros and denormals in bin 0, huge values in the last, skips NaN/Inf', () => {
    const bins = be.alloc(4);
    be.logHistogram(buf([0, -0, DENORMAL, 3e38, NAN, INF, -INF, 1]), -8, 0, bins);
    expect(arr(bins)).toEqual([3, 0, 0, 2]);
  });

  it('clipByValue maps +-Infinity to the limits', () => {
    const x = buf([INF, -INF, 0.5]);
    be.clipByValue(x, 2);
    expect(arr(x)).toEqual([2, -2, 0.5]);
  });
});
