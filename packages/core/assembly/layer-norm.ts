// Layer norm: statistics per row, over the columns of a row-major `rows x cols` x (contiguous), in
// float64 with two passes (mean, then squared deviations), and the unrounded f64 mean and 1/std are
// used for y, as the reference does. The row loops read 4 floats at a time and compute in two
// f64x2 halves; dgamma and dbeta sum down columns into the static scratch of columns.ts.
import { at, COL_BLOCK, colA, colB, put, zero64 } from './columns';
import { flushLimit, ftz4, putFtz } from './flush';
import { hi64, hsum64, join32, lo64 } from './simd-math';

// Byte offsets of float i and of f64 scratch slot j.
function f(i: i32): usize {
  return (<usize>i) << 2;
}
function d8(j: i32): usize {
  return (<usize>j) << 3;
}

export function layerNormForward(
  x: usize,
  rows: i32,
  cols: i32,
  gamma: usize,
  beta: usize,
  eps: f64,
  y: usize,
  mean: usize,
  invStd: usize,
): void {
  const d = <f64>cols;
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const xr = x + f(r * cols);
    const yr = y + f(r * cols);
    let acc = f64x2.splat(0);
    let c = 0;
    for (; c < c4; c += 4) {
      const v = v128.load(xr + f(c));
      acc = f64x2.add(acc, f64x2.add(lo64(v), hi64(v)));
    }
    let s = hsum64(acc);
    for (; c < cols; c++) s += at(xr, c);
    const mu = s / d;
    const muv = f64x2.splat(mu);
    acc = f64x2.splat(0);
    for (c = 0; c < c4; c += 4) {
      const v = v128.load(xr + f(c));
      const a = f64x2.sub(lo64(v), muv);
      const b = f64x2.sub(hi64(v), muv);
      acc = f64x2.add(acc, f64x2.add(f64x2.mul(a, a), f64x2.mul(b, b)));
    }
    let sq = hsum64(acc);
    for (; c < cols; c++) {
      const e = at(xr, c) - mu;
      sq += e * e;
    }
    const inv = 1 / Math.sqrt(sq / d + eps);
    put(mean, r, mu);
    put(invStd, r, inv);
    const iv = f64x2.splat(inv);
    for (c = 0; c < c4; c += 4) {
      const v = v128.load(xr + f(c));
      const g = v128.load(gamma + f(c));
      const b = v128.load(beta + f(c));
      const ylo = f64x2.add(f64x2.mul(f64x2.mul(lo64(g), f64x2.sub(lo64(v), muv)), iv), lo64(b));
      const yhi = f64x2.add(f64x2.mul(f64x2.mul(hi64(g), f64x2.sub(hi64(v), muv)), iv), hi64(b));
      v128.store(yr + f(c), join32(ylo, yhi));
    }
    for (; c < cols; c++) put(yr, c, at(gamma, c) * (at(xr, c) - mu) * inv + at(beta, c));
  }
}

/**
 * With g = dy*gamma per row: dx = invStd/D * (D*g - sum g - xhat*sum(g*xhat)); dgamma = sum_r dy*xhat,
 * dbeta = sum_r dy. The column sums run first, so dx may alias dy.
 */
export function layerNormBackward(
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
  for (let c0 = 0; c0 < cols; c0 += COL_BLOCK) {
    const cb = min(COL_BLOCK, cols - c0);
    const cb4 = cb & ~3;
    zero64(colA, cb);
    zero64(colB, cb);
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      const mu = at(mean, r);
      const inv = at(invStd, r);
      const muv = f64x2.splat(mu);
      const iv = f64x2.splat(inv);
      let j = 0;
      for (; j < cb4; j += 4) {
        const g = v128.load(dy + f(o + j));
        const v = v128.load(x + f(o + j));
        const gl = lo64(g);
        const gh = hi64(g);
        v128.store(colA + d8(j), f64x2.add(v128.load(colA + d8(j)), gl));
        v128.store(colA + d8(j), f64x2.add(v128.load(colA + d8(j), 16), gh), 16);
        const tl = f64x2.mul(f64x2.mul(gl, f64x2.sub(lo64(v), muv)), iv);
        const th = f64x2.mul(f64x2.mul(gh, f64x2.sub(hi64(v), muv)), iv);
        v128.store(colB + d8(j), f64x2.add(v128.load(colB + d8(j)), tl));
        v128.store(colB + d8(j), f64x2.add(v128.load(colB + d8(j), 16), th), 16);
      }
      for (; j < cb; j++) {
        const g = at(dy, o + j);
        store<f64>(colA + d8(j), load<f64>(colA + d8(j)) + g);
        store<f64>(colB + d8(j), load<f64>(colB + d8(j)) + g * (at(x, o + j) - mu) * inv);
      }
    }
    // The backward pass's outputs are stored with subnormals flushed to zero (flush.ts).
    for (let j = 0; j < cb; j++) {
      putFtz(dbeta, c0 + j, load<f64>(colA + d8(j)));
      putFtz(dgamma, c0 + j, load<f64>(colB + d8(j)));
    }
  }
  const d = <f64>cols;
  const dv = f64x2.splat(d);
  const c4 = cols & ~3;
  const lim = flushLimit();
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const mu = at(mean, r);
    const inv = at(invStd, r);
    const muv = f64x2.splat(mu);
    const iv = f64x2.splat(inv);
    let sG = f64x2.splat(0);
    let sGX = f64x2.splat(0);
    let c = 0;
    for (; c < c4; c += 4) {
      const gy = v128.load(dy + f(o + c));
      const gm = v128.load(gamma + f(c));
      const v = v128.load(x + f(o + c));
      const gl = f64x2.mul(lo64(gy), lo64(gm));
      const gh = f64x2.mul(hi64(gy), hi64(gm));
      sG = f64x2.add(sG, f64x2.add(gl, gh));
      const xl = f64x2.mul(f64x2.sub(lo64(v), muv), iv);
      const xh = f64x2.mul(f64x2.sub(hi64(v), muv), iv);
      sGX = f64x2.add(sGX, f64x2.add(f64x2.mul(gl, xl), f64x2.mul(gh, xh)));
    }
    let sumG = hsum64(sG);
    let sumGXhat = hsum64(sGX);
    for (; c < cols; c++) {
      const g = at(dy, o + c) * at(gamma, c);
      sumG += g;
      sumGXhat += g * (at(x, o + c) - mu) * inv;
    }
    const k = inv / d; // hoisted: neither binaryen nor V8 moves a division out of the loop
    const kv = f64x2.splat(k);
    const sGv = f64x2.splat(sumG);
    const sXv = f64x2.splat(sumGXhat);
    for (c = 0; c < c4; c += 4) {
      const gy = v128.load(dy + f(o + c));
      const gm = v128.load(gamma + f(c));
      const v = v128.load(x + f(o + c));
      const xl = f64x2.mul(f64x2.sub(lo64(v), muv), iv);
      const xh = f64x2.mul(f64x2.sub(hi64(v), muv), iv);
      const rl = f64x2.sub(f64x2.sub(f64x2.mul(f64x2.mul(dv, lo64(gy)), lo64(gm)), sGv), f64x2.mul(xl, sXv));
      const rh = f64x2.sub(f64x2.sub(f64x2.mul(f64x2.mul(dv, hi64(gy)), hi64(gm)), sGv), f64x2.mul(xh, sXv));
      v128.store(dx + f(o + c), ftz4(join32(f64x2.mul(kv, rl), f64x2.mul(kv, rh)), lim));
    }
    for (; c < cols; c++) {
      const xhat = (at(x, o + c) - mu) * inv;
      putFtz(dx, o + c, k * (d * at(dy, o + c) * at(gamma, c) - sumG - xhat * sumGXhat));
    }
  }
}
