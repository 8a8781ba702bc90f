// Elementwise kernels. Each SIMD loop handles 4 floats per step and a scalar tail handles the
// last n % 4, so every length works (buffers from views need not be 16-byte aligned: v128 loads
// and stores in wasm accept any address).

import { COL_BLOCK, colA, get64, set64, zero64 } from './columns';
import { flushLimit, ftz, ftz4 } from './flush';

export function fill(x: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) v128.store(x + ((<usize>i) << 2), v);
  for (; i < n; i++) store<f32>(x + ((<usize>i) << 2), value);
}

export function copy(src: usize, dst: usize, n: i32): void {
  // memory.copy is a single bulk instruction and handles overlapping views correctly.
  memory.copy(dst, src, (<usize>n) << 2);
}

/** x *= s, subnormals flushed (flush.ts): clipping by global norm scales every gradient with it. */
export function scale(x: usize, n: i32, s: f32): void {
  const sv = f32x4.splat(s);
  const lim = flushLimit();
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const p = x + ((<usize>i) << 2);
    v128.store(p, ftz4(f32x4.mul(v128.load(p), sv), lim));
  }
  for (; i < n; i++) {
    const p = x + ((<usize>i) << 2);
    store<f32>(p, ftz(load<f32>(p) * s));
  }
}

export function axpby(alpha: f32, x: usize, beta: f32, y: usize, n: i32): void {
  const av = f32x4.splat(alpha);
  const n4 = n & ~3;
  let i = 0;
  if (beta == 0) {
    // BLAS convention: with beta = 0 the old y is never read, so NaN or Inf there cannot leak.
    for (; i < n4; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(y + o, f32x4.mul(av, v128.load(x + o)));
    }
    for (; i < n; i++) {
      const o = (<usize>i) << 2;
      store<f32>(y + o, alpha * load<f32>(x + o));
    }
    return;
  }
  const bv = f32x4.splat(beta);
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, f32x4.add(f32x4.mul(av, v128.load(x + o)), f32x4.mul(bv, v128.load(y + o))));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(y + o, alpha * load<f32>(x + o) + beta * load<f32>(y + o));
  }
}

export function mul(a: usize, b: usize, out: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

/** y[r, c] += bias[c]: the bias row is reloaded per row from cache, 4 columns at a time. */
export function biasAdd(y: usize, bias: usize, rows: i32, cols: i32): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const row = y + ((<usize>r * <usize>cols) << 2);
    let c = 0;
    for (; c < c4; c += 4) {
      const o = (<usize>c) << 2;
      v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(bias + o)));
    }
    for (; c < cols; c++) {
      const o = (<usize>c) << 2;
      store<f32>(row + o, load<f32>(row + o) + load<f32>(bias + o));
    }
  }
}

/**
 * dbias[c] = beta*dbias[c] + sum_r dy[r, c], summed in float64 so long batches (rows = batch * time
 * steps) lose no precision. Rows are walked contiguously, 4 columns per step, into the static f64
 * scratch of columns.ts (one block of COL_BLOCK columns at a time). Subnormal results are flushed
 * to zero (flush.ts), as the other kernels that produce gradients do.
 */
export function biasGrad(dy: usize, rows: i32, cols: i32, beta: f32, dbias: usize): void {
  for (let c0 = 0; c0 < cols; c0 += COL_BLOCK) {
    const cb = min(COL_BLOCK, cols - c0);
    const cb4 = cb & ~3;
    zero64(colA, cb);
    for (let r = 0; r < rows; r++) {
      const row = dy + ((<usize>(r * cols + c0)) << 2);
      let j = 0;
      for (; j < cb4; j += 4) {
        const v = v128.load(row + ((<usize>j) << 2));
        const s = colA + ((<usize>j) << 3);
        v128.store(s, f64x2.add(v128.load(s), f64x2.promote_low_f32x4(v)));
        v128.store(
          s,
          f64x2.add(v128.load(s, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))),
          16,
        );
      }
      for (; j < cb; j++) set64(colA, j, get64(colA, j) + <f64>load<f32>(row + ((<usize>j) << 2)));
    }
    for (let j = 0; j < cb; j++) {
      const o = dbias + ((<usize>(c0 + j)) << 2);
      // beta = 0 overwrites without reading, so a fresh or poisoned dbias cannot leak through.
      store<f32>(o, ftz((beta == 0 ? 0 : beta * load<f32>(o)) + <f32>get64(colA, j)));
    }
  }
}

/**
 * x[i] = clamp(x[i], -limit, limit); NaN stays NaN, as with Math.min/max. pmax(v, lo) = v < lo ? lo : v
 * and pmin(t, hi) = hi < t ? hi : t each keep a NaN v (every comparison with NaN is false) and are
 * single instructions on x64, unlike the NaN-propagating f32x4.min/max.
 */
export function clipByValue(x: usize, n: i32, limit: f32): void {
  const hi = f32x4.splat(limit);
  const lo = f32x4.splat(-limit);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const p = x + ((<usize>i) << 2);
    v128.store(p, f32x4.pmin(f32x4.pmax(v128.load(p), lo), hi));
  }
  for (; i < n; i++) {
    const p = x + ((<usize>i) << 2);
    store<f32>(p, min<f32>(max<f32>(load<f32>(p), -limit), limit));
  }
}
