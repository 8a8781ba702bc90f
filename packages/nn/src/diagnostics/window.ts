import type { GradientRecord, LayerStats, ParamStats } from './records.js';
import { ANALYSIS_WINDOW } from './thresholds.js';

/** The records diagnosis judges: the last `ANALYSIS_WINDOW` of them (at least one). */
export function analysisWindow(records: readonly GradientRecord[]): GradientRecord[] {
  if (records.length === 0) return [];
  const n = Math.max(1, Math.ceil(records.length * ANALYSIS_WINDOW));
  return records.slice(records.length - n);
}

/** Median of the finite values; NaN when there are none. Medians ignore a single spiky step. */
export function median(values: Iterable<number | null | undefined>): number {
  const v: number[] = [];
  for (const x of values) if (typeof x === 'number' && Number.isFinite(x)) v.push(x);
  if (v.length === 0) return Number.NaN;
  v.sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/** Per-step values of a parameter's statistic (by parameter name) across records. */
export function paramSeries(
  records: readonly GradientRecord[],
  name: string,
  pick: (p: ParamStats) => number | null,
): (number | null)[] {
  return records.map((r) => {
    const p = r.params.find((q) => q.name === name);
    return p ? pick(p) : null;
  });
}

/** Per-step values of a layer's statistic (by layer name) across records. */
export function layerSeries(
  records: readonly GradientRecord[],
  name: string,
  pick: (l: LayerStats) => number | null,
): (number | null)[] {
  return records.map((r) => {
    const l = r.layers.find((q) => q.name === name);
    return l ? pick(l) : null;
  });
}

/** Elementwise median of per-step number arrays (e.g. ||dL/dh_t|| over t), over the arrays of the longest length. */
export function medianArray(arrays: readonly (readonly number[] | undefined)[]): number[] {
  const present = arrays.filter((a): a is readonly number[] => Array.isArray(a) && a.length > 0);
  if (present.length === 0) return [];
  const len = Math.max(...present.map((a) => a.length));
  const same = present.filter((a) => a.length === len);
  return Array.from({ length: len }, (_, t) => median(same.map((a) => a[t])));
}

/** Fraction of the values (finite ones) for which `test` holds; 0 without values. */
export function fractionWhere(values: readonly (number | null)[], test: (x: number) => boolean): number {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return v.length === 0 ? 0 : v.filter(test).length / v.length;
}
