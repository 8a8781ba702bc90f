// Row-wise softmax of a row-major `rows x cols` x: the row max is subtracted so every exponent is
// <= 0 (exp never overflows), 4 lanes at a time with expNeg4; the row sum accumulates in float64.
// y may alias x: each element is read before it is written.
import { expNeg4 } from './simd-math';

export function softmax(x: usize, rows: i32, cols: i32, y: usize): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>r * <usize>cols) << 2);
    const yr = y + ((<usize>r * <usize>cols) << 2);
    // f32x4.max propagates NaN, so a NaN anywhere in the row makes the whole row NaN, as in the reference.
    let mv = f32x4.splat(-Infinity);
    let c = 0;
    for (; c < c4; c += 4) mv = f32x4.max(mv, v128.load(xr + ((<usize>c) << 2)));
    let m = max(
      max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)),
      max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)),
    );
    for (; c < cols; c++) m = max(m, load<f32>(xr + ((<usize>c) << 2)));
    const ms = f32x4.splat(m);
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    for (c = 0; c < c4; c += 4) {
      const o = (<usize>c) << 2;
      const e = expNeg4(f32x4.sub(v128.load(xr + o), ms));
      v128.store(yr + o, e);
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1)));
    }
    const t = f64x2.add(lo, hi);
    let s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
    for (; c < cols; c++) {
      const e = <f32>Math.exp(<f64>load<f32>(xr + ((<usize>c) << 2)) - <f64>m);
      store<f32>(yr + ((<usize>c) << 2), e);
      s += <f64>e;
    }
    const inv = f32x4.splat(<f32>(1 / s));
    for (c = 0; c < c4; c += 4) {
      const o = (<usize>c) << 2;
      v128.store(yr + o, f32x4.mul(v128.load(yr + o), inv));
    }
    const inv1 = <f32>(1 / s);
    for (; c < cols; c++) {
      const o = (<usize>c) << 2;
      store<f32>(yr + o, load<f32>(yr + o) * inv1);
    }
  }
}
