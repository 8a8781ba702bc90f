/**
 * Gradient histograms over training, as the page keeps them: the worker's `HistogramUpdate`s folded
 * into one series per run, and the figures the step x log10|g| density image is drawn from.
 */
import type { HistogramUpdate } from '../worker/protocol.js';

/** Every histogram of a run so far: `counts[k][p]` is `names[p]`'s histogram at `steps[k]`. */
export interface HistogramSeries {
  minExp: number;
  maxExp: number;
  names: string[];
  steps: number[];
  counts: number[][][];
}

/** Columns kept per run; beyond it every other one is dropped (the image stays a few hundred wide). */
export const MAX_HISTOGRAM_COLUMNS = 240;

/** `prev` with the update's histograms appended (a new object: Lit re-renders on identity). */
export function mergeHistograms(prev: HistogramSeries | undefined, u: HistogramUpdate): HistogramSeries {
  let next: HistogramSeries = prev
    ? { ...prev, steps: prev.steps.concat(u.steps), counts: prev.counts.concat(u.counts) }
    : { minExp: u.minExp, maxExp: u.maxExp, names: u.names, steps: u.steps, counts: u.counts };
  while (next.steps.length > MAX_HISTOGRAM_COLUMNS) {
    const keep = (_: unknown, i: number) => i % 2 === 0 || i === next.steps.length - 1;
    next = { ...next, steps: next.steps.filter(keep), counts: next.counts.filter(keep) };
  }
  return next;
}

/** log10|g| at the lower edge of bin `i`. */
export function binEdge(s: Pick<HistogramSeries, 'minExp' | 'maxExp'>, bins: number, i: number): number {
  return s.minExp + (i * (s.maxExp - s.minExp)) / bins;
}

/** The median log10|g| of one histogram, interpolated inside its bin (as @vgp/nn's histogramMedian). */
export function medianExp(s: Pick<HistogramSeries, 'minExp' | 'maxExp'>, counts: number[]): number {
  const total = counts.reduce((a, c) => a + c, 0);
  if (!(total > 0)) return Number.NaN;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    if (c > 0 && below + c >= total / 2) {
      const lo = binEdge(s, counts.length, i);
      return lo + ((total / 2 - below) / c) * (binEdge(s, counts.length, i + 1) - lo);
    }
    below += c;
  }
  return s.maxExp;
}

/**
 * The bins worth drawing for a run: from one below the lowest occupied bin to one above the highest,
 * over every parameter and step, so switching layers keeps the same vertical axis.
 */
export function occupiedBins(s: HistogramSeries): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const step of s.counts) {
    for (const h of step) {
      h.forEach((c, i) => {
        if (c > 0) {
          if (i < lo) lo = i;
          if (i > hi) hi = i;
        }
      });
    }
  }
  const bins = s.counts[0]?.[0]?.length ?? 0;
  if (!Number.isFinite(lo)) return [0, Math.max(0, bins - 1)];
  return [Math.max(0, lo - 1), Math.min(bins - 1, hi + 1)];
}
