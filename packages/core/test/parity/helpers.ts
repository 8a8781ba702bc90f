import type { Backend, Buf, Floats } from '../../src/backend.js';
import { createBackend } from '../../src/create-backend.js';
import { TsBackend } from '../../src/ts-backend.js';

/** f32 unit roundoff (2^-24): one correctly rounded f32 operation is off by at most this, relatively. */
export const U32 = 2 ** -24;

/**
 * A tiny seeded generator (mulberry32) so every backend sees the same inputs. Every value it hands
 * out is rounded to f32 (`Math.fround`): the f64 reference and the f32 backends then start from
 * identical numbers, and any difference is the f32 backend's own rounding.
 */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Uniform f32 in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return Math.fround(lo + (hi - lo) * this.next());
  }
  /** Standard normal (Box-Muller) times `scale`, as f32. */
  normal(scale = 1): number {
    const u = 1 - this.next();
    return Math.fround(scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next()));
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo + 1) * this.next());
  }
  normals(n: number, scale = 1, offset = 0): number[] {
    return Array.from({ length: n }, () => Math.fround(offset + this.normal(scale)));
  }
  uniforms(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => this.uniform(lo, hi));
  }
}

/** Shapes drawn once from a fixed seed, beside the hand-picked ones: sizes nobody thought of. */
const shapeRng = new Rng(0x5eed);
const drawn = (n: number, max: number) => Array.from({ length: n }, () => shapeRng.int(2, max));

/** Lengths that are not multiples of 4, 8 or 16 (and 1), next to ones that are, plus drawn ones. */
export const SIZES = [1, 3, 5, 17, 63, 64, 65, 129, 1031, ...drawn(2, 400)];
/** rows x cols pairs for row- or column-wise kernels, plus drawn ones. */
export const SHAPES: readonly [number, number][] = [
  [1, 1],
  [1, 17],
  [3, 5],
  [17, 63],
  [64, 64],
  [65, 3],
  [129, 5],
  [5, 129],
  ...Array.from({ length: 2 }, (): [number, number] => [shapeRng.int(1, 90), shapeRng.int(1, 90)]),
];

/** One output to compare: its values and how closely it must agree with the reference. */
export interface Out {
  v: number | ArrayLike<number>;
  /** Relative tolerance; overrides the case's. */
  tol?: number;
  /** |got - want| <= tol * max(|want|, floor); 'max' (normwise) uses the largest |want| of the output. */
  floor?: number | 'max';
}
export type Outputs = Record<string, number | ArrayLike<number> | Out>;

/** A backend with bookkeeping: every buffer a case makes is freed after it, on every backend. */
export class Kit {
  private readonly bufs: Buf[] = [];
  /** Each buffer's contents when it was made. */
  private readonly initial: Floats[] = [];
  constructor(
    readonly be: Backend,
    readonly rng: Rng,
  ) {}
  buf(values: ArrayLike<number>): Buf {
    const b = this.be.alloc(values.length);
    this.be.write(b, values);
    this.track(b);
    return b;
  }
  zeros(n: number): Buf {
    return this.track(this.be.alloc(n));
  }
  /** A buffer filled with NaN, so a kernel that reads an output it should only write shows it. */
  poisoned(n: number): Buf {
    return this.buf(new Array(n).fill(Number.NaN));
  }
  read(b: Buf): Floats {
    return this.be.read(b);
  }
  /** A window of `b`; offsets that are not multiples of 4 test unaligned SIMD access. */
  view(b: Buf, offset: number, length: number): Buf {
    return this.be.view(b, offset, length);
  }
  /** 1 for each buffer the case made that still holds, bit for bit, what it was made with; else 0. */
  untouched(): number[] {
    return this.bufs.map((b, i) => {
      const now = this.be.read(b);
      return now.every((v, j) => Object.is(v, this.initial[i][j])) ? 1 : 0;
    });
  }
  private track(b: Buf): Buf {
    this.bufs.push(b);
    this.initial.push(this.be.read(b));
    return b;
  }
  release(): void {
    for (const b of this.bufs) this.be.free(b);
  }
}

export interface Case {
  name: string;
  /** Relative tolerance for every output unless the output says otherwise; justified at the table entry. */
  tol: number;
  /** See `Out.floor`; default 'max'. */
  floor?: number | 'max';
  run(k: Kit): Outputs;
}

/** The backends measured against the float64 reference. */
export const BACKENDS: { label: string; make(): Promise<Backend> }[] = [
  { label: 'ts f32', make: async () => createBackend('ts', { precision: 'f32' }) },
  { label: 'wasm simd', make: async () => createBackend('wasm', { wasmBuild: 'simd' }) },
  { label: 'wasm debug', make: async () => createBackend('wasm', { wasmBuild: 'debug' }) },
];

export function reference(): Backend {
  return new TsBackend({ precision: 'f64' });
}

/**
 * Runs a case on a backend with inputs drawn from `seed`, frees its buffers, and returns its outputs
 * plus which of its buffers were left untouched: a kernel that writes into an input it should only
 * read (or skips an output) differs from the reference there, exactly.
 */
export function runCase(be: Backend, c: Case, seed: number): Outputs {
  const kit = new Kit(be, new Rng(seed));
  try {
    return { ...c.run(kit), 'untouched buffers': { v: kit.untouched(), tol: 0, floor: 0 } };
  } finally {
    kit.release();
  }
}

/** A stable seed per case title, so adding a case does not change the others' data. */
export function seedOf(title: string): number {
  let h = 2166136261;
  for (let i = 0; i < title.length; i++) h = Math.imul(h ^ title.charCodeAt(i), 16777619);
  return h >>> 0;
}

function normalize(o: Outputs[string]): Out {
  return typeof o === 'object' && o !== null && 'v' in o
    ? (o as Out)
    : { v: o as number | ArrayLike<number> };
}

/**
 * Compares outputs against the reference's; returns a list of disagreements (empty = agree).
 * NaN must meet NaN and an infinity the same infinity; the rest within tolerance.
 */
export function compare(got: Outputs, want: Outputs, c: Case): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(want)) {
    const w = normalize(want[key]);
    if (!(key in got)) {
      problems.push(`${key}: missing`);
      continue;
    }
    const g = normalize(got[key]);
    const ws = typeof w.v === 'number' ? [w.v] : Array.from(w.v);
    const gs = typeof g.v === 'number' ? [g.v] : Array.from(g.v);
    if (ws.length !== gs.length) {
      problems.push(`${key}: length ${gs.length}, want ${ws.length}`);
      continue;
    }
    const tol = w.tol ?? c.tol;
    const floorSpec = w.floor ?? c.floor ?? 'max';
    const floor =
      floorSpec === 'max'
        ? ws.reduce((m, x) => (Number.isFinite(x) ? Math.max(m, Math.abs(x)) : m), 0)
        : floorSpec;
    let worst = 0;
    for (let i = 0; i < ws.length; i++) {
      const a = gs[i];
      const b = ws[i];
      if (Number.isNaN(b) || !Number.isFinite(b)) {
        // Object.is treats NaN as equal to NaN and tells the infinities apart.
        if (!Object.is(a, b)) problems.push(`${key}[${i}] = ${a}, want ${b}`);
        continue;
      }
      const err = Math.abs(a - b);
      const bound = tol * Math.max(Math.abs(b), floor);
      if (!(err <= bound)) {
        if (problems.length < 8)
          problems.push(
            `${key}[${i}] = ${a}, want ${b} (err ${err.toExponential(2)} > ${bound.toExponential(2)})`,
          );
        else worst++;
      }
    }
    if (worst > 0) problems.push(`... and ${worst} more in ${key}`);
  }
  return problems;
}
