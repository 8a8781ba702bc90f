import { type Backend, createBackend } from '@vgp/core';

/** The two backends every training test runs on: the f64 TS reference and WASM (f32). */
export const BACKEND_KINDS = ['ts', 'wasm'] as const;
export type Kind = (typeof BACKEND_KINDS)[number];

const cache = new Map<Kind, Backend>();

/** A shared backend of this kind (TS in f64, so hand-computed values match to ~1e-12). */
export async function backendOf(kind: Kind): Promise<Backend> {
  let b = cache.get(kind);
  if (b === undefined) {
    b = kind === 'ts' ? await createBackend('ts', { precision: 'f64' }) : await createBackend('wasm');
    cache.set(kind, b);
  }
  return b;
}

/** Relative tolerance for comparing against float64 hand computations: exact-ish in f64, f32 rounding on WASM. */
export function tolOf(kind: Kind): number {
  return kind === 'ts' ? 1e-12 : 2e-6;
}

/** Asserts |got - want| <= tol * max(1, |want|) for every element, with a message naming the index. */
export function expectClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  tol: number,
  what: string,
): void {
  if (got.length !== want.length) throw new Error(`${what}: length ${got.length}, expected ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= tol * Math.max(1, Math.abs(want[i])))) {
      throw new Error(`${what}[${i}]: got ${got[i]}, expected ${want[i]} (error ${err}, tolerance ${tol})`);
    }
  }
}
