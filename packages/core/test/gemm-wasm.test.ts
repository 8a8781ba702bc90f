// The WASM gemm (packed panels, 4x8 SIMD micro-kernel, KC/MC/NC blocking) against a naive float64
// product. Sizes straddle every width the kernel cares about: the vector (4), the micro-tile
// (4 rows x 8 columns) and the cache blocks (KC=512 deep, MC=120 rows, NC=512 columns).
// The cross-backend parity suite lives elsewhere; this file pins the kernel's own edge cases.
import { describe, expect, it } from 'vitest';
import { type Backend, createBackend } from '../src/index.js';
import { relaxedSimdSupported } from '../src/wasm-loader.js';

type Build = 'debug' | 'simd' | 'relaxed';

// Node 20 rejects relaxed SIMD without a V8 flag; where the engine accepts it, it is tested too.
const builds: Build[] = ['debug', 'simd'];
if (await relaxedSimdSupported()) builds.push('relaxed');

/** mulberry32: a tiny seeded generator so every failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomMatrix(len: number, next: () => number): Float32Array {
  return Float32Array.from({ length: len }, () => next() * 2 - 1);
}

interface Case {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
}

const U = 2 ** -24;

function firstDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
} // unit roundoff of float32

/**
 * Runs one gemm on the backend and checks every element against float64 within the a-priori
 * bound of a k-term float32 dot product, (k + 4) * u * (|alpha| sum|a||b| + |beta c|), which holds
 * for any summation order (blocked or fused). C sits at an odd offset inside a larger buffer, so
 * the kernel also sees an unaligned C and must leave the sentinels around it untouched.
 */
function checkGemm(be: Backend, cs: Case, seed: number, cInit?: Float32Array): void {
  const { transA, transB, m, n, k, alpha, beta } = cs;
  const next = rng(seed);
  const a = randomMatrix(m * k, next);
  const b = randomMatrix(k * n, next);
  const c0 = cInit ?? randomMatrix(m * n, next);
  const SENTINEL = 12345;
  const aBuf = be.alloc(a.length);
  const bBuf = be.alloc(b.length);
  const cOuter = be.alloc(m * n + 2);
  be.write(aBuf, a);
  be.write(bBuf, b);
  const cInitAll = new Float32Array(m * n + 2).fill(SENTINEL);
  cInitAll.set(c0, 1);
  be.write(cOuter, cInitAll);
  const cBuf = be.view(cOuter, 1, m * n);

  be.gemm(transA, transB, m, n, k, alpha, aBuf, bBuf, beta, cBuf);

  const out = be.read(cOuter);
  expect(out[0]).toBe(SENTINEL);
  expect(out[m * n + 1]).toBe(SENTINEL);
  // Inputs are read-only (packing copies them); compared by index, as toEqual on long arrays is slow.
  expect(firstDifference(be.read(aBuf), a)).toBe(-1);
  expect(firstDifference(be.read(bBuf), b)).toBe(-1);
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const av = a[transA ? p * m + i : i * k + p];
        const bv = b[transB ? j * k + p : p * n + j];
        dot += av * bv;
        mag += Math.abs(av * bv);
      }
      const old = beta === 0 ? 0 : beta * c0[i * n + j];
      const want = alpha * dot + old;
      const bound = (k + 4) * U * (Math.abs(alpha) * mag + Math.abs(old)) + 1e-30;
      const got = out[1 + i * n + j];
      // Ratio of the error to its bound; a NaN here (got is NaN) fails the check below.
      worst = Math.max(worst, Math.abs(got - want) / bound);
      if (!(Math.abs(got - want) <= bound)) {
        expect.fail(`${JSON.stringify(cs)}: C[${i},${j}] = ${got}, want ${want} (bound ${bound})`);
      }
    }
  }
  expect(worst).toBeLessThanOrEqual(1);
  be.free(aBuf);
  be.free(bBuf);
  be.free(cOuter);
}

const TRANSPOSES: Array<[boolean, boolean]> = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

describe.each(builds)('gemm (wasm %s build)', (build) => {
  let be: Backend;
  const backend = async (): Promise<Backend> => {
    be ??= await createBackend('wasm', { wasmBuild: build });
    return be;
  };

  it.each(TRANSPOSES)(
    'square sizes straddling the tile widths, transA=%s transB=%s',
    async (transA, transB) => {
      const b = await backend();
      for (const s of [1, 3, 5, 17, 63, 64, 65, 129]) {
        checkGemm(b, { transA, transB, m: s, n: s, k: s, alpha: 1, beta: 0 }, s);
        checkGemm(b, { transA, transB, m: s, n: s, k: s, alpha: -0.75, beta: 1.5 }, 1000 + s);
      }
    },
  );

  it.each(TRANSPOSES)(
    'm, n, k all different and across cache blocks, transA=%s transB=%s',
    async (transA, transB) => {
      const b = await backend();
      // [m, n, k]: k > KC (several k-slices, later ones accumulate), m > MC (several A blocks),
      // n > NC (several B blocks), and 1 in each position.
      const shapes: Array<[number, number, number]> = [
        [2, 9, 300],
        [121, 17, 3],
        [1, 129, 1],
        [129, 1, 65],
        [7, 1, 513],
        [130, 33, 257],
        [125, 19, 1030],
        [3, 2050, 5],
        [13, 517, 9],
        [5, 1029, 600],
      ];
      shapes.forEach(([m, n, k], i) => {
        checkGemm(b, { transA, transB, m, n, k, alpha: 1, beta: 0 }, 7 * i);
        checkGemm(b, { transA, transB, m, n, k, alpha: 0.5, beta: -2 }, 7 * i + 1);
      });
    },
  );

  it.each(TRANSPOSES)('beta = 0 ignores NaN and Inf in C, transA=%s transB=%s', async (transA, transB) => {
    const b = await backend();
    for (const [m, n, k] of [
      [5, 9, 300],
      [64, 64, 64],
    ] as const) {
      const poisoned = Float32Array.from({ length: m * n }, (_, i) => (i % 2 ? Number.NaN : -Infinity));
      checkGemm(b, { transA, transB, m, n, k, alpha: 2, beta: 0 }, m + n + k, poisoned);
    }
  });

  it('k = 0 leaves beta * C (zeros over NaN when beta = 0)', async () => {
    const b = await backend();
    const c = b.alloc(6);
    const empty = b.alloc(0);
    b.write(c, [1, 2, 3, 4, 5, 6]);
    b.gemm(false, false, 2, 3, 0, 1, empty, empty, 0.5, c);
    expect(Array.from(b.read(c))).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    b.write(c, [Number.NaN, 1, 2, 3, 4, 5]);
    b.gemm(true, true, 2, 3, 0, 1, empty, empty, 0, c);
    expect(Array.from(b.read(c))).toEqual([0, 0, 0, 0, 0, 0]);
    b.free(c);
    b.free(empty);
  });

  it('exact small product, and beta = 1 accumulates', async () => {
    const b = await backend();
    const a = b.alloc(6);
    const bm = b.alloc(6);
    const c = b.alloc(4);
    b.write(a, [1, 2, 3, 4, 5, 6]); // 2x3
    b.write(bm, [7, 8, 9, 10, 11, 12]); // 3x2
    b.gemm(false, false, 2, 2, 3, 1, a, bm, 0, c);
    expect(Array.from(b.read(c))).toEqual([58, 64, 139, 154]);
    b.gemm(false, false, 2, 2, 3, 1, a, bm, 1, c);
    expect(Array.from(b.read(c))).toEqual([116, 128, 278, 308]);
    // The same storage read transposed: A^T (3x2) * B^T (2x3) = (B * A)^T.
    const c3 = b.alloc(9);
    b.gemm(true, true, 3, 3, 2, 1, a, bm, 0, c3);
    expect(Array.from(b.read(c3))).toEqual([39, 49, 59, 54, 68, 82, 69, 87, 105]);
    for (const buf of [a, bm, c, c3]) b.free(buf);
  });
});
