import { describe, expect, it } from 'vitest';
import type { Backend, Buf } from '../src/backend.js';
import { TsBackend } from '../src/ts-backend.js';
import { WasmBackend } from '../src/wasm-backend.js';

// The WASM column kernels walk rows over blocks of 1024 columns (assembly/columns.ts); the parity
// table's shapes stay below one block, so these shapes cross block boundaries (1024 + 3 and
// 2 * 1024 + 5 columns) and compare against the float64 reference.
const SHAPES: [number, number][] = [
  [5, 1027],
  [4, 2053],
];

function data(n: number, seed: number, offset = 0): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return offset + (s / 2 ** 32) * 2 - 1;
  });
}

/** Runs `f` on a backend with fresh copies of the inputs; returns every output read back. */
function run(be: Backend, inputs: Float32Array[], f: (b: Buf[]) => Buf[]): number[][] {
  const bufs = inputs.map((v) => {
    const b = be.alloc(v.length);
    be.write(b, v);
    return b;
  });
  const outs = f(bufs).map((b) => Array.from(be.read(b)));
  for (const b of bufs) be.free(b);
  return outs;
}

function expectClose(got: number[][], want: number[][], tol: number): void {
  for (const [k, w] of want.entries()) {
    const g = got[k];
    for (let i = 0; i < w.length; i++) {
      if (Math.abs(g[i] - w[i]) > tol * Math.max(1, Math.abs(w[i]))) {
        expect.fail(`output ${k}[${i}]: wasm ${g[i]}, reference ${w[i]}`);
      }
    }
  }
}

describe.each(SHAPES)('WASM column kernels across column blocks, %i x %i', (rows, cols) => {
  const ref = new TsBackend({ precision: 'f64' });
  const both = async (inputs: Float32Array[], f: (be: Backend, b: Buf[]) => Buf[], tol: number) => {
    const wasm = await WasmBackend.create({ build: 'simd' });
    expectClose(
      run(wasm, inputs, (b) => f(wasm, b)),
      run(ref, inputs, (b) => f(ref, b)),
      tol,
    );
  };
  const n = rows * cols;

  it('biasGrad', () =>
    both(
      [data(n, 1), data(cols, 2)],
      (be, [dy, db]) => {
        be.biasGrad(dy, rows, cols, 0.5, db);
        return [db];
      },
      1e-6,
    ));

  it('batchNormForward, batchNormInference and batchNormBackward', () =>
    both(
      [data(n, 3, 2), data(cols, 4), data(cols, 5), data(cols, 6), data(cols, 7, 2), data(n, 8)],
      (be, [x, g, b, rm, rv, dy]) => {
        const [y, mean, inv, y2, dx, dg, db] = [n, cols, cols, n, n, cols, cols].map((k) => be.alloc(k));
        be.batchNormForward(x, rows, cols, g, b, 1e-5, 0.1, rm, rv, y, mean, inv);
        be.batchNormInference(x, rows, cols, g, b, rm, rv, 1e-5, y2);
        be.batchNormBackward(dy, x, rows, cols, g, mean, inv, dx, dg, db);
        return [y, mean, inv, rm, rv, y2, dx, dg, db];
      },
      1e-4, // dx = k*(N*dy - sum dy - xhat*sum dy*xhat) cancels over few rows, amplifying f32 rounding
    ));

  it('layerNormBackward', () =>
    both(
      [data(n, 9, 1), data(cols, 10), data(n, 11)],
      (be, [x, g, dy]) => {
        const [y, mean, inv, dx, dg, db] = [n, rows, rows, n, cols, cols].map((k) => be.alloc(k));
        be.layerNormForward(x, rows, cols, g, g, 1e-5, y, mean, inv);
        be.layerNormBackward(dy, x, rows, cols, g, mean, inv, dx, dg, db);
        return [y, dx, dg, db];
      },
      1e-5,
    ));

  it('countDeadUnits', async () => {
    const y = data(n, 12);
    // Make columns 0, 1024 (the first of the second block) and the last dead on every row.
    for (let r = 0; r < rows; r++)
      for (const c of [0, 1024, cols - 1]) y[r * cols + c] = -Math.abs(y[r * cols + c]);
    const wasm = await WasmBackend.create({ build: 'simd' });
    const count = (be: Backend) => {
      const b = be.alloc(n);
      be.write(b, y);
      return be.countDeadUnits(b, rows, cols);
    };
    expect(count(wasm)).toBe(count(ref));
    expect(count(wasm)).toBeGreaterThanOrEqual(3);
  });
});
