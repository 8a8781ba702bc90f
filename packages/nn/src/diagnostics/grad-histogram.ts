import type { Backend, Buf } from '@vgp/core';
import type { Param } from '../tensor.js';
import type { GradHistogram } from './records.js';

/**
 * The range of the gradient histograms, log10|g| in [GRAD_HIST_MIN_EXP, GRAD_HIST_MAX_EXP): 28
 * decades, from far below anything a vanishing f32 gradient reaches in the presets (a 20-layer sigmoid
 * net's first layer sits near 1e-14) to 1e4, beyond which an exploding run is already non-finite soon.
 */
export const GRAD_HIST_MIN_EXP = -24;
/** See `GRAD_HIST_MIN_EXP`. */
export const GRAD_HIST_MAX_EXP = 4;
/** Half a decade per bin: fine enough to see a distribution move, coarse enough to stay small in JSON. */
export const GRAD_HIST_BINS = 56;

/**
 * Gradient histograms are taken on every HISTOGRAM_EVERY-th record by default (the first included).
 * A histogram reads every entry of every weight gradient through `logHistogram`, ~5-15 ns an entry:
 * about as long as a batch-64 training step spends per weight, so on every record it would double the
 * monitor's cost. One record in 50 keeps it near 2% of a step (apps/bench `monitor`), and a run of a
 * few thousand steps still draws a density image of dozens of columns.
 */
export const HISTOGRAM_EVERY = 50;

/** log10 of the lower edge of bin `i` of `h`. */
export function histogramBinEdge(h: Pick<GradHistogram, 'minExp' | 'maxExp' | 'counts'>, i: number): number {
  return h.minExp + (i * (h.maxExp - h.minExp)) / h.counts.length;
}

/**
 * The median log10|g| a histogram shows: the bin where the cumulative count passes half the total,
 * interpolated linearly inside it (so it is good to a fraction of a bin). NaN for an empty histogram.
 */
export function histogramMedian(h: Pick<GradHistogram, 'minExp' | 'maxExp' | 'counts'>): number {
  const total = h.counts.reduce((a, c) => a + c, 0);
  if (!(total > 0)) return Number.NaN;
  const half = total / 2;
  let below = 0;
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i] as number;
    if (below + c >= half && c > 0) {
      const lo = histogramBinEdge(h, i);
      return lo + ((half - below) / c) * (histogramBinEdge(h, i + 1) - lo);
    }
    below += c;
  }
  return h.maxExp;
}

/**
 * Histograms of log10|g| of each parameter's gradient over the shared range, counted by the backend's
 * `logHistogram` kernel into `bins` (GRAD_HIST_BINS floats, reused for every parameter).
 */
export function gradHistograms(
  b: Backend,
  bins: Buf,
  params: ReadonlyArray<{ param: Param; layer: string }>,
): GradHistogram[] {
  return params.map(({ param, layer }) => {
    b.fill(bins, 0);
    b.logHistogram(param.grad.buf, GRAD_HIST_MIN_EXP, GRAD_HIST_MAX_EXP, bins);
    const read = b.read(bins);
    // An indexed copy: Array.from(typed array) runs the iterator protocol, garbage on every record.
    const counts = new Array<number>(read.length);
    for (let i = 0; i < read.length; i++) counts[i] = read[i] as number;
    return {
      name: param.name,
      layer,
      role: param.role,
      minExp: GRAD_HIST_MIN_EXP,
      maxExp: GRAD_HIST_MAX_EXP,
      counts,
    };
  });
}
