// Reductions for diagnostics. Sums accumulate in float64 (two f64x2 accumulators per f32x4 of
// input); counts accumulate lane-wise in i32x4 (a true comparison lane is -1, so subtracting the mask
// adds 1). Every SIMD loop has a scalar tail.

import { COL_BLOCK, colA } from './columns';

function hiHalf(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 0, 1);
}

function laneSum(acc: v128): i32 {
  return (
    i32x4.extract_lane(acc, 0) +
    i32x4.extract_lane(acc, 1) +
    i32x4.extract_lane(acc, 2) +
    i32x4.extract_lane(acc, 3)
  );
}

export function sum(x: usize, n: i32): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const v = v128.load(x + ((<usize>i) << 2));
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(hiHalf(v)));
  }
  const t = f64x2.add(lo, hi);
  let s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; i < n; i++) s += <f64>load<f32>(x + ((<usize>i) << 2));
  return s;
}

export function sumSquares(x: usize, n: i32): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const v = v128.load(x + ((<usize>i) << 2));
    // Squares in f64: an f32 square of 1e20 would overflow to Infinity.
    const a = f64x2.promote_low_f32x4(v);
    const b = f64x2.promote_low_f32x4(hiHalf(v));
    lo = f64x2.add(lo, f64x2.mul(a, a));
    hi = f64x2.add(hi, f64x2.mul(b, b));
  }
  const t = f64x2.add(lo, hi);
  let s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + ((<usize>i) << 2));
    s += v * v;
  }
  return s;
}

/**
 * max |x|; NaN if any element is NaN. The loop uses pmax (a < b ? b : a, one maxps on x64) rather
 * than the NaN-propagating f32x4.max, which V8 has to emulate with several instructions, and tracks
 * NaN lanes separately (x != x).
 */
export function maxAbs(x: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let nan = i32x4.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const v = v128.load(x + ((<usize>i) << 2));
    acc = f32x4.pmax(acc, f32x4.abs(v));
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  if (v128.any_true(nan)) return NaN;
  let m = max(
    max(f32x4.extract_lane(acc, 0), f32x4.extract_lane(acc, 1)),
    max(f32x4.extract_lane(acc, 2), f32x4.extract_lane(acc, 3)),
  );
  for (; i < n; i++) m = max(m, Mathf.abs(load<f32>(x + ((<usize>i) << 2)))); // scalar max propagates NaN
  return m;
}

/** x - x is 0 for finite x and NaN for NaN and +-Infinity: one subtraction and one self-compare. */
export function countNonFinite(x: usize, n: i32): i32 {
  let acc = i32x4.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const v = v128.load(x + ((<usize>i) << 2));
    const d = f32x4.sub(v, v);
    acc = i32x4.sub(acc, f32x4.ne(d, d));
  }
  let c = laneSum(acc);
  for (; i < n; i++) {
    const v = load<f32>(x + ((<usize>i) << 2));
    if (v - v != v - v) c++;
  }
  return c;
}

/**
 * Number of f32 values v with v < t for a float64 threshold t, compared exactly: with t32 = f32(t),
 * v < t is v <= t32 when t32 rounded down (t32 < t) and v < t32 otherwise.
 */
function countBelow(x: usize, n: i32, t: f64, abs: bool): i32 {
  const t32 = <f32>t;
  const inclusive = <f64>t32 < t;
  const tv = f32x4.splat(t32);
  let acc = i32x4.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    let v = v128.load(x + ((<usize>i) << 2));
    if (abs) v = f32x4.abs(v);
    acc = i32x4.sub(acc, inclusive ? f32x4.le(v, tv) : f32x4.lt(v, tv));
  }
  let c = laneSum(acc);
  for (; i < n; i++) {
    let v = load<f32>(x + ((<usize>i) << 2));
    if (abs) v = Mathf.abs(v);
    if (inclusive ? v <= t32 : v < t32) c++;
  }
  return c;
}

/** As countBelow, for v > t. */
function countAbove(x: usize, n: i32, t: f64, abs: bool): i32 {
  const t32 = <f32>t;
  const inclusive = <f64>t32 > t;
  const tv = f32x4.splat(t32);
  let acc = i32x4.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    let v = v128.load(x + ((<usize>i) << 2));
    if (abs) v = f32x4.abs(v);
    acc = i32x4.sub(acc, inclusive ? f32x4.ge(v, tv) : f32x4.gt(v, tv));
  }
  let c = laneSum(acc);
  for (; i < n; i++) {
    let v = load<f32>(x + ((<usize>i) << 2));
    if (abs) v = Mathf.abs(v);
    if (inclusive ? v >= t32 : v > t32) c++;
  }
  return c;
}

export function countNearZero(x: usize, n: i32, eps: f64): i32 {
  return countBelow(x, n, eps, true);
}

const SIGMOID = 1; // index of 'sigmoid' in ACTIVATIONS; 'tanh' is 2

/** Saturated: sigmoid y < 0.01 or y > 0.99 (disjoint, so the counts add); tanh |y| > 0.99. */
export function countSaturated(kind: i32, y: usize, n: i32): i32 {
  if (kind == SIGMOID) return countBelow(y, n, 0.01, false) + countAbove(y, n, 0.99, false);
  return countAbove(y, n, 0.99, true);
}

/** Whether the first n i32 flags at p are all nonzero. */
function allSet(p: usize, n: i32): bool {
  for (let j = 0; j < n; j++) if (load<i32>(p + ((<usize>j) << 2)) == 0) return false;
  return true;
}

/**
 * Columns with no entry > 0 on any row (NaN counts as not alive, as `!(y > 0)`). Rows are walked
 * contiguously, OR-ing the "alive" lane masks of a block of columns into static scratch.
 */
export function countDeadUnits(y: usize, rows: i32, cols: i32): i32 {
  const zero = f32x4.splat(0);
  let dead = 0;
  for (let c0 = 0; c0 < cols; c0 += COL_BLOCK) {
    const cb = min(COL_BLOCK, cols - c0);
    const cb4 = cb & ~3;
    memory.fill(colA, 0, (<usize>cb) << 2); // one i32 flag per column
    for (let r = 0; r < rows; r++) {
      const row = y + ((<usize>(r * cols + c0)) << 2);
      let j = 0;
      for (; j < cb4; j += 4) {
        const f = colA + ((<usize>j) << 2);
        v128.store(f, v128.or(v128.load(f), f32x4.gt(v128.load(row + ((<usize>j) << 2)), zero)));
      }
      for (; j < cb; j++) {
        if (load<f32>(row + ((<usize>j) << 2)) > 0) store<i32>(colA + ((<usize>j) << 2), -1);
      }
      // Healthy layers have every unit alive within a few rows: every 8 rows, stop if all are.
      if ((r & 7) == 7 && allSet(colA, cb)) break;
    }
    for (let j = 0; j < cb; j++) if (load<i32>(colA + ((<usize>j) << 2)) == 0) dead++;
  }
  return dead;
}
