import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/wasm-backend.js';

// The f32x4 exp/sigmoid/tanh of assembly/simd-math.ts, measured through the kernels that use them
// on a dense grid and at the edges the parity table does not reach (|x| up to 1e30, Infinity, NaN,
// -0, denormals). Errors are in units of f32 epsilon (2^-23) relative to max(|want|, 1), i.e.
// absolute below 1, as the parity table states its tolerances.
const EPS = 2 ** -23;
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const [SA, SL, GC, GK] = [1.6732632423543772, 1.0507009873554805, Math.sqrt(2 / Math.PI), 0.044715];
const geluS = (x: number) => sigmoid(2 * GC * (x + GK * x ** 3));
type Kind = 'sigmoid' | 'tanh' | 'swish' | 'elu' | 'selu' | 'gelu' | 'softplus';
/** Forward formulas, float64 (elu with alpha = 0.5). */
const F: Partial<Record<Kind, (x: number) => number>> = {
  sigmoid,
  tanh: Math.tanh,
  swish: (x) => x * sigmoid(x),
  elu: (x) => (x > 0 ? x : 0.5 * Math.expm1(x)),
  selu: (x) => SL * (x > 0 ? x : SA * Math.expm1(x)),
  gelu: (x) => x * geluS(x),
};
/** Derivatives, float64. */
const D: Partial<Record<Kind, (x: number) => number>> = {
  elu: (x) => (x > 0 ? 1 : 0.5 * Math.exp(x)),
  selu: (x) => (x > 0 ? SL : SL * SA * Math.exp(x)),
  gelu: (x) => {
    const s = geluS(x);
    return s + 2 * x * s * (1 - s) * GC * (1 + 3 * GK * x * x);
  },
  softplus: sigmoid,
  swish: (x) => sigmoid(x) * (1 + x * (1 - sigmoid(x))),
};

function grid(): Float32Array {
  const xs: number[] = [];
  for (let i = 0; i <= 200_000; i++) xs.push(-100 + i / 1000); // steps of 1e-3 over [-100, 100]
  for (let e = -45; e <= 30; e++) xs.push(10 ** e, -(10 ** e)); // denormals up to 1e30
  xs.push(0, -0, 0.625, -0.625, 88.7, -88.7, 87.3, -87.4, 103, -103);
  return Float32Array.from(xs);
}

async function apply(kind: Kind, x: Float32Array): Promise<Float32Array> {
  const be = await WasmBackend.create({ build: 'simd' });
  const b = be.alloc(x.length);
  be.write(b, x);
  be.activation(kind, b, b, 0.5);
  return be.read(b);
}

/** dx for dy = 1: the derivative itself. */
async function derive(kind: Kind, x: Float32Array): Promise<Float32Array> {
  const be = await WasmBackend.create({ build: 'simd' });
  const [xb, yb, g] = [be.alloc(x.length), be.alloc(x.length), be.alloc(x.length)];
  be.write(xb, x);
  be.activation(kind, xb, yb, 0.5);
  be.fill(g, 1);
  be.activationGrad(kind, xb, yb, g, g, 0.5);
  return be.read(g);
}

function maxErr(x: Float32Array, got: Float32Array, f: (v: number) => number): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const want = f(x[i]);
    worst = Math.max(worst, Math.abs(got[i] - want) / Math.max(Math.abs(want), 1) / EPS);
  }
  return worst;
}

describe('WASM f32x4 transcendentals', () => {
  const x = grid();
  // Measured max errors (eps): sigmoid 0.53, tanh 0.67, swish 0.82, elu 0.18, selu 1.11, gelu 0.78;
  // derivatives: elu 0.17, selu 0.91, gelu 0.95, softplus 0.53, swish 1.24.
  it.each(Object.entries(F))('%s is within 2 eps over [-100, 100] and at the edges', async (kind, f) => {
    expect(maxErr(x, await apply(kind as Kind, x), f)).toBeLessThanOrEqual(2);
  });

  it.each(Object.entries(D))("%s' is within 2 eps over [-100, 100] and at the edges", async (kind, d) => {
    expect(maxErr(x, await derive(kind as Kind, x), d)).toBeLessThanOrEqual(2);
  });

  it('keep the special values: NaN stays NaN, +-Infinity saturate, -0 keeps its sign in tanh', async () => {
    const specials = Float32Array.of(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0);
    const s = await apply('sigmoid', specials);
    expect(Array.from(s)).toEqual([Number.NaN, 1, 0, 0.5]);
    const t = await apply('tanh', specials);
    expect(Array.from(t)).toEqual([Number.NaN, 1, -1, -0]);
    expect(Object.is(t[3], -0)).toBe(true);
  });

  it('softmax rows with huge spreads stay finite, sum to 1 and put 0 where exp underflows', async () => {
    const be = await WasmBackend.create({ build: 'simd' });
    const row = Float32Array.of(0, -50, -87, -88, -104, -1e30, 3, 3);
    const b = be.alloc(row.length);
    be.write(b, row);
    be.softmax(b, 1, row.length, b);
    const y = be.read(b);
    const z = Array.from(row, (v) => Math.exp(v - 3));
    const total = z.reduce((a, v) => a + v, 0);
    for (let i = 0; i < row.length; i++) expect(Math.abs(y[i] - z[i] / total)).toBeLessThanOrEqual(2 * EPS);
    expect(y[5]).toBe(0);
    expect(Math.abs(y.reduce((a, v) => a + v, 0) - 1)).toBeLessThanOrEqual(4 * EPS);
  });
});
