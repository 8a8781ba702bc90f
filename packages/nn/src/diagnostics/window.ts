import type { RecordRange } from './record-range.js';
import { ANALYSIS_WINDOW } from './thresholds.js';

/** The records diagnosis judges: the last `ANALYSIS_WINDOW` of them (at least one). */
export function analysisWindow(records: RecordRange): RecordRange {
  if (records.length === 0) return records;
  const n = Math.max(1, Math.ceil(records.length * ANALYSIS_WINDOW));
  return records.slice(records.length - n);
}

/** Median of the finite values; NaN when there are none. Medians ignore a single spiky step. */
export function median(values: Iterable<number | null | undefined>): number {
  const v: number[] = [];
  for (const x of values) if (typeof x === 'number' && Number.isFinite(x)) v.push(x);
  if (v.length === 0) return Number.NaN;
  // A typed array sorts numerically in native code: 4-5x faster than a comparator over 500 values.
  const s = Float64Array.from(v).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Elementwise median of per-step number arrays (e.g. ||dL/dh_t|| over t), over the arrays of the longest length. */
export function medianArray(arrays: readonly (readonly number[] | undefined)[]): number[] {
  const present = arrays.filter((a): a is readonly number[] => Array.isArray(a) && a.length > 0);
  if (present.length === 0) return [];
  const len = Math.max(...present.map((a) => a.length));
  const same = present.filter((a) => a.length === len);
  return Array.from({ length: len }, (_, t) => median(same.map((a) => a[t])));
}
