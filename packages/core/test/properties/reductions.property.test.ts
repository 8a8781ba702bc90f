import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend, Buf } from '../../src/backend.js';
import { ALL_BACKENDS, RUNS } from './backends.js';

/** Any f32 value: fast-check's float() covers -0, denormals, the extremes, NaN and both infinities. */
const anyF32 = fc.float();
const finiteF32 = fc.float({ noNaN: true, noDefaultInfinity: true });
const vec = (item: fc.Arbitrary<number>) => fc.array(item, { minLength: 0, maxLength: 300 });

/** Sums are accumulated in float64 on every backend; f32 inputs leave only f64 rounding (see parity). */
const F64_SUM_TOL = 1e-9;

describe.each(ALL_BACKENDS)('reduction properties on $label', ({ make }) => {
  let be: Backend;
  beforeAll(async () => {
    be = await make();
  });
  /** Runs `f` on a fresh buffer holding `xs`, then frees it. */
  const withBuf = <T>(xs: number[], f: (b: Buf) => T): T => {
    const b = be.alloc(xs.length);
    be.write(b, xs);
    try {
      return f(b);
    } finally {
      be.free(b);
    }
  };

  it('sumSquares is >= 0 and equals the dot of x with itself', () => {
    fc.assert(
      fc.property(vec(finiteF32), (xs) => {
        const got = withBuf(xs, (b) => be.sumSquares(b));
        const dot = xs.reduce((s, v) => s + v * v, 0);
        return got >= 0 && Math.abs(got - dot) <= F64_SUM_TOL * dot;
      }),
      RUNS,
    );
  });

  it('sum equals the float64 sum within rounding of the magnitudes', () => {
    fc.assert(
      fc.property(vec(finiteF32), (xs) => {
        const got = withBuf(xs, (b) => be.sum(b));
        const exact = xs.reduce((s, v) => s + v, 0);
        return Math.abs(got - exact) <= F64_SUM_TOL * xs.reduce((s, v) => s + Math.abs(v), 0);
      }),
      RUNS,
    );
  });

  it('maxAbs bounds every |x|, is attained, is 0 when empty, and at most the L2 norm', () => {
    fc.assert(
      fc.property(vec(finiteF32), (xs) => {
        const [m, ss] = withBuf(xs, (b) => [be.maxAbs(b), be.sumSquares(b)]);
        if (xs.length === 0) return m === 0;
        return (
          xs.every((v) => Math.abs(v) <= m) &&
          xs.some((v) => Math.abs(v) === m) &&
          m <= Math.sqrt(ss) * (1 + 1e-9)
        );
      }),
      RUNS,
    );
  });

  it('maxAbs is NaN whenever an element is NaN', () => {
    fc.assert(
      fc.property(vec(anyF32), fc.nat(), (xs, at) => {
        const ys = [...xs];
        ys.splice(at % (ys.length + 1), 0, Number.NaN);
        return Number.isNaN(withBuf(ys, (b) => be.maxAbs(b)));
      }),
      RUNS,
    );
  });

  it('countNonFinite and countNearZero count between 0 and n, exactly the naive counts', () => {
    fc.assert(
      fc.property(vec(anyF32), fc.constantFrom(1e-30, 1e-6, 1, 1e30), (xs, eps) => {
        const e = Math.fround(eps);
        const [nonFinite, nearZero] = withBuf(xs, (b) => [be.countNonFinite(b), be.countNearZero(b, e)]);
        return (
          nonFinite >= 0 &&
          nonFinite <= xs.length &&
          nonFinite === xs.filter((v) => !Number.isFinite(v)).length &&
          nearZero >= 0 &&
          nearZero <= xs.length &&
          nearZero === xs.filter((v) => Math.abs(v) < e).length
        );
      }),
      RUNS,
    );
  });

  it('logHistogram adds exactly one count per finite element, none per NaN or Infinity', () => {
    fc.assert(
      fc.property(
        vec(anyF32),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: -45, max: 0 }),
        fc.integer({ min: 1, max: 50 }),
        (xs, nBins, minExp, span) => {
          const bins = be.alloc(nBins);
          withBuf(xs, (b) => be.logHistogram(b, minExp, minExp + span, bins));
          const counts = Array.from(be.read(bins));
          be.free(bins);
          const total = counts.reduce((s, v) => s + v, 0);
          return (
            counts.every((c) => c >= 0 && Number.isInteger(c)) && total === xs.filter(Number.isFinite).length
          );
        },
      ),
      RUNS,
    );
  });

  it('paramStats and moments agree with sumSquares, sum, countNearZero and countSaturated', () => {
    // Their block sums are documented to within 1e-6 relative; the counts must match exactly.
    const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-6 * scale;
    fc.assert(
      fc.property(vec(finiteF32), fc.constantFrom(0, 1e-3, 1), (xs, eps) => {
        const e = Math.fround(eps);
        const g = xs.map((v) => Math.fround(v / 3));
        const gb = be.alloc(g.length);
        be.write(gb, g);
        const stats = new Float64Array(4);
        const mom = new Float64Array(3);
        const ok = withBuf(xs, (w) => {
          be.paramStats(w, gb, null, e, stats);
          be.moments(w, 0, 'tanh', mom);
          const [ssw, ssg, s] = [be.sumSquares(w), be.sumSquares(gb), be.sum(w)];
          const abs = xs.reduce((t, v) => t + Math.abs(v), 0);
          return (
            close(stats[0], ssw, ssw) &&
            close(stats[1], ssg, ssg) &&
            stats[2] === 0 &&
            stats[3] === (e > 0 ? be.countNearZero(w, e) : 0) &&
            close(mom[0], s, abs) &&
            close(mom[1], ssw, ssw) &&
            mom[2] === be.countSaturated('tanh', w)
          );
        });
        be.free(gb);
        return ok;
      }),
      RUNS,
    );
  });

  it('countSaturated and countDeadUnits stay within their ranges', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer(),
        (rows, cols, s) => {
          const ys = Array.from({ length: rows * cols }, (_, i) => Math.fround(Math.sin(s + i * 12.9898)));
          const [sig, tanh, dead] = withBuf(ys, (b) => [
            be.countSaturated('sigmoid', b),
            be.countSaturated('tanh', b),
            be.countDeadUnits(b, rows, cols),
          ]);
          return sig >= 0 && sig <= ys.length && tanh >= 0 && tanh <= ys.length && dead >= 0 && dead <= cols;
        },
      ),
      RUNS,
    );
  });
});

it('the sum properties catch float32 accumulation', () => {
  // Not a backend: the same check run on an f32 running sum, to show the tolerance separates the two.
  const found = fc.check(
    fc.property(
      fc.array(fc.float({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 50, maxLength: 300 }),
      (xs) => {
        const f32 = xs.reduce((s, v) => Math.fround(s + v), 0);
        const exact = xs.reduce((s, v) => s + v, 0);
        return Math.abs(f32 - exact) <= F64_SUM_TOL * xs.reduce((s, v) => s + Math.abs(v), 0);
      },
    ),
    RUNS,
  );
  expect(found.failed).toBe(true);
});
