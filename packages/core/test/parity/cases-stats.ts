import type { SaturatingKind } from '../../src/backend.js';
import { logUniform, offThresholds, withSpecials } from './cases-reductions.js';
import { type Case, type Kit, type Rng, SIZES } from './helpers.js';
import type { KernelCases } from './table-types.js';

// The fused diagnostics passes: paramStats (one per parameter per step) and moments (one per
// activation and backward signal), checked against the reference's plain float64 sums.

const NAN = Number.NaN;

/** `out` is longer than documented and starts as NaN: every documented slot is written, no other. */
const poisonedOut = () => new Float64Array(6).fill(NAN);

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
      const out = poisonedOut();
      const p = prev ? k.buf(prev) : null;
      k.be.paramStats(k.buf(w), k.buf(g), p, eps, out);
      return {
        weightSq: out[0],
        gradSq: out[1],
        diffSq: out[2],
        nearZero: { v: out[3], tol: 0 },
        beyond: { v: Array.from(out.subarray(4)), tol: 0 },
        ...(p ? { prev: { v: k.read(p), tol: 0 } } : {}),
      };
    },
  };
}

function momentsCase(
  name: string,
  saturating: SaturatingKind | null,
  make: (k: Kit) => number[],
  shift = 0,
): Case {
  return {
    name,
    tol: BLOCK_SUM_TOL,
    run: (k) => {
      const x = make(k);
      const out = poisonedOut();
      k.be.moments(k.buf(x), shift, saturating, out);
      return {
        sum: { v: out[0], floor: x.reduce((s, v) => s + Math.abs(v - shift), 0) },
        sumSquares: { v: out[1], floor: 0 },
        saturated: { v: out[2], tol: 0 },
        beyond: { v: Array.from(out.subarray(3)), tol: 0 },
      };
    },
  };
}

export const statsCases = {
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
    // Sigmoid outputs that all sit near 0.5 (spread 1e-5): shifted by a guess of the mean (not an f32),
    // the sums keep the spread that sum x^2 - n mean^2 would lose; also a dead layer's zeros at shift 0.
    ...[5, 63, 200, 1031].flatMap((n) => [
      momentsCase(
        `n=${n} near-constant sigmoid, shifted`,
        'sigmoid',
        (k) => k.rng.normals(n, 1e-5, 0.5),
        0.50000123,
      ),
      momentsCase(`n=${n} all zero, shift 0`, null, () => new Array(n).fill(0)),
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
        k.be.moments(k.view(whole, 3, 37), 0, 'tanh', out);
        return { sumSquares: out[1], saturated: { v: out[2], tol: 0 } };
      },
    },
  ],
} satisfies KernelCases;
