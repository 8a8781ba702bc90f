// Flush-to-zero for the kernels that produce gradients and states. Once a gradient has vanished below
// float32's smallest normal (2^-126 ~ 1.18e-38), every multiply that touches it, or that produces a
// value in that range, can take a slow microcoded path on x86 (issue 17 measured a 60-layer sigmoid
// net at 1/5 of the speed of the same net with tanh), and WebAssembly has no FTZ/DAZ mode to turn it
// off. So these kernels round such results to +0 themselves, as TensorFlow's CPU kernels do by
// default and PyTorch's `torch.set_flush_denormal(True)` does.
//
// The test is on the bits: |x| < 2^-126 exactly when (bits & 0x7fffffff) < 0x00800000, an integer
// compare that never touches the floating-point unit (and leaves NaN and Infinity alone). Switching
// off sets the limit to 0, which no magnitude is below, so the kernels keep one branch-free path.

/** Bits of 2^-126, float32's smallest normal. */
const MIN_NORMAL_BITS: i32 = 0x00800000;

/** Magnitudes (as bits) below this are flushed: MIN_NORMAL_BITS when on (the default), 0 when off. */
let flushBelowBits: i32 = MIN_NORMAL_BITS;

/** Turns flushing on (1, the default) or off (0: IEEE subnormals kept) for this module instance. */
export function setFlushSubnormals(on: i32): void {
  flushBelowBits = on ? MIN_NORMAL_BITS : 0;
}

/** The flush limit in all four lanes, for `ftz4`: read once per kernel call, outside its loops. */
export function flushLimit(): v128 {
  return i32x4.splat(flushBelowBits);
}

/** Each lane of v, or +0 where |v| is below the limit (3 instructions: and, compare, and-not). */
export function ftz4(v: v128, limit: v128): v128 {
  const magnitude = v128.and(v, i32x4.splat(0x7fffffff));
  return v128.andnot(v, i32x4.lt_s(magnitude, limit));
}

/** x, or +0 when |x| is below the limit: the scalar tails' version of `ftz4`. */
export function ftz(x: f32): f32 {
  return (reinterpret<i32>(x) & 0x7fffffff) < flushBelowBits ? 0 : x;
}

/** Stores v rounded to f32 and then flushed, at index i of p (the scalar paths that compute in f64). */
export function putFtz(p: usize, i: i32, v: f64): void {
  store<f32>(p + ((<usize>i) << 2), ftz(<f32>v));
}
