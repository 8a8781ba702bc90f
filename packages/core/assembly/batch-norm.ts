// Batch norm: statistics per column, over the rows of a row-major `rows x cols` x. Two passes in
// float64 (mean, then squared deviations) stay accurate when |mean| >> std, and the unrounded f64
// mean and 1/std are used for y, as the reference does. Rows are walked contiguously over blocks of
// columns whose f64 sums live in the static scratch of columns.ts; each step reads 4 floats and
// computes in two f64x2 halves (the last cb % 4 columns of a block are scalar).
import { at, COL_BLOCK, colA, colB, put, zero64 } from './columns';
import { flushLimit, ftz4, putFtz } from './flush';
import { hi64, join32, lo64 } from './simd-math';

// Byte offsets of float i and of f64 scratch slot j.
function f(i: i32): usize {
  return (<usize>i) << 2;
}
function d8(j: i32): usize {
  return (<usize>j) << 3;
}
function get(s: usize, j: i32): f64 {
  return load<f64>(s + d8(j));
}
function set(s: usize, j: i32, v: f64): void {
  store<f64>(s + d8(j), v);
}

/** s[j..j+3] += (v - sub[j..j+3])^2 when square, else s[j..j+3] += v; v is 4 floats, s and sub f64. */
function accumulate4(s: usize, j: i32, v: v128, sub: usize, square: bool): void {
  let a = lo64(v);
  let b = hi64(v);
  if (square) {
    a = f64x2.sub(a, v128.load(sub + d8(j)));
    b = f64x2.sub(b, v128.load(sub + d8(j), 16));
    a = f64x2.mul(a, a);
    b = f64x2.mul(b, b);
  }
  v128.store(s + d8(j), f64x2.add(v128.load(s + d8(j)), a));
  v128.store(s + d8(j), f64x2.add(v128.load(s + d8(j), 16), b), 16);
}

/** y = gamma*(x - mu)*inv + beta for 4 columns c..c+3, mu and inv as f64 pairs (lo, hi). */
function affine4(
  x: v128,
  gamma: usize,
  beta: usize,
  c: i32,
  muLo: v128,
  muHi: v128,
  invLo: v128,
  invHi: v128,
): v128 {
  const g = v128.load(gamma + f(c));
  const b = v128.load(beta + f(c));
  const lo = f64x2.add(f64x2.mul(f64x2.mul(lo64(g), f64x2.sub(lo64(x), muLo)), invLo), lo64(b));
  const hi = f64x2.add(f64x2.mul(f64x2.mul(hi64(g), f64x2.sub(hi64(x), muHi)), invHi), hi64(b));
  return join32(lo, hi);
}

export function batchNormForward(
  x: usize,
  rows: i32,
  cols: i32,
  gamma: usize,
  beta: usize,
  eps: f64,
  momentum: f64,
  runningMean: usize,
  runningVar: usize,
  y: usize,
  mean: usize,
  invStd: usize,
): void {
  const n = <f64>rows;
  for (let c0 = 0; c0 < cols; c0 += COL_BLOCK) {
    const cb = min(COL_BLOCK, cols - c0);
    const cb4 = cb & ~3;
    zero64(colA, cb);
    zero64(colB, cb);
    for (let r = 0; r < rows; r++) {
      const row = x + f(r * cols + c0);
      let j = 0;
      for (; j < cb4; j += 4) accumulate4(colA, j, v128.load(row + f(j)), 0, false);
      for (; j < cb; j++) set(colA, j, get(colA, j) + at(row, j));
    }
    for (let j = 0; j < cb; j++) set(colA, j, get(colA, j) / n); // colA: mean
    for (let r = 0; r < rows; r++) {
      const row = x + f(r * cols + c0);
      let j = 0;
      for (; j < cb4; j += 4) accumulate4(colB, j, v128.load(row + f(j)), colA, true);
      for (; j < cb; j++) {
        const e = at(row, j) - get(colA, j);
        set(colB, j, get(colB, j) + e * e);
      }
    }
    for (let j = 0; j < cb; j++) {
      const c = c0 + j;
      const mu = get(colA, j);
      const v = get(colB, j) / n;
      const inv = 1 / Math.sqrt(v + eps);
      set(colB, j, inv); // colB: 1/std from here on
      put(mean, c, mu);
      put(invStd, c, inv);
      // PyTorch keeps the unbiased variance in the running estimate (Bessel's correction).
      const unbiased = (v * n) / <f64>(rows - 1);
      put(runningMean, c, (1 - momentum) * at(runningMean, c) + momentum * mu);
      put(runningVar, c, (1 - momentum) * at(runningVar, c) + momentum * unbiased);
    }
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      let j = 0;
      for (; j < cb4; j += 4) {
        const mLo = v128.load(colA + d8(j));
        const mHi = v128.load(colA + d8(j), 16);
        const iLo = v128.load(colB + d8(j));
        const iHi = v128.load(colB + d8(j), 16);
        v128.store(y + f(o + j), affine4(v128.load(x + f(o + j)), gamma, beta, c0 + j, mLo, mHi, iLo, iHi));
      }
      for (; j < cb; j++) {
        const c = c0 + j;
        put(y, o + j, at(gamma, c) * (at(x, o + j) - get(colA, j)) * get(colB, j) + at(beta, c));
      }
    }
  }
}

export function batchNormInference(
  x: usize,
  rows: i32,
  cols: i32,
  gamma: usize,
  beta: usize,
  runningMean: usize,
  runningVar: usize,
  eps: f64,
  y: usize,
): void {
  for (let c0 = 0; c0 < cols; c0 += COL_BLOCK) {
    const cb = min(COL_BLOCK, cols - c0);
    const cb4 = cb & ~3;
    for (let j = 0; j < cb; j++) {
      set(colA, j, at(runningMean, c0 + j));
      set(colB, j, 1 / Math.sqrt(at(runningVar, c0 + j) + eps));
    }
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      let j = 0;
      for (; j < cb4; j += 4) {
        const mLo = v128.load(colA + d8(j));
        const mHi = v128.load(colA + d8(j), 16);
        const iLo = v128.load(colB + d8(j));
        const iHi = v128.load(colB + d8(j), 16);
        v128.store(y + f(o + j), affine4(v128.load(x + f(o + j)), gamma, beta, c0 + j, mLo, mHi, iLo, iHi));
      }
      for (; j < cb; j++) {
        const c = c0 + j;
        put(y, o + j, at(gamma, c) * (at(x, o + j) - get(colA, j)) * get(colB, j) + at(beta, c));
      }
    }
  }
}

/** dbeta = sum dy; dgamma = sum dy*xhat; dx = gamma*invStd/N * (N*dy - dbeta - xhat*dgamma). dx may alias dy. */
export function batchNormBackward(
  dy: usize,
  x: usize,
  rows: i32,
  cols: i32,
  gamma: usize,
  mean: usize,
  invStd: usize,
  dx: usize,
  dgamma: usize,
  dbeta: usize,
): void {
  const n = <f64>rows;
  const nv = f64x2.splat(n);
  const invN = 1 / n;
  const lim = flushLimit();
  for (let c0 = 0; c0 < cols; c0 += COL_BLOCK) {
    const cb = min(COL_BLOCK, cols - c0);
    const cb4 = cb & ~3;
    zero64(colA, cb);
    zero64(colB, cb);
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      let j = 0;
      for (; j < cb4; j += 4) {
        const g = v128.load(dy + f(o + j));
        const v = v128.load(x + f(o + j));
        const mu = v128.load(mean + f(c0 + j));
        const inv = v128.load(invStd + f(c0 + j));
        accumulate4(colA, j, g, 0, false);
        const tl = f64x2.mul(f64x2.mul(lo64(g), f64x2.sub(lo64(v), lo64(mu))), lo64(inv));
        const th = f64x2.mul(f64x2.mul(hi64(g), f64x2.sub(hi64(v), hi64(mu))), hi64(inv));
        v128.store(colB + d8(j), f64x2.add(v128.load(colB + d8(j)), tl));
        v128.store(colB + d8(j), f64x2.add(v128.load(colB + d8(j), 16), th), 16);
      }
      for (; j < cb; j++) {
        const c = c0 + j;
        const g = at(dy, o + j);
        set(colA, j, get(colA, j) + g);
        set(colB, j, get(colB, j) + g * (at(x, o + j) - at(mean, c)) * at(invStd, c));
      }
    }
    // The backward pass's outputs are stored with subnormals flushed to zero (flush.ts).
    for (let j = 0; j < cb; j++) {
      putFtz(dbeta, c0 + j, get(colA, j));
      putFtz(dgamma, c0 + j, get(colB, j));
    }
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      let j = 0;
      for (; j < cb4; j += 4) {
        const c = c0 + j;
        const mu = v128.load(mean + f(c));
        const inv = v128.load(invStd + f(c));
        const gm = v128.load(gamma + f(c));
        const v = v128.load(x + f(o + j));
        const g = v128.load(dy + f(o + j));
        // k = gamma*inv/N as a multiply: a division per element costs ~4x more.
        const kl = f64x2.mul(f64x2.mul(lo64(gm), lo64(inv)), f64x2.splat(invN));
        const kh = f64x2.mul(f64x2.mul(hi64(gm), hi64(inv)), f64x2.splat(invN));
        const xl = f64x2.mul(f64x2.sub(lo64(v), lo64(mu)), lo64(inv));
        const xh = f64x2.mul(f64x2.sub(hi64(v), hi64(mu)), hi64(inv));
        const sl = f64x2.add(f64x2.mul(xl, v128.load(colB + d8(j))), v128.load(colA + d8(j)));
        const sh = f64x2.add(f64x2.mul(xh, v128.load(colB + d8(j), 16)), v128.load(colA + d8(j), 16));
        const rl = f64x2.mul(kl, f64x2.sub(f64x2.mul(nv, lo64(g)), sl));
        const rh = f64x2.mul(kh, f64x2.sub(f64x2.mul(nv, hi64(g)), sh));
        v128.store(dx + f(o + j), ftz4(join32(rl, rh), lim));
      }
      for (; j < cb; j++) {
        const c = c0 + j;
        const inv = at(invStd, c);
        const xhat = (at(x, o + j) - at(mean, c)) * inv;
        const k = at(gamma, c) * inv * invN;
        putFtz(dx, o + j, k * (n * at(dy, o + j) - get(colA, j) - xhat * get(colB, j)));
      }
    }
  }
}
