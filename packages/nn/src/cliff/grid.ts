import { ConfigError } from '@vgp/core';
import { median } from '../diagnostics/window.js';
import { cliffPoint, type OneUnitNet, oneUnitNet } from './one-unit.js';

/** A rectangle of (w, b) sampled on an evenly spaced grid, both ends included. */
export interface CliffGridSpec {
  /** `[w0, w1]`: the w range, w0 < w1. */
  w: [number, number];
  /** `[b0, b1]`: the b range, b0 < b1. */
  b: [number, number];
  /** Points along w, an integer >= 2. */
  nw: number;
  /** Points along b, an integer >= 2. */
  nb: number;
}

/** The grid Pascanu et al.'s wall sits in: w in [-2, 12], b in [-6, 2], 281 x 161 points (steps of 0.05). */
export const CLIFF_GRID: CliffGridSpec = { w: [-2, 12], b: [-6, 2], nw: 281, nb: 161 };

/** Loss and gradient norm over a grid, with where the gradient norm peaks. */
export interface CliffGrid {
  /** The w of each column, ascending. */
  w: number[];
  /** The b of each row, ascending. */
  b: number[];
  /** Loss at (w[i], b[j]), stored at j * nw + i (rows of constant b). */
  loss: Float64Array;
  /** Gradient norm at (w[i], b[j]), stored like `loss`. */
  gradNorm: Float64Array;
  /** The grid point with the largest gradient norm: on the wall. */
  peak: { w: number; b: number; gradNorm: number; loss: number };
  /** Median gradient norm over the grid (the typical size the wall is compared with). */
  medianGradNorm: number;
}

function axis(range: [number, number], n: number, name: string, count: string): number[] {
  const [lo, hi] = range;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi))
    throw new ConfigError(
      `cliff grid: ${name} range must be two finite numbers, low < high; got ${lo}, ${hi}`,
    );
  if (!(Number.isInteger(n) && n >= 2 && n <= 4096))
    throw new ConfigError(`cliff grid: ${count} must be an integer in [2, 4096], got ${n}`);
  // lo + i * step, the last point set to hi exactly so the ends are the ones asked for.
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo + (i * (hi - lo)) / (n - 1)));
}

/** Evaluates the one-unit net at every point of `spec` (float64, exact gradients). */
export function cliffGrid(spec: CliffGridSpec = CLIFF_GRID, net: OneUnitNet = {}): CliffGrid {
  const full = oneUnitNet(net);
  const w = axis(spec.w, spec.nw, 'w', 'NW');
  const b = axis(spec.b, spec.nb, 'b', 'NB');
  const loss = new Float64Array(w.length * b.length);
  const gradNorm = new Float64Array(w.length * b.length);
  let best = -1;
  for (let j = 0; j < b.length; j++) {
    for (let i = 0; i < w.length; i++) {
      const k = j * w.length + i;
      const p = cliffPoint(w[i] as number, b[j] as number, full);
      loss[k] = p.loss;
      gradNorm[k] = p.gradNorm;
      if (best < 0 || p.gradNorm > (gradNorm[best] as number)) best = k;
    }
  }
  const pw = best % w.length;
  const pb = Math.floor(best / w.length);
  return {
    w,
    b,
    loss,
    gradNorm,
    peak: {
      w: w[pw] as number,
      b: b[pb] as number,
      gradNorm: gradNorm[best] as number,
      loss: loss[best] as number,
    },
    medianGradNorm: median(gradNorm),
  };
}
