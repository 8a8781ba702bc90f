import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/wasm-backend.js';

// The f32x4 exp/sigmoid/tanh of assembly/simd-math.ts, measured through the kernels that use them
// on a dense grid and at the edges the parity table does not reach (|x| up to 1e30, Infinity, NaN,
// -0, denormals). Errors are in units of f32 epsilon (2^-23) relative to max(|want|, 1), i.e.
// absolute below 1, as the parity table states its tolerances.
const EPS = 2 ** -23;
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

function grid(): Float32Array {
  const xs: number[] = [];
  for (let i = 0; i <= 200_000; i++) xs.push(-100 + i / 1000); // steps of 1e-3 over [-100, 100]
  for (let e = -45; e <= 30; e++) xs.push(10 ** e, -(10 ** e)); // denormals up to 1e30
  xs.push(0, -0, 0.625, -0.625, 88.7, -88.7, 87.3, -87.4, 103, -103);
  return Float32Array.from(xs);
}

async function apply(kind: 'sigmoid' | 'tanh' | 'swish', x: Float32Array): Promise<Float32Array> {
  const be = await WasmBackend.create({ build: 'simd' });
  const b = be.alloc(x.length);
  be.write(b, x);
  be.activation(kind, b, b, 0);
  return be.read(b);
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
  it.each([
    ['sigmoid', sigmoid],
    ['tanh', Math.tanh],
    ['swish', (v: number) => v * sigmoid(v)],
  ] as const)('%s is within 2 eps over [-100, 100] and at the edges', async (kind, f) => {
    const got = await apply(kind, x);
    const err = maxErr(x, got, f);
    // Measured: sigmoid 0.74, tanh 0.73, swish 1.16 eps.
    expect(err).toBeLessThanOrEqual(2);
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
