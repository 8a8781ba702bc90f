// LSTM pointwise gate math (the matrix products around it are gemm calls made by nn). Four hidden
// units per step with the f32x4 sigmoid/tanh of simd-math.ts; the last hidden % 4 units of each row
// take the scalar float64 path. Gate blocks per row of `gates`: i, f, g, o (PyTorch order).
// The states (c, h) and every gradient are stored with subnormals flushed to zero (flush.ts).
import { at, put } from './columns';
import { flushLimit, ftz4, putFtz } from './flush';
import { sigmoid64 } from './math';
import { sigmoid4, tanh4 } from './simd-math';

function lstmForwardScalar(
  gates: usize,
  cPrev: usize,
  hidden: i32,
  gi: i32,
  s: i32,
  c: usize,
  h: usize,
): void {
  const i = sigmoid64(at(gates, gi));
  const f = sigmoid64(at(gates, gi + hidden));
  const g = Math.tanh(at(gates, gi + 2 * hidden));
  const o = sigmoid64(at(gates, gi + 3 * hidden));
  put(gates, gi, i);
  put(gates, gi + hidden, f);
  put(gates, gi + 2 * hidden, g);
  put(gates, gi + 3 * hidden, o);
  const cNew = f * at(cPrev, s) + i * g;
  putFtz(c, s, cNew);
  putFtz(h, s, o * Math.tanh(cNew));
}

export function lstmCellForward(
  gates: usize,
  cPrev: usize,
  batch: i32,
  hidden: i32,
  c: usize,
  h: usize,
): void {
  const block = (<usize>hidden) << 2; // bytes from one gate block to the next
  const h4 = hidden & ~3;
  const lim = flushLimit();
  for (let b = 0; b < batch; b++) {
    let j = 0;
    for (; j < h4; j += 4) {
      const gp = gates + ((<usize>(b * 4 * hidden + j)) << 2);
      const sp = (<usize>(b * hidden + j)) << 2;
      const i = sigmoid4(v128.load(gp));
      const f = sigmoid4(v128.load(gp + block));
      const g = tanh4(v128.load(gp + 2 * block));
      const o = sigmoid4(v128.load(gp + 3 * block));
      v128.store(gp, i);
      v128.store(gp + block, f);
      v128.store(gp + 2 * block, g);
      v128.store(gp + 3 * block, o);
      const cNew = ftz4(f32x4.add(f32x4.mul(f, v128.load(cPrev + sp)), f32x4.mul(i, g)), lim);
      v128.store(c + sp, cNew);
      v128.store(h + sp, ftz4(f32x4.mul(o, tanh4(cNew)), lim));
    }
    for (; j < hidden; j++) lstmForwardScalar(gates, cPrev, hidden, b * 4 * hidden + j, b * hidden + j, c, h);
  }
}

function lstmBackwardScalar(
  gates: usize,
  cPrev: usize,
  c: usize,
  dh: usize,
  dc: usize,
  hidden: i32,
  gi: i32,
  s: i32,
  dgates: usize,
  dcPrev: usize,
): void {
  const i = at(gates, gi);
  const f = at(gates, gi + hidden);
  const g = at(gates, gi + 2 * hidden);
  const o = at(gates, gi + 3 * hidden);
  const tc = Math.tanh(at(c, s));
  const dhs = at(dh, s);
  const dcTotal = at(dc, s) + dhs * o * (1 - tc * tc);
  putFtz(dgates, gi, dcTotal * g * i * (1 - i));
  putFtz(dgates, gi + hidden, dcTotal * at(cPrev, s) * f * (1 - f));
  putFtz(dgates, gi + 2 * hidden, dcTotal * i * (1 - g * g));
  putFtz(dgates, gi + 3 * hidden, dhs * tc * o * (1 - o));
  putFtz(dcPrev, s, dcTotal * f);
}

/** dcTotal = dc + dh*o*(1 - tanh(c)^2); dc is read before dcPrev is written, so they may alias. */
export function lstmCellBackward(
  gates: usize,
  cPrev: usize,
  c: usize,
  dh: usize,
  dc: usize,
  batch: i32,
  hidden: i32,
  dgates: usize,
  dcPrev: usize,
): void {
  const block = (<usize>hidden) << 2;
  const h4 = hidden & ~3;
  const one = f32x4.splat(1);
  const lim = flushLimit();
  for (let b = 0; b < batch; b++) {
    let j = 0;
    for (; j < h4; j += 4) {
      const go = (<usize>(b * 4 * hidden + j)) << 2;
      const sp = (<usize>(b * hidden + j)) << 2;
      const i = v128.load(gates + go);
      const f = v128.load(gates + go + block);
      const g = v128.load(gates + go + 2 * block);
      const o = v128.load(gates + go + 3 * block);
      const tc = tanh4(v128.load(c + sp));
      const dhs = v128.load(dh + sp);
      const dcTotal = f32x4.add(
        v128.load(dc + sp),
        f32x4.mul(f32x4.mul(dhs, o), f32x4.sub(one, f32x4.mul(tc, tc))),
      );
      const dp = dgates + go;
      const di = f32x4.mul(f32x4.mul(dcTotal, g), f32x4.mul(i, f32x4.sub(one, i)));
      const df = f32x4.mul(f32x4.mul(dcTotal, v128.load(cPrev + sp)), f32x4.mul(f, f32x4.sub(one, f)));
      const dg = f32x4.mul(f32x4.mul(dcTotal, i), f32x4.sub(one, f32x4.mul(g, g)));
      const dO = f32x4.mul(f32x4.mul(dhs, tc), f32x4.mul(o, f32x4.sub(one, o)));
      v128.store(dp, ftz4(di, lim));
      v128.store(dp + block, ftz4(df, lim));
      v128.store(dp + 2 * block, ftz4(dg, lim));
      v128.store(dp + 3 * block, ftz4(dO, lim));
      v128.store(dcPrev + sp, ftz4(f32x4.mul(dcTotal, f), lim));
    }
    for (; j < hidden; j++) {
      lstmBackwardScalar(gates, cPrev, c, dh, dc, hidden, b * 4 * hidden + j, b * hidden + j, dgates, dcPrev);
    }
  }
}
