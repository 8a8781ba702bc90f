// Fused one-pass statistics for the gradient monitor: `paramStats` (a parameter's weights, gradient
// and update) and `moments` (an activation's sum, sum of squares and saturated count).
//
// Why blocks: the plain reductions promote every f32 to f64 before adding (two f64x2 adds and three
// conversions per f32x4), which makes them compute-bound. Here each block of BLOCK elements is summed
// in f32x4 lanes (four accumulators per sum, so four add chains overlap), and only the block's total
// is widened into float64. Each of the 16 lanes adds BLOCK / 16 = 8 terms, and the lanes merge in two
// more adds, so a block's relative error is a few f32 roundings (~1e-7 typical, below 1e-6 at worst
// for sums of squares, where no term cancels); the float64 totals keep long buffers from adding more.
// A larger block would spend less on the per-block checks below, but lengthen the f32 chains.
//
// f32 squares overflow above |x| ~ 1.8e19 and lose bits below |x| ~ 1e-19. A block whose f32 lanes
// are not all finite, or (for squares) all below TINY, is summed again in float64, so exploding and
// vanished gradients (1e20, 1e-25, NaN, Infinity) read as `sumSquares` reads them, at its speed for
// those blocks only. Above TINY, what f32 underflow drops (< 2^-150 per term) is negligible.

const BLOCK: i32 = 128;
/**
 * 2^-100: f32 underflow costs each term at most 2^-150 (half the smallest subnormal step), so a
 * block of 64 squares with a lane at least this large is off by at most 2^-143 / 2^-100 = 1e-13.
 */
const TINY: f32 = 7.888609052210118e-31;
/** The results: four f64 at a static address that every call returns (see paramStats, moments). */
const out: usize = memory.data(32, 16);

function hiHalf(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 0, 1);
}

function lanes(acc: v128): i32 {
  return (
    i32x4.extract_lane(acc, 0) +
    i32x4.extract_lane(acc, 1) +
    i32x4.extract_lane(acc, 2) +
    i32x4.extract_lane(acc, 3)
  );
}

function at(p: usize, i: i32): f64 {
  return <f64>load<f32>(p + ((<usize>i) << 2));
}

/**
 * Whether a block of squares summed in the f32 lanes s must be redone in float64: a lane is not finite
 * (overflow, NaN, Infinity), or every lane is below TINY (then f32 underflow may have cost bits).
 * Checked on the lanes, with no branch to a scalar, since it runs once per block.
 */
function redoSquares(s: v128): bool {
  const d = f32x4.sub(s, s); // NaN exactly in the lanes that are not finite
  return v128.any_true(f32x4.ne(d, d)) || i32x4.all_true(f32x4.lt(s, f32x4.splat(TINY)));
}

/** Whether a plain sum's f32 lanes s overflowed (or met NaN or Infinity): only then is it redone. */
function redoSum(s: v128): bool {
  const d = f32x4.sub(s, s);
  return v128.any_true(f32x4.ne(d, d));
}

/** The four f32 lanes of s as two f64x2 pairs added together (the block's total, not yet folded). */
function widen(s: v128): v128 {
  return f64x2.add(f64x2.promote_low_f32x4(s), f64x2.promote_low_f32x4(hiHalf(s)));
}

function total(t: v128): f64 {
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}

/**
 * Whether the m floats at x and at y are bitwise equal up to sign (y = 0: whether x is all zeros).
 * A block of squares that sums to exactly 0 in f32 is usually this (a dead unit's gradient, a weight
 * that did not move), which costs a quarter of the float64 redo to prove.
 */
function zeroDiff(x: usize, y: usize, m: i32): bool {
  let acc = i32x4.splat(0);
  for (let o: usize = 0; o < (<usize>m) << 2; o += 16) {
    const v = v128.load(x + o);
    acc = v128.or(acc, y == 0 ? v : v128.xor(v, v128.load(y + o)));
  }
  return !v128.any_true(v128.and(acc, i32x4.splat(0x7fffffff)));
}

/** A block's sum of squares of x - y (y = 0: of x) in float64, when `redoSquares` says so. */
function squares(x: usize, y: usize, m: i32): f64 {
  if (zeroDiff(x, y, m)) return 0;
  return y == 0 ? sumSq64(x, m) : diffSq64(x, y, m);
}

// The float64 redo of one block of squares (n a multiple of 8), as `sumSquares` adds.

function sumSq64(x: usize, n: i32): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  for (let o: usize = 0; o < (<usize>n) << 2; o += 16) {
    const v = v128.load(x + o);
    const a = f64x2.promote_low_f32x4(v);
    const b = f64x2.promote_low_f32x4(hiHalf(v));
    lo = f64x2.add(lo, f64x2.mul(a, a));
    hi = f64x2.add(hi, f64x2.mul(b, b));
  }
  const t = f64x2.add(lo, hi);
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}

function diffSq64(w: usize, p: usize, n: i32): f64 {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  for (let o: usize = 0; o < (<usize>n) << 2; o += 16) {
    const v = v128.load(w + o);
    const u = v128.load(p + o);
    const a = f64x2.sub(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(u));
    const b = f64x2.sub(f64x2.promote_low_f32x4(hiHalf(v)), f64x2.promote_low_f32x4(hiHalf(u)));
    lo = f64x2.add(lo, f64x2.mul(a, a));
    hi = f64x2.add(hi, f64x2.mul(b, b));
  }
  const t = f64x2.add(lo, hi);
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}

/**
 * The f32 T with (v < T) == (v < t) for every f32 v, for a float64 threshold t: f32(t) when it
 * rounded up or was exact, else the next f32 above it. Lets the loops use one strict compare.
 */
function below(t: f64): f32 {
  const t32 = <f32>t;
  if (!(<f64>t32 < t)) return t32;
  return t32 == 0 ? reinterpret<f32>(1) : reinterpret<f32>(reinterpret<i32>(t32) + (t32 > 0 ? 1 : -1));
}

/** The f32 T with (v > T) == (v > t) for every f32 v: as `below`, mirrored. */
function above(t: f64): f32 {
  return -below(-t);
}

/**
 * One pass over a parameter of n floats: weights w, gradient g and, when p != 0, the copy p of the
 * weights from before the update. Writes at the returned address: [0] sum w^2, [1] sum g^2,
 * [2] sum (w - p)^2 (0 without p), [3] #{|w| < eps}; then, with p, copies w into p.
 */
export function paramStats(w: usize, g: usize, p: usize, n: i32, eps: f64): usize {
  const zero = f32x4.splat(0);
  const tv = f32x4.splat(below(eps));
  // |w| < eps counts nothing for eps <= 0 (nor NaN): skip the loop then.
  const countNear = eps > 0;
  const absMask = i32x4.splat(0x7fffffff);
  // Float64 totals: of the blocks summed in f32 (two lanes each), and of the blocks redone.
  let tw = f64x2.splat(0);
  let tg = f64x2.splat(0);
  let td = f64x2.splat(0);
  let sw: f64 = 0;
  let sg: f64 = 0;
  let sd: f64 = 0;
  let near = i32x4.splat(0);
  const nb = n & ~7;
  for (let i0 = 0; i0 < nb; i0 += BLOCK) {
    const m = min(BLOCK, nb - i0);
    const end = (<usize>m) << 2;
    const wb = w + ((<usize>i0) << 2);
    const gb = g + ((<usize>i0) << 2);
    const pb = p + ((<usize>i0) << 2);
    let w0 = zero;
    let w1 = zero;
    let w2 = zero;
    let w3 = zero;
    let g0 = zero;
    let g1 = zero;
    let g2 = zero;
    let g3 = zero;
    let d0 = zero;
    let d1 = zero;
    let d2 = zero;
    let d3 = zero;
    // Four vectors per iteration, four add chains per sum (an f32x4 add takes 4 cycles); a block's
    // last 8 floats, when m is not a multiple of 16, go into the first two chains. w (with p) and g
    // get loops of their own: twelve accumulators in one loop would not fit in registers.
    let o: usize = 0;
    if (p == 0) {
      for (; o + 64 <= end; o += 64) {
        const a = v128.load(wb + o);
        const b = v128.load(wb + o, 16);
        const c = v128.load(wb + o, 32);
        const d = v128.load(wb + o, 48);
        w0 = f32x4.add(w0, f32x4.mul(a, a));
        w1 = f32x4.add(w1, f32x4.mul(b, b));
        w2 = f32x4.add(w2, f32x4.mul(c, c));
        w3 = f32x4.add(w3, f32x4.mul(d, d));
      }
    } else {
      for (; o + 64 <= end; o += 64) {
        const a = v128.load(wb + o);
        const b = v128.load(wb + o, 16);
        const c = v128.load(wb + o, 32);
        const d = v128.load(wb + o, 48);
        w0 = f32x4.add(w0, f32x4.mul(a, a));
        w1 = f32x4.add(w1, f32x4.mul(b, b));
        w2 = f32x4.add(w2, f32x4.mul(c, c));
        w3 = f32x4.add(w3, f32x4.mul(d, d));
        const da = f32x4.sub(a, v128.load(pb + o));
        const db = f32x4.sub(b, v128.load(pb + o, 16));
        const dc = f32x4.sub(c, v128.load(pb + o, 32));
        const dd = f32x4.sub(d, v128.load(pb + o, 48));
        d0 = f32x4.add(d0, f32x4.mul(da, da));
        d1 = f32x4.add(d1, f32x4.mul(db, db));
        d2 = f32x4.add(d2, f32x4.mul(dc, dc));
        d3 = f32x4.add(d3, f32x4.mul(dd, dd));
      }
    }
    if (o < end) {
      const a = v128.load(wb + o);
      const b = v128.load(wb + o, 16);
      w0 = f32x4.add(w0, f32x4.mul(a, a));
      w1 = f32x4.add(w1, f32x4.mul(b, b));
      if (p != 0) {
        const da = f32x4.sub(a, v128.load(pb + o));
        const db = f32x4.sub(b, v128.load(pb + o, 16));
        d0 = f32x4.add(d0, f32x4.mul(da, da));
        d1 = f32x4.add(d1, f32x4.mul(db, db));
      }
    }
    o = 0;
    for (; o + 64 <= end; o += 64) {
      const x = v128.load(gb + o);
      const y = v128.load(gb + o, 16);
      const z = v128.load(gb + o, 32);
      const u = v128.load(gb + o, 48);
      g0 = f32x4.add(g0, f32x4.mul(x, x));
      g1 = f32x4.add(g1, f32x4.mul(y, y));
      g2 = f32x4.add(g2, f32x4.mul(z, z));
      g3 = f32x4.add(g3, f32x4.mul(u, u));
    }
    if (o < end) {
      const x = v128.load(gb + o);
      const y = v128.load(gb + o, 16);
      g0 = f32x4.add(g0, f32x4.mul(x, x));
      g1 = f32x4.add(g1, f32x4.mul(y, y));
    }
    // Near-zero weights in a loop of their own over the block (in L1 by now): the monitor counts
    // them on one record in ten, and the sums' loops run faster without the compare.
    if (countNear) {
      for (let o: usize = 0; o < end; o += 16) {
        near = i32x4.sub(near, f32x4.lt(v128.and(v128.load(wb + o), absMask), tv));
      }
    }
    w0 = f32x4.add(f32x4.add(w0, w1), f32x4.add(w2, w3));
    g0 = f32x4.add(f32x4.add(g0, g1), f32x4.add(g2, g3));
    d0 = f32x4.add(f32x4.add(d0, d1), f32x4.add(d2, d3));
    if (redoSquares(w0)) sw += squares(wb, 0, m);
    else tw = f64x2.add(tw, widen(w0));
    if (redoSquares(g0)) sg += squares(gb, 0, m);
    else tg = f64x2.add(tg, widen(g0));
    if (p != 0) {
      if (redoSquares(d0)) sd += squares(wb, pb, m);
      else td = f64x2.add(td, widen(d0));
      // Only after the check, whose redo reads p's old values; the block is still in L1. (A loop:
      // memory.copy is a call out of the module, too dear for 256 bytes.)
      for (let o: usize = 0; o < end; o += 16) v128.store(pb + o, v128.load(wb + o));
    }
  }
  let c = lanes(near);
  const t = <f32>below(eps);
  for (let i = nb; i < n; i++) {
    const a = at(w, i);
    const x = at(g, i);
    sw += a * a;
    sg += x * x;
    if (Mathf.abs(<f32>a) < t) c++;
    if (p != 0) {
      const d = a - at(p, i);
      sd += d * d;
      store<f32>(p + ((<usize>i) << 2), <f32>a);
    }
  }
  store<f64>(out, sw + total(tw));
  store<f64>(out, sg + total(tg), 8);
  store<f64>(out, sd + total(td), 16);
  store<f64>(out, <f64>c, 24);
  return out;
}

const SIGMOID = 1; // index of 'sigmoid' in ACTIVATIONS; 'tanh' is 2

/**
 * Whether the m floats at x all equal c (up to sign for zeros): then a block of x - c is exactly 0.
 * A dead layer's outputs are, and the shifted squares' f32 total 0 would otherwise ask for a redo.
 */
function allEqual(x: usize, m: i32, c: v128): bool {
  let acc = i32x4.splat(0);
  for (let o: usize = 0; o < (<usize>m) << 2; o += 16) acc = v128.or(acc, v128.xor(v128.load(x + o), c));
  return !v128.any_true(v128.and(acc, i32x4.splat(0x7fffffff)));
}

/**
 * One pass over n floats x: writes at the returned address [0] sum (x - shift), [1] sum (x - shift)^2,
 * [2] the saturated count of `countSaturated` for kind sigmoid (1) or tanh (2), 0 for any other kind.
 * The loops subtract c = f32(shift); the sums are moved from c to shift in float64 at the end.
 */
export function moments(x: usize, n: i32, shift: f64, kind: i32): usize {
  const zero = f32x4.splat(0);
  const c32 = <f32>shift;
  const cv = f32x4.splat(c32);
  // Saturated: v' < lo or v' > hi, with v' = |v| for tanh (lo = -Infinity: no |v| is below it).
  const isSigmoid = kind == SIGMOID;
  const isTanh = kind == SIGMOID + 1;
  const lo: f32 = isSigmoid ? below(0.01) : <f32>-Infinity;
  const hi: f32 = isSigmoid || isTanh ? above(0.99) : <f32>Infinity;
  const mask = i32x4.splat(0x7fffffff);
  const lov = f32x4.splat(lo);
  const hiv = f32x4.splat(hi);
  let t1 = f64x2.splat(0);
  let t2 = f64x2.splat(0);
  let s1: f64 = 0;
  let s2: f64 = 0;
  let sat = i32x4.splat(0);
  const nb = n & ~7;
  for (let i0 = 0; i0 < nb; i0 += BLOCK) {
    const m = min(BLOCK, nb - i0);
    const end = (<usize>m) << 2;
    const xb = x + ((<usize>i0) << 2);
    let a0 = zero;
    let a1 = zero;
    let a2 = zero;
    let a3 = zero;
    let q0 = zero;
    let q1 = zero;
    let q2 = zero;
    let q3 = zero;
    // Four vectors per iteration: an add takes 4 cycles, so fewer chains would leave the adder idle.
    let o: usize = 0;
    for (; o + 64 <= end; o += 64) {
      const a = f32x4.sub(v128.load(xb + o), cv);
      const b = f32x4.sub(v128.load(xb + o, 16), cv);
      const c = f32x4.sub(v128.load(xb + o, 32), cv);
      const d = f32x4.sub(v128.load(xb + o, 48), cv);
      a0 = f32x4.add(a0, a);
      a1 = f32x4.add(a1, b);
      a2 = f32x4.add(a2, c);
      a3 = f32x4.add(a3, d);
      q0 = f32x4.add(q0, f32x4.mul(a, a));
      q1 = f32x4.add(q1, f32x4.mul(b, b));
      q2 = f32x4.add(q2, f32x4.mul(c, c));
      q3 = f32x4.add(q3, f32x4.mul(d, d));
    }
    if (o < end) {
      const a = f32x4.sub(v128.load(xb + o), cv);
      const b = f32x4.sub(v128.load(xb + o, 16), cv);
      a0 = f32x4.add(a0, a);
      a1 = f32x4.add(a1, b);
      q0 = f32x4.add(q0, f32x4.mul(a, a));
      q1 = f32x4.add(q1, f32x4.mul(b, b));
    }
    a0 = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
    q0 = f32x4.add(f32x4.add(q0, q1), f32x4.add(q2, q3));
    // Saturation in a loop of its own over the block (in L1 by now), only for sigmoid and tanh.
    if (isTanh) {
      for (let o: usize = 0; o < end; o += 16) {
        sat = i32x4.sub(sat, f32x4.gt(v128.and(v128.load(xb + o), mask), hiv));
      }
    } else if (isSigmoid) {
      for (let o: usize = 0; o < end; o += 16) {
        const v = v128.load(xb + o);
        sat = i32x4.sub(sat, v128.or(f32x4.lt(v, lov), f32x4.gt(v, hiv)));
      }
    }
    if (!redoSum(a0) && !redoSquares(q0)) {
      t1 = f64x2.add(t1, widen(a0));
      t2 = f64x2.add(t2, widen(q0));
    } else if (!allEqual(xb, m, cv)) {
      // Rare (overflow, NaN, Infinity, or every |x - c| below ~1e-15): both sums again in float64.
      for (let i = 0; i < m; i++) {
        const d = at(xb, i) - <f64>c32;
        s1 += d;
        s2 += d * d;
      }
    }
  }
  let c = lanes(sat);
  for (let i = nb; i < n; i++) {
    const v = at(x, i);
    const d = v - <f64>c32;
    s1 += d;
    s2 += d * d;
    const m = isTanh ? Mathf.abs(<f32>v) : <f32>v;
    if (m < lo || m > hi) c++;
  }
  s1 += total(t1);
  s2 += total(t2);
  // From c to shift: sum (x - shift) = s1 - n e, sum (x - shift)^2 = s2 - 2 e s1 + n e^2, e = shift - c.
  const e = shift - <f64>c32;
  if (e != 0 && e - e == 0) {
    s2 = s2 - 2 * e * s1 + <f64>n * e * e;
    s1 = s1 - <f64>n * e;
  }
  store<f64>(out, s1);
  store<f64>(out, s2, 8);
  store<f64>(out, <f64>c, 16);
  store<f64>(out, 0, 24);
  return out;
}
