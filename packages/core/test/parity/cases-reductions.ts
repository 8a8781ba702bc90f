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
function withSpecials(rng: Rng, x: number[]): number[] {
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
 * `paramStats` and `moments` add each block of 64 in f32 lanes (8 terms a lane) before folding into
 * float64: about 11 f32 roundings at most on any term's way into the total (its square, the lane's
 * adds, the lanes' merge), so 11 * 2^-24 ~ 7e-7 of the sum of magnitudes. 1e-6 states that bound; the
 * float64 redo of blocks that over- or underflow f32 is checked by the tiny/huge cases below it.
 */
const BLOCK_SUM_TOL = 1e-6;

/** Values of 1e-25 (squares underflow f32) or 1e20 (squares overflow it) in a block of 64 or more. */
function extremes(rng: Rng, n: number, scale: number): number[] {
  return Array.from({ length: n }, () => Math.fround(scale * (rng.next() < 0.5 ? -1 : 1) * (1 + rng.next())));
}

/** paramStats' four sums and counts, and prev after the call (which must be a copy of w). */
function paramStatsCase(
  name: string,
  tol: number,
  make: (k: Kit) => [number[], number[], number[] | null, number],
): Case {
  return {
    name,
    tol,
    floor: 0, // sums of squares: no cancellation, so relative
    run: (k) => {
      const [w, g, prev, eps] = make(k);
      const out = new Float64Array(4).fill(Number.NaN);
      const p = prev ? k.buf(prev) : null;
      k.be.paramStats(k.buf(w), k.buf(g), p, eps, out);
      return {
        weightSq: out[0],
        gradSq: out[1],
        diffSq: out[2],
        nearZero: { v: out[3], tol: 0 },
        ...(p ? { prev: { v: k.read(p), tol: 0 } } : {}),
      };
    },
  };
}

function momentsCase(name: string, saturating: SaturatingKind | null, make: (k: Kit) => number[]): Case {
  return {
    name,
    tol: BLOCK_SUM_TOL,
    run: (k) => {
      const x = make(k);
      const out = new Float64Array(3).fill(Number.NaN);
      k.be.moments(k.buf(x), saturating, out);
      return {
        sum: { v: out[0], floor: x.reduce((s, v) => s + Math.abs(v), 0) },
        sumSquares: { v: out[1], floor: 0 },
        saturated: { v: out[2], tol: 0 },
      };
    },
  };
}

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
  paramStats: [
    ...SIZES.flatMap((n) => [
      paramStatsCase(`n=${n} with prev`, BLOCK_SUM_TOL, (k) => {
        const w = logUniform(k.rng, n);
        // An update small beside W, as an optimizer's step is.
        return [
          w,
          logUniform(k.rng, n),
          w.map((v) => Math.fround(v * (1 + 1e-3 * k.rng.uniform(-1, 1)))),
          Math.fround(1e-3),
        ];
      }),
      paramStatsCase(`n=${n} without prev, eps 1e-3 (not an f32)`, BLOCK_SUM_TOL, (k) => [
        logUniform(k.rng, n),
        logUniform(k.rng, n),
        null,
        1e-3,
      ]),
      paramStatsCase(`n=${n} with NaN/Inf`, BLOCK_SUM_TOL, (k) => [
        withSpecials(k.rng, logUniform(k.rng, n)),
        withSpecials(k.rng, logUniform(k.rng, n)),
        withSpecials(k.rng, logUniform(k.rng, n)),
        Math.fround(1e-8),
      ]),
    ]),
    ...[70, 200].flatMap((n) => [
      paramStatsCase(`n=${n} vanished (1e-25) and exploded (1e20) blocks, eps 0`, BLOCK_SUM_TOL, (k) => [
        extremes(k.rng, n, 1e20),
        extremes(k.rng, n, 1e-25),
        extremes(k.rng, n, 1e20).map((v, i) => (i % 2 ? v : 0)),
        0,
      ]),
      paramStatsCase(`n=${n} zero gradient and an unmoved copy`, BLOCK_SUM_TOL, (k) => {
        const w = extremes(k.rng, n, 1e-25);
        return [w, new Array(n).fill(0), w.slice(), Math.fround(1e-24)];
      }),
    ]),
    {
      name: 'n=37 on unaligned views inside NaN',
      tol: BLOCK_SUM_TOL,
      floor: 0,
      run: (k) => {
        const [w, g, p] = [0, 1, 2].map(() =>
          k.view(k.buf([NAN, NAN, NAN, ...logUniform(k.rng, 37), NAN, NAN, NAN, NAN]), 3, 37),
        );
        const out = new Float64Array(4).fill(NAN);
        k.be.paramStats(w, g, p, Math.fround(1e-3), out);
        return { out: Array.from(out), prev: { v: k.read(p), tol: 0 } };
      },
    },
  ],
  moments: [
    ...SIZES.flatMap((n) => [
      momentsCase(`n=${n}`, null, (k) => logUniform(k.rng, n)),
      momentsCase(`n=${n} with NaN/Inf`, null, (k) => withSpecials(k.rng, logUniform(k.rng, n))),
      momentsCase(`sigmoid n=${n}`, 'sigmoid', (k) =>
        offThresholds(k.rng.uniforms(n, 0, 1)).map(Math.fround),
      ),
      momentsCase(`tanh n=${n}`, 'tanh', (k) => offThresholds(k.rng.uniforms(n, -1, 1)).map(Math.fround)),
    ]),
    ...[70, 200].flatMap((n) => [
      momentsCase(`n=${n} vanished (1e-25)`, 'tanh', (k) => extremes(k.rng, n, 1e-25)),
      momentsCase(`n=${n} exploded (1e20, 1e38)`, 'sigmoid', (k) =>
        extremes(k.rng, n, k.rng.next() < 0.5 ? 1e20 : 1e38),
      ),
    ]),
    {
      name: 'n=37 on an unaligned view inside NaN',
      tol: BLOCK_SUM_TOL,
      floor: 0,
      run: (k) => {
        const whole = k.buf([NAN, NAN, NAN, ...logUniform(k.rng, 37), NAN, NAN, NAN, NAN]);
        const out = new Float64Array(3).fill(NAN);
        k.be.moments(k.view(whole, 3, 37), 'tanh', out);
        return { sumSquares: out[1], saturated: { v: out[2], tol: 0 } };
      },
    },
  ],
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
