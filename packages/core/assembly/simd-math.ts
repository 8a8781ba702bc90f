// f32x4 exp, expm1, sigmoid and tanh for the kernels that spend their time in transcendentals
// (activations, softmax, LSTM/GRU cells). The scalar f64 versions in math.ts cost ~6 ns each;
// these do four lanes in ~1 ns, within a few f32 ulps (the parity table holds them to 16 ulps).
// Only exp of arguments <= 0 is needed: sigmoid and tanh are written with e^-|x|, softmax subtracts
// the row max and ELU/SELU use e^x only for x <= 0, so 2^n never overflows and one branch-free
// path covers every lane.

// Cephes expf: x = n*ln2 + r with ln2 split in two (C1 exact in few bits, so n*C1 is exact), then a
// degree-6 polynomial for e^r on |r| <= ln2/2.
const LOG2E: f32 = <f32>Math.LOG2E;
const C1: f32 = 0.693359375;
const C2: f32 = -2.1219444e-4;
// Below this, e^x < 2^-126 is under the smallest normal f32; it is returned as 0.
const EXP_MIN: f32 = -87.33654;

// Adding 1.5*2^23 rounds x*log2(e) to the nearest integer n and leaves n in the low mantissa bits
// (bits = 0x4B400000 + n), so 2^n is (bits + 127) << 23: the high bits of 0x4B400000 shift out. This
// replaces f32x4.nearest and a float-to-int conversion, which V8 emulates with ~8 instructions on x64.
const ROUND_MAGIC: f32 = 12582912;

/** e^r - 1 on |r| <= ln2/2, without forming e^r: exact to the last bits even for tiny r. */
function expm1Poly(r: v128): v128 {
  let p = f32x4.splat(1.98756915e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  return f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r);
}

/**
 * e^x - 1 for lanes x <= 0 (expm1: ELU and SELU). Where n = 0 (|x| < ln2/2) the polynomial is
 * e^x - 1 itself, so small |x| keeps full relative precision instead of the cancellation of e^x - 1.
 */
export function expm1Neg4(x: v128): v128 {
  const xc = f32x4.pmax(x, f32x4.splat(EXP_MIN));
  const t = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(ROUND_MAGIC));
  const n = f32x4.sub(t, f32x4.splat(ROUND_MAGIC));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(n, f32x4.splat(C1))), f32x4.mul(n, f32x4.splat(C2)));
  const em1 = expm1Poly(r);
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  const big = f32x4.sub(f32x4.mul(f32x4.add(em1, f32x4.splat(1)), scale), f32x4.splat(1));
  return v128.bitselect(em1, big, f32x4.eq(n, f32x4.splat(0)));
}

/** e^x for lanes x <= 0 (x = -0, -Infinity and NaN included; NaN stays NaN). */
export function expNeg4(x: v128): v128 {
  const xc = f32x4.pmax(x, f32x4.splat(EXP_MIN)); // keeps n >= -126; pmax keeps NaN
  const t = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(ROUND_MAGIC));
  const n = f32x4.sub(t, f32x4.splat(ROUND_MAGIC));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(n, f32x4.splat(C1))), f32x4.mul(n, f32x4.splat(C2)));
  const er = f32x4.add(expm1Poly(r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  // Below EXP_MIN the true value is under the smallest normal f32: return 0 there.
  return v128.andnot(f32x4.mul(er, scale), f32x4.lt(x, f32x4.splat(EXP_MIN)));
}

/** 1/(1+e^-x), from e = e^-|x| <= 1: 1 - e/(1+e) for x >= 0, e/(1+e) below; never overflows. */
export function sigmoid4(x: v128): v128 {
  const e = expNeg4(f32x4.neg(f32x4.abs(x)));
  // t = e/(1+e) = sigmoid(-|x|) <= 1/2 is accurate; 1 - t rounds once for x >= 0, as tanh4 does.
  const t = f32x4.div(e, f32x4.add(f32x4.splat(1), e));
  return v128.bitselect(f32x4.sub(f32x4.splat(1), t), t, f32x4.ge(x, f32x4.splat(0)));
}

/**
 * tanh: 1 - 2e/(1+e) with e = e^-2|x| and the sign of x put back; below |x| = 0.625, where 1-e loses
 * relative precision, the odd polynomial of Cephes tanhf instead.
 */
export function tanh4(x: v128): v128 {
  const a = f32x4.abs(x);
  const e = expNeg4(f32x4.mul(a, f32x4.splat(-2)));
  // 1 - 2e/(1+e) rounds once at the end, where (1-e)/(1+e) would round 1-e and 1+e first and miss
  // the correctly rounded value near 1 by an ulp, which 1 - y^2 (the derivative) would magnify.
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.add(e, e), f32x4.add(f32x4.splat(1), e)));
  const z = f32x4.mul(a, a);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), a), a);
  const t = v128.bitselect(small, big, f32x4.lt(a, f32x4.splat(0.625)));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000))); // t >= 0 (or NaN): copy x's sign bit in
}

/** Lanes 0 and 1 of an f32x4, widened to f64x2. */
export function lo64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2 and 3 of an f32x4, widened to f64x2. */
export function hi64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

/** Two f64x2 rounded to f32 and packed into one f32x4 (lo in lanes 0-1, hi in 2-3). */
export function join32(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** The sum of an f64x2's lanes. */
export function hsum64(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}
