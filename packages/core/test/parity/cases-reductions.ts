import type { Buf, SaturatingKind } from '../../src/backend.js';
import { type Case, type Kit, type Rng, SHAPES, SIZES } from './helpers.js';
import type { KernelCases } from './table-types.js';

const NAN = Number.NaN;

/**
 * Sums are documented as accumulated in float64 on both backends. The inputs are f32, so their
 * squares are exact in f64 and the only error left is f64 rounding (~n * 2^-53 of the sum of
 * magnitudes). 1e-9 sits far above that and far below f32 accumulation (~1e-7 and worse), so it
 * tells the two apart.
 */
export const F64_SUM_TOL = 1e-9;

/** Magnitudes spread over 16 decades (10^-12 .. 10^4), random signs. */
export function logUniform(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () =>
    Math.fround((rng.next() < 0.5 ? -1 : 1) * 10 ** rng.uniform(-12, 4)),
  );
}

/** Sprinkles exact zeros, NaN and both infinities in place. */
export function withSpecials(rng: Rng, x: number[]): number[] {
  const specials = [0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let i = 0; i < x.length; i += 1 + rng.int(0, 9)) x[i] = specials[rng.int(0, 3)];
  return x;
}

/** Moves values off the saturation thresholds, where f32 0.01 and f64 0.01 could disagree. */
export function offThresholds(y: number[]): number[] {
  return y.map((v) =>
    [0.01, 0.99, -0.99].some((t) => Math.abs(Math.abs(v) - Math.abs(t)) < 1e-6) ? v + 1e-5 : v,
  );
}

const exact = (name: string, run: Case['run']): Case => ({ name, tol: 0, run });

/**
 * A reduction over an unaligned window (offset 3, length 37) of a larger buffer, whose outside holds
 * NaN: a SIMD loop that rounds its start down or its end up would read them.
 */
function onView(tol: number, reduce: (be: Kit['be'], x: Buf) => number): Case {
  return {
    name: 'n=37 on an unaligned view inside NaN',
    tol,
    floor: 0,
    run: (k) => {
      const whole = k.buf([NAN, NAN, NAN, ...logUniform(k.rng, 37), NAN, NAN, NAN, NAN]);
      return { value: reduce(k.be, k.view(whole, 3, 37)) };
    },
  };
}

export const reductionCases = {
  sum: [
    ...SIZES.map(
      (n): Case => ({
        name: `n=${n}`,
        tol: F64_SUM_TOL,
        run: (k) => {
          const x = k.rng.normals(n, 1, 0.5);
          return { sum: { v: k.be.sum(k.buf(x)), floor: x.reduce((s, v) => s + Math.abs(v), 0) } };
        },
      }),
    ),
    onView(F64_SUM_TOL, (be, x) => be.sum(x)),
  ],
  sumSquares: [
    ...SIZES.map(
      (n): Case => ({
        name: `n=${n}`,
        tol: F64_SUM_TOL,
        floor: 0, // every term is >= 0: no cancellation, so relative
        run: (k) => ({ sumSquares: k.be.sumSquares(k.buf(logUniform(k.rng, n))) }),
      }),
    ),
    onView(F64_SUM_TOL, (be, x) => be.sumSquares(x)),
  ],
  maxAbs: [
    ...SIZES.flatMap((n) => [
      exact(`n=${n}`, (k) => ({ maxAbs: k.be.maxAbs(k.buf(logUniform(k.rng, n))) })),
      exact(`n=${n} with NaN/Inf`, (k) => ({
        maxAbs: k.be.maxAbs(k.buf(withSpecials(k.rng, logUniform(k.rng, n)))),
      })),
    ]),
    onView(0, (be, x) => be.maxAbs(x)),
  ],
  countNonFinite: [
    ...SIZES.map((n) =>
      exact(`n=${n}`, (k) => ({
        count: k.be.countNonFinite(k.buf(withSpecials(k.rng, logUniform(k.rng, n)))),
      })),
    ),
    onView(0, (be, x) => be.countNonFinite(x)),
  ],
  countNearZero: [
    ...SIZES.flatMap((n) =>
      [1e-8, 1e-3].map((eps) =>
        exact(`n=${n} eps=${eps}`, (k) => ({
          count: k.be.countNearZero(k.buf(withSpecials(k.rng, logUniform(k.rng, n))), Math.fround(eps)),
        })),
      ),
    ),
    onView(0, (be, x) => be.countNearZero(x, Math.fround(1e-3))),
  ],
  countSaturated: SIZES.flatMap((n) =>
    (['sigmoid', 'tanh'] as SaturatingKind[]).map((kind) =>
      exact(`${kind} n=${n}`, (k) => {
        const y = kind === 'sigmoid' ? k.rng.uniforms(n, 0, 1) : k.rng.uniforms(n, -1, 1);
        return { count: k.be.countSaturated(kind, k.buf(offThresholds(y).map(Math.fround))) };
      }),
    ),
  ),
  countDeadUnits: SHAPES.map(([rows, cols]) =>
    exact(`rows=${rows} cols=${cols}`, (k) => {
      // ReLU outputs; about a third of the columns are forced dead, some of them with exact zeros.
      const y = k.rng.normals(rows * cols).map((v) => Math.max(v, 0));
      for (let c = 0; c < cols; c++) {
        if (k.rng.next() < 0.33) for (let r = 0; r < rows; r++) y[r * cols + c] = k.rng.next() < 0.5 ? 0 : -1;
      }
      return { dead: k.be.countDeadUnits(k.buf(y), rows, cols) };
    }),
  ),
  logHistogram: SIZES.flatMap((n) =>
    [1, 7, 12].map((bins) =>
      exact(`n=${n} bins=${bins}`, (k) => {
        const x = withSpecials(k.rng, logUniform(k.rng, n));
        // Bins start non-zero: the kernel adds to them.
        const b = k.buf(Array.from({ length: bins }, () => k.rng.int(0, 5)));
        k.be.logHistogram(k.buf(x), -10, 2, b);
        return { bins: k.read(b) };
      }),
    ),
  ),
} satisfies KernelCases;
