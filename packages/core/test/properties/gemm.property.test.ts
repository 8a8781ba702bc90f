import v8 from 'node:v8';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend, Buf } from '../../src/backend.js';
import { TsBackend } from '../../src/ts-backend.js';
import { WasmBackend } from '../../src/wasm-backend.js';
import { Rng } from '../parity/helpers.js';
import { ALL_BACKENDS, RUNS, unitRoundoff } from './backends.js';

interface Problem {
  tA: boolean;
  tB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  seed: number;
}

const problem: fc.Arbitrary<Problem> = fc.record({
  tA: fc.boolean(),
  tB: fc.boolean(),
  m: fc.integer({ min: 1, max: 40 }),
  n: fc.integer({ min: 1, max: 40 }),
  k: fc.integer({ min: 1, max: 40 }),
  alpha: fc.constantFrom(1, 0.5, -2, 0, 0.125),
  beta: fc.constantFrom(0, 1, -0.5, 2),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

/** op(A)[i, p] and op(B)[p, j] read from row-major storage, as the Backend doc defines them. */
const opA = (p: Problem, a: number[], i: number, q: number) => (p.tA ? a[q * p.m + i] : a[i * p.k + q]);
const opB = (p: Problem, b: number[], q: number, j: number) => (p.tB ? b[j * p.k + q] : b[q * p.n + j]);

function data(p: Problem) {
  const rng = new Rng(p.seed);
  return { a: rng.normals(p.m * p.k), b: rng.normals(p.k * p.n), c: rng.normals(p.m * p.n) };
}

function run(be: Backend, p: Problem, a: number[], b: number[], c: number[]): Float32Array | Float64Array {
  const bufs = [a, b, c].map((v) => {
    const buf = be.alloc(v.length);
    be.write(buf, v);
    return buf;
  });
  be.gemm(p.tA, p.tB, p.m, p.n, p.k, p.alpha, bufs[0], bufs[1], p.beta, bufs[2]);
  const out = be.read(bufs[2]);
  for (const buf of bufs) be.free(buf);
  return out;
}

/** The result matches a float64 naive product within the dot-product error bound, every element. */
function matchesNaive(be: Backend, p: Problem): boolean {
  const { a, b, c } = data(p);
  const got = run(be, p, a, b, c);
  // Higham: |fl - exact| <= gamma_{k+2} * (|alpha| (|A||B|)_ij + |beta| |C_ij|), gamma_j ~ j*u.
  const gamma = (p.k + 2) * unitRoundoff(be);
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.n; j++) {
      let exact = 0;
      let mag = 0;
      for (let q = 0; q < p.k; q++) {
        exact += opA(p, a, i, q) * opB(p, b, q, j);
        mag += Math.abs(opA(p, a, i, q) * opB(p, b, q, j));
      }
      const c0 = c[i * p.n + j];
      const want = p.alpha * exact + (p.beta === 0 ? 0 : p.beta * c0);
      const bound = gamma * (Math.abs(p.alpha) * mag + Math.abs(p.beta * c0));
      if (!(Math.abs(got[i * p.n + j] - want) <= bound)) return false;
    }
  }
  return true;
}

/** (AB)^T = B^T A^T: the first operand of the flipped product is op(B)^T, B read with the opposite flag. */
function transposeIdentity(be: Backend, p: Problem): boolean {
  const { a, b } = data(p);
  const ab = run(be, { ...p, beta: 0 }, a, b, new Array(p.m * p.n).fill(0));
  const flipped: Problem = { ...p, tA: !p.tB, tB: !p.tA, m: p.n, n: p.m, beta: 0 };
  const bta = run(be, flipped, b, a, new Array(p.m * p.n).fill(0));
  // Each side is within gamma_{k+2} |alpha||A||B| of the exact product, so they are within twice that.
  const gamma = 2 * (p.k + 2) * unitRoundoff(be);
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.n; j++) {
      let mag = 0;
      for (let q = 0; q < p.k; q++) mag += Math.abs(opA(p, a, i, q) * opB(p, b, q, j));
      if (!(Math.abs(ab[i * p.n + j] - bta[j * p.m + i]) <= gamma * Math.abs(p.alpha) * mag)) return false;
    }
  }
  return true;
}

// gemm is where the relaxed-SIMD build differs (relaxed_madd may fuse), so it is held to the same
// bound; the V8 flag Node 20 needs for it stays in this file's own vitest process.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const GEMM_BACKENDS = [
  ...ALL_BACKENDS,
  { label: 'wasm relaxed', make: async (): Promise<Backend> => WasmBackend.create({ build: 'relaxed' }) },
];

describe.each(GEMM_BACKENDS)('gemm properties on $label', ({ make }) => {
  let be: Backend;
  beforeAll(async () => {
    be = await make();
  });

  it('gemm equals a float64 naive product within the dot-product error bound, every element', () => {
    fc.assert(
      fc.property(problem, (p) => matchesNaive(be, p)),
      RUNS,
    );
  });

  it('gemm satisfies (AB)^T = B^T A^T through the transpose flags', () => {
    fc.assert(
      fc.property(problem, (p) => transposeIdentity(be, p)),
      RUNS,
    );
  });

  it('gemm with beta = 0 ignores NaN and Infinity already in C', () => {
    fc.assert(
      fc.property(problem, fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY), (p, junk) => {
        const { a, b } = data(p);
        return run(be, { ...p, beta: 0 }, a, b, new Array(p.m * p.n).fill(junk)).every(Number.isFinite);
      }),
      RUNS,
    );
  });
});

it('the gemm properties catch a lost tail term (the classic SIMD remainder bug)', () => {
  // f32 reference whose gemm drops the last k term whenever k is not a multiple of 4.
  const base = new TsBackend({ precision: 'f32' });
  const broken = Object.assign(Object.create(base) as Backend, {
    gemm(
      tA: boolean,
      tB: boolean,
      m: number,
      n: number,
      k: number,
      alpha: number,
      a: Buf,
      b: Buf,
      beta: number,
      c: Buf,
    ) {
      const av = base.read(a);
      if (k % 4 !== 0) for (let i = 0; i < m; i++) av[tA ? (k - 1) * m + i : i * k + k - 1] = 0;
      const tmp = base.alloc(av.length);
      base.write(tmp, av);
      base.gemm(tA, tB, m, n, k, alpha, tmp, b, beta, c);
      base.free(tmp);
    },
  });
  const found = fc.check(
    fc.property(problem, (p) => matchesNaive(broken, p)),
    RUNS,
  );
  expect(found.failed).toBe(true);
});
