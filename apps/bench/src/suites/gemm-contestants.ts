// The implementations raced on one gemm case: vgp's WASM builds, vgp's TS backend, and tfjs's WASM
// and CPU backends. Every contestant computes C = op(A) * op(B) on the same seeded inputs, and its
// result is checked against float64 before it is timed, so a broken kernel cannot post a fast time.
import { type Backend, createBackend } from '@vgp/core';
import type { Contestant, Runner } from '../harness.js';
import { type TfjsBackendName, tfjsWith } from '../peers/tfjs.js';

export interface GemmCase {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
}

/** Inputs as stored: A is m x k (k x m when transA), B is k x n (n x k when transB). */
export interface GemmInputs {
  a: Float32Array;
  b: Float32Array;
}

/** mulberry32: seeded so every run benchmarks the same numbers. */
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

export function gemmInputs(c: GemmCase, seed = 1): GemmInputs {
  const next = rng(seed);
  const fill = (len: number) => Float32Array.from({ length: len }, () => next() * 2 - 1);
  return { a: fill(c.m * c.k), b: fill(c.k * c.n) };
}

/**
 * Throws unless `out` matches float64 on a spread of 61 entries (cheap even at 1024^3). The bound,
 * 1e-4 of sum |a*b| per entry, is loose enough for any float32 summation order and far below any
 * real bug (a wrong or missing term moves an entry by ~1/k of that sum, or more).
 */
export function verifyGemm(c: GemmCase, { a, b }: GemmInputs, out: ArrayLike<number>, who: string): void {
  const total = c.m * c.n;
  for (let s = 0; s < 61; s++) {
    const idx = Math.round((s * (total - 1)) / 60); // first and last entries included
    const i = Math.floor(idx / c.n);
    const j = idx % c.n;
    let want = 0;
    let mag = 0;
    for (let p = 0; p < c.k; p++) {
      const prod = a[c.transA ? p * c.m + i : i * c.k + p] * b[c.transB ? j * c.k + p : p * c.n + j];
      want += prod;
      mag += Math.abs(prod);
    }
    const got = out[idx];
    if (!(Math.abs(got - want) <= 1e-4 * mag + 1e-30)) {
      throw new Error(`${who} gemm ${JSON.stringify(c)} is wrong: C[${i},${j}] = ${got}, want ${want}`);
    }
  }
}

const backends = new Map<string, Promise<Backend>>();

function vgpBackend(kind: 'simd' | 'relaxed' | 'ts'): Promise<Backend> {
  let be = backends.get(kind);
  if (!be) {
    be = kind === 'ts' ? createBackend('ts') : createBackend('wasm', { wasmBuild: kind });
    backends.set(kind, be);
  }
  return be;
}

/** vgp on one of its backends: buffers allocated once per case, gemm called with alpha 1, beta 0. */
export function vgpContestant(
  id: string,
  kind: 'simd' | 'relaxed' | 'ts',
  c: GemmCase,
  inputs: GemmInputs,
): Contestant {
  return {
    id,
    async setup(): Promise<Runner> {
      const be = await vgpBackend(kind);
      const a = be.alloc(inputs.a.length);
      const b = be.alloc(inputs.b.length);
      const out = be.alloc(c.m * c.n);
      be.write(a, inputs.a);
      be.write(b, inputs.b);
      const run = () => be.gemm(c.transA, c.transB, c.m, c.n, c.k, 1, a, b, 0, out);
      run();
      verifyGemm(c, inputs, be.read(out), id);
      return {
        run,
        dispose() {
          for (const buf of [a, b, out]) be.free(buf);
        },
      };
    },
  };
}

/** tfjs matMul with transposeA/transposeB; each call allocates its output, as a tfjs user's would. */
export function tfjsContestant(
  id: string,
  backend: TfjsBackendName,
  c: GemmCase,
  inputs: GemmInputs,
): Contestant {
  return {
    id,
    async setup(): Promise<Runner> {
      const tf = await tfjsWith(backend);
      const a = tf.tensor2d(inputs.a, c.transA ? [c.k, c.m] : [c.m, c.k]);
      const b = tf.tensor2d(inputs.b, c.transB ? [c.n, c.k] : [c.k, c.n]);
      const first = tf.matMul(a, b, c.transA, c.transB);
      verifyGemm(c, inputs, first.dataSync(), id);
      first.dispose();
      return {
        // Tensors live on the backend that made them: make it the active one before timing.
        before: async () => {
          await tfjsWith(backend);
        },
        run: () => tf.matMul(a, b, c.transA, c.transB).dispose(),
        dispose() {
          a.dispose();
          b.dispose();
        },
      };
    },
  };
}
