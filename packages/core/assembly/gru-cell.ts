// GRU pointwise gate math, PyTorch's formulation; gate blocks r, z, n per row of gx and gh. Four
// hidden units per step with the f32x4 sigmoid/tanh of simd-math.ts; the last hidden % 4 units of
// each row take the scalar float64 path. The state h and every gradient are stored with subnormals
// flushed to zero (flush.ts).
import { at, put } from './columns';
import { flushLimit, ftz4, putFtz } from './flush';
import { sigmoid64 } from './math';
import { sigmoid4, tanh4 } from './simd-math';

function gruForwardScalar(gx: usize, gh: usize, hPrev: usize, hidden: i32, gi: i32, s: i32, h: usize): void {
  const r = sigmoid64(at(gx, gi) + at(gh, gi));
  const z = sigmoid64(at(gx, gi + hidden) + at(gh, gi + hidden));
  const n = Math.tanh(at(gx, gi + 2 * hidden) + r * at(gh, gi + 2 * hidden));
  put(gx, gi, r);
  put(gx, gi + hidden, z);
  put(gx, gi + 2 * hidden, n);
  putFtz(h, s, (1 - z) * n + z * at(hPrev, s));
}

/** r = sigmoid(gx_r + gh_r); z = sigmoid(gx_z + gh_z); n = tanh(gx_n + r*gh_n); h = (1-z)*n + z*hPrev. */
export function gruCellForward(gx: usize, gh: usize, hPrev: usize, batch: i32, hidden: i32, h: usize): void {
  const block = (<usize>hidden) << 2;
  const h4 = hidden & ~3;
  const one = f32x4.splat(1);
  const lim = flushLimit();
  for (let b = 0; b < batch; b++) {
    let j = 0;
    for (; j < h4; j += 4) {
      const go = (<usize>(b * 3 * hidden + j)) << 2;
      const sp = (<usize>(b * hidden + j)) << 2;
      const r = sigmoid4(f32x4.add(v128.load(gx + go), v128.load(gh + go)));
      const z = sigmoid4(f32x4.add(v128.load(gx + go + block), v128.load(gh + go + block)));
      const n = tanh4(
        f32x4.add(v128.load(gx + go + 2 * block), f32x4.mul(r, v128.load(gh + go + 2 * block))),
      );
      v128.store(gx + go, r);
      v128.store(gx + go + block, z);
      v128.store(gx + go + 2 * block, n);
      const hNew = f32x4.add(f32x4.mul(f32x4.sub(one, z), n), f32x4.mul(z, v128.load(hPrev + sp)));
      v128.store(h + sp, ftz4(hNew, lim));
    }
    for (; j < hidden; j++) gruForwardScalar(gx, gh, hPrev, hidden, b * 3 * hidden + j, b * hidden + j, h);
  }
}

function gruBackwardScalar(
  gx: usize,
  gh: usize,
  hPrev: usize,
  dh: usize,
  hidden: i32,
  gi: i32,
  s: i32,
  dgx: usize,
  dgh: usize,
  dhPrev: usize,
): void {
  const r = at(gx, gi);
  const z = at(gx, gi + hidden);
  const n = at(gx, gi + 2 * hidden);
  const d = at(dh, s);
  const dnPre = d * (1 - z) * (1 - n * n);
  const dzPre = d * (at(hPrev, s) - n) * z * (1 - z);
  const drPre = dnPre * at(gh, gi + 2 * hidden) * r * (1 - r);
  putFtz(dgx, gi, drPre);
  putFtz(dgx, gi + hidden, dzPre);
  putFtz(dgx, gi + 2 * hidden, dnPre);
  putFtz(dgh, gi, drPre);
  putFtz(dgh, gi + hidden, dzPre);
  putFtz(dgh, gi + 2 * hidden, dnPre * r);
  putFtz(dhPrev, s, d * z);
}

/**
 * Through h = (1-z)*n + z*hPrev, then tanh for n and sigmoid for r and z (no transcendentals: the
 * activations are stored). dgh's n block carries the factor r of r*gh_n; dhPrev is the direct path.
 */
export function gruCellBackward(
  gx: usize,
  gh: usize,
  hPrev: usize,
  dh: usize,
  batch: i32,
  hidden: i32,
  dgx: usize,
  dgh: usize,
  dhPrev: usize,
): void {
  const block = (<usize>hidden) << 2;
  const h4 = hidden & ~3;
  const one = f32x4.splat(1);
  const lim = flushLimit();
  for (let b = 0; b < batch; b++) {
    let j = 0;
    for (; j < h4; j += 4) {
      const go = (<usize>(b * 3 * hidden + j)) << 2;
      const sp = (<usize>(b * hidden + j)) << 2;
      const r = v128.load(gx + go);
      const z = v128.load(gx + go + block);
      const n = v128.load(gx + go + 2 * block);
      const d = v128.load(dh + sp);
      const dnPre = f32x4.mul(f32x4.mul(d, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const dzPre = f32x4.mul(
        f32x4.mul(d, f32x4.sub(v128.load(hPrev + sp), n)),
        f32x4.mul(z, f32x4.sub(one, z)),
      );
      const drPre = f32x4.mul(
        f32x4.mul(dnPre, v128.load(gh + go + 2 * block)),
        f32x4.mul(r, f32x4.sub(one, r)),
      );
      const dr = ftz4(drPre, lim);
      const dz = ftz4(dzPre, lim);
      const dn = ftz4(dnPre, lim);
      v128.store(dgx + go, dr);
      v128.store(dgx + go + block, dz);
      v128.store(dgx + go + 2 * block, dn);
      v128.store(dgh + go, dr);
      v128.store(dgh + go + block, dz);
      v128.store(dgh + go + 2 * block, ftz4(f32x4.mul(dnPre, r), lim));
      v128.store(dhPrev + sp, ftz4(f32x4.mul(d, z), lim));
    }
    for (; j < hidden; j++) {
      gruBackwardScalar(gx, gh, hPrev, dh, hidden, b * 3 * hidden + j, b * hidden + j, dgx, dgh, dhPrev);
    }
  }
}
