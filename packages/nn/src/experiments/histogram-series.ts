import { GRAD_HIST_BINS, GRAD_HIST_MAX_EXP, GRAD_HIST_MIN_EXP } from '../diagnostics/grad-histogram.js';
import { type RecordSource, recordsOf } from '../diagnostics/record-range.js';
import type { GradHistogram } from '../diagnostics/records.js';

/**
 * A run's gradient histograms over time, one series per weight matrix: the compact form `--json`
 * prints and the playground draws as a step x log10|g| density image. `counts[k]` of a parameter is
 * its histogram at `steps[k]` (see `GradHistogram` for the bins).
 */
export interface GradHistogramSeries {
  /** log10 of the lower edge of bin 0 (bin 0 also holds smaller values and zeros). */
  minExp: number;
  /** log10 of the upper edge of the last bin (which also holds larger values). */
  maxExp: number;
  /** Bins per histogram. */
  bins: number;
  /** The recorded steps that carry histograms, ascending. */
  steps: number[];
  /** Weight and recurrent matrices in model order. */
  params: Array<{
    name: string;
    layer: string;
    role: string;
    /** `counts[k][bin]` at `steps[k]`; all zeros where a record lacks the parameter. */
    counts: number[][];
  }>;
}

/** Collects the `gradHistograms` of a history's records into one series per parameter. */
export function gradHistogramSeries(history: RecordSource): GradHistogramSeries {
  const all = recordsOf(history);
  const recs: Array<{ step: number; gradHistograms: readonly GradHistogram[] }> = [];
  for (let i = 0; i < all.length; i++) {
    const h = all.gradHistograms(i);
    if (h && h.length > 0) recs.push({ step: all.step(i), gradHistograms: h });
  }
  const first = recs[0]?.gradHistograms?.[0];
  const bins = first?.counts.length ?? GRAD_HIST_BINS;
  const params: GradHistogramSeries['params'] = [];
  const byName = new Map<string, GradHistogramSeries['params'][number]>();
  recs.forEach((r, k) => {
    for (const h of r.gradHistograms) {
      let p = byName.get(h.name);
      if (!p) {
        // A parameter first seen late is zero-filled before it, so every series has steps.length rows.
        p = { name: h.name, layer: h.layer, role: h.role, counts: [] };
        for (let i = 0; i < k; i++) p.counts.push(new Array<number>(bins).fill(0));
        byName.set(h.name, p);
        params.push(p);
      }
      p.counts.push(h.counts);
    }
    for (const p of params) if (p.counts.length < k + 1) p.counts.push(new Array<number>(bins).fill(0));
  });
  return {
    minExp: first?.minExp ?? GRAD_HIST_MIN_EXP,
    maxExp: first?.maxExp ?? GRAD_HIST_MAX_EXP,
    bins,
    steps: recs.map((r) => r.step),
    params,
  };
}
