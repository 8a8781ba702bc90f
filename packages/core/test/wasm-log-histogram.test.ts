import { describe, expect, it } from 'vitest';
import { TsBackend } from '../src/ts-backend.js';
import { WasmBackend } from '../src/wasm-backend.js';

// The WASM logHistogram finds bins by comparing bit patterns with precomputed bin edges once a
// buffer is long enough (n >= 64 * bins); the parity table's buffers mostly stay below that. Here
// long buffers, values on and next to every bin edge, and many bin counts must give exactly the
// counts of the literal formula (the float64 TsBackend).
function values(): Float32Array {
  const out: number[] = [];
  let s = 7;
  for (let i = 0; i < 100_000; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push((i % 2 ? -1 : 1) * 10 ** (-14 + 18 * (s / 2 ** 32))); // log-uniform over 1e-14..1e4
  }
  // Around every edge of every bin count used below, and at powers of ten: the value, one f32 ulp
  // above and one below.
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (const bins of [7, 12, 48, 500]) {
    for (let b = 0; b <= bins; b++) {
      f[0] = 10 ** (-10 + (12 * b) / bins);
      for (const d of [-1, 0, 1]) {
        u[0] += d;
        out.push(f[0]);
        u[0] -= d;
      }
    }
  }
  out.push(0, -0, 1e-45, 3e-39, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3.4e38);
  return Float32Array.from(out);
}

describe('WASM logHistogram on long buffers', () => {
  const x = values();
  it.each([1, 7, 12, 48, 500])('matches the formula exactly with %i bins', async (bins) => {
    const wasm = await WasmBackend.create({ build: 'simd' });
    const ref = new TsBackend({ precision: 'f64' });
    const run = (be: WasmBackend | TsBackend, lo: number, hi: number) => {
      const b = be.alloc(x.length);
      be.write(b, x);
      const h = be.alloc(bins);
      be.write(
        h,
        Array.from({ length: bins }, (_, i) => i % 3),
      );
      be.logHistogram(b, lo, hi, h);
      return Array.from(be.read(h));
    };
    for (const [lo, hi] of [
      [-10, 2],
      [-7.3, 1.1],
    ]) {
      const got = run(wasm, lo, hi);
      expect(got).toEqual(run(ref, lo, hi));
      const added =
        got.reduce((a, v) => a + v, 0) -
        Array.from({ length: bins }, (_, i) => i % 3).reduce((a, v) => a + v, 0);
      expect(added).toBe(x.length - 3); // every value but NaN and the two infinities
    }
  });
});
