import type { Floats, SaturatingKind } from '../backend.js';

// Sums accumulate in a JS number (float64) whatever the buffer precision.

export function sum(x: Floats): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

export function sumSquares(x: Floats): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

export function maxAbs(x: Floats): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    // A NaN gradient must not hide behind a larger finite one.
    if (Number.isNaN(a)) return Number.NaN;
    if (a > m) m = a;
  }
  return m;
}

export function countNonFinite(x: Floats): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) n++;
  return n;
}

export function countNearZero(x: Floats, eps: number): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]) < eps) n++;
  return n;
}

export function countSaturated(kind: SaturatingKind, y: Floats): number {
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (kind === 'sigmoid' ? v < 0.01 || v > 0.99 : Math.abs(v) > 0.99) n++;
  }
  return n;
}

export function countDeadUnits(y: Floats, rows: number, cols: number): number {
  let dead = 0;
  for (let c = 0; c < cols; c++) {
    let alive = false;
    for (let r = 0; r < rows && !alive; r++) alive = y[r * cols + c] > 0;
    if (!alive) dead++;
  }
  return dead;
}

export function paramStats(w: Floats, g: Floats, prev: Floats | null, eps: number, out: Float64Array): void {
  let sw = 0;
  let sg = 0;
  let sd = 0;
  let near = 0;
  for (let i = 0; i < w.length; i++) {
    sw += w[i] * w[i];
    sg += g[i] * g[i];
    if (Math.abs(w[i]) < eps) near++;
    if (prev) {
      const d = w[i] - prev[i];
      sd += d * d;
      prev[i] = w[i];
    }
  }
  out[0] = sw;
  out[1] = sg;
  out[2] = sd;
  out[3] = near;
}

export function moments(
  x: Floats,
  shift: number,
  saturating: SaturatingKind | null,
  out: Float64Array,
): void {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - shift;
    s1 += d;
    s2 += d * d;
  }
  out[0] = s1;
  out[1] = s2;
  out[2] = saturating === null ? 0 : countSaturated(saturating, x);
}

export function logHistogram(x: Floats, minExp: number, maxExp: number, bins: Floats): void {
  const b = bins.length;
  const width = (maxExp - minExp) / b;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (!Number.isFinite(a)) continue;
    // log10(0) = -Infinity lands in bin 0 through the clamp below.
    const bin = Math.floor((Math.log10(a) - minExp) / width);
    bins[Math.min(b - 1, Math.max(0, bin))] += 1;
  }
}
