import { type Case, SHAPES, U32 } from './helpers.js';
import type { KernelCases } from './table-types.js';

/** m x n x k triples: 1, odd sizes, and sizes on both sides of the 4x8 tile and 64-wide blocks. */
const GEMM_SIZES: readonly [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 17],
  [17, 63, 5],
  [64, 64, 64],
  [65, 17, 129],
  [129, 3, 65],
  [5, 129, 63],
  [1, 65, 3],
  [63, 1, 64],
  [33, 40, 1],
  // Across the WASM gemm's cache blocks (KC = 256, MC = 120, NC = 2048): a block edge plus a tail.
  [130, 70, 300],
  [121, 9, 257],
  [5, 2051, 3],
];
const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/**
 * Higham's bound for a k-term dot product in f32: |fl(c) - c| <= gamma_{k+2} (|alpha| |A||B| + |beta||C|)
 * with gamma_j ~ j*U32 (the +2 covers the alpha and beta products and the final add). We compare with
 * that bound's largest entry as the floor, so a case fails only when an error exceeds what any
 * order of summation (blocked, SIMD lanes, FMA) can produce.
 */
function gemmScale(
  tA: boolean,
  tB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: number[],
  b: number[],
  beta: number,
  c: number[],
): number {
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        s += Math.abs((tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]));
      }
      worst = Math.max(worst, Math.abs(alpha) * s + (beta === 0 ? 0 : Math.abs(beta * c[i * n + j])));
    }
  }
  return worst;
}

function gemmCase(
  m: number,
  n: number,
  k: number,
  tA: boolean,
  tB: boolean,
  alpha: number,
  beta: number,
): Case {
  return {
    name: `m=${m} n=${n} k=${k} transA=${tA} transB=${tB} alpha=${alpha} beta=${beta}`,
    tol: (k + 2) * U32,
    run: (kit) => {
      const a = kit.rng.normals(m * k);
      const b = kit.rng.normals(k * n);
      const c0 = kit.rng.normals(m * n);
      const cb = beta === 0 ? kit.poisoned(m * n) : kit.buf(c0);
      kit.be.gemm(tA, tB, m, n, k, alpha, kit.buf(a), kit.buf(b), beta, cb);
      return { c: { v: kit.read(cb), floor: gemmScale(tA, tB, m, n, k, alpha, a, b, beta, c0) } };
    },
  };
}

export const linalgCases = {
  gemm: [
    ...GEMM_SIZES.flatMap(([m, n, k]) =>
      TRANSPOSES.flatMap(([tA, tB]) =>
        // The large block-crossing sizes take one alpha/beta pair only, to keep the suite fast.
        m * n * k > 1e6
          ? [gemmCase(m, n, k, tA, tB, 0.5, -1.25)]
          : [gemmCase(m, n, k, tA, tB, 1, 0), gemmCase(m, n, k, tA, tB, 0.5, -1.25)],
      ),
    ),
    // k = 0: op(A)op(B) is the empty sum, so C = beta*C.
    gemmCase(3, 5, 0, false, false, 1, 0.5),
    {
      name: 'unaligned views m=9 n=11 k=13 transA=true',
      tol: 15 * U32,
      run: (kit) => {
        const a = kit.rng.normals(9 * 13);
        const b = kit.rng.normals(13 * 11);
        const whole = kit.buf(kit.rng.normals(1 + 117 + 3 + 143 + 5 + 99));
        const av = kit.view(whole, 1, 117);
        const bv = kit.view(whole, 121, 143);
        const cv = kit.view(whole, 269, 99);
        kit.be.write(av, a);
        kit.be.write(bv, b);
        const c0 = Array.from(kit.read(cv));
        kit.be.gemm(true, false, 9, 11, 13, 1, av, bv, 1, cv);
        const all = Array.from(kit.read(whole));
        return {
          c: { v: all.slice(269, 368), floor: gemmScale(true, false, 9, 11, 13, 1, a, b, 1, c0) },
          // Only the C window may change: the rest of the buffer must come back bit for bit.
          rest: { v: [...all.slice(0, 269), ...all.slice(368)], tol: 0 },
        };
      },
    },
  ],
  biasAdd: SHAPES.map(
    ([rows, cols]): Case => ({
      name: `rows=${rows} cols=${cols}`,
      tol: 2 * U32, // one correctly rounded add per element
      floor: 0,
      run: (k) => {
        const y = k.buf(k.rng.normals(rows * cols));
        k.be.biasAdd(y, k.buf(k.rng.normals(cols)), rows, cols);
        return { y: k.read(y) };
      },
    }),
  ),
  biasGrad: SHAPES.flatMap(([rows, cols]) =>
    [0, 1].map(
      (beta): Case => ({
        name: `rows=${rows} cols=${cols} beta=${beta}`,
        // A sum of rows terms: gamma_{rows+1} relative to the sum of magnitudes (Higham), as for gemm.
        tol: (rows + 2) * U32,
        run: (k) => {
          const dy = k.rng.normals(rows * cols);
          const db0 = k.rng.normals(cols);
          const db = k.buf(db0);
          k.be.biasGrad(k.buf(dy), rows, cols, beta, db);
          let scale = 0;
          for (let c = 0; c < cols; c++) {
            let s = beta * Math.abs(db0[c]);
            for (let r = 0; r < rows; r++) s += Math.abs(dy[r * cols + c]);
            scale = Math.max(scale, s);
          }
          return { dbias: { v: k.read(db), floor: scale } };
        },
      }),
    ),
  ),
} satisfies KernelCases;
