import { VERDICT_KINDS, type Verdict, type VerdictKind } from '../diagnostics/verdict.js';
import type { RunSummary } from './run.js';

/** The spread of one summary number over seeds. */
export interface Spread {
  /** Median over the runs where the number is finite (NaN when it is finite on none). */
  median: number;
  /** Smallest finite value (NaN when none). */
  min: number;
  /** Largest finite value (NaN when none). */
  max: number;
  /** How many runs gave a finite value: the median, min and max are over these. */
  n: number;
  /** How many runs gave NaN or an infinity (a run whose loss went non-finite has a NaN final loss). */
  nonFinite: number;
}

/** On how many of a set of runs a verdict kind was named. */
export interface VerdictCount {
  /** The verdict kind. */
  kind: VerdictKind;
  /** Runs on which `diagnose` named it at least once. */
  count: number;
  /** Runs in the set. */
  of: number;
}

/** One configuration run on several seeds: the spread of each summary number and k/N per verdict. */
export interface RunAggregate {
  /** The configuration's label. */
  label: string;
  /** The seeds, in the order the runs were given. */
  seeds: number[];
  /**
   * One spread per numeric field of {@link RunSummary}, by field name. A field that is `null` on a run
   * (not applicable: no recurrence, no classes, never went non-finite) does not count on that run; a
   * field that is `null` on every run is left out. Booleans (`cancelled`) are not numbers and are left out.
   */
  summary: Record<string, Spread>;
  /** Every verdict kind named on at least one run, in the order of `VERDICT_KINDS`. */
  verdicts: VerdictCount[];
}

/**
 * The spread of a configuration's summary over seeds and the count of each verdict kind.
 * NaN and infinities are not averaged in: they are counted in `nonFinite`, and median/min/max are over
 * the finite values (`n` of them), NaN when there are none. `null` means "does not apply" and is skipped.
 */
export function aggregateRuns(
  label: string,
  runs: { seed: number; summary: RunSummary; verdicts: Verdict[] }[],
): RunAggregate {
  const summary: Record<string, Spread> = {};
  const keys = new Set(runs.flatMap((r) => Object.keys(r.summary)));
  for (const key of keys) {
    const values = runs.map((r) => (r.summary as unknown as Record<string, unknown>)[key]);
    if (!values.some((v) => typeof v === 'number')) continue;
    summary[key] = spreadOf(values.filter((v): v is number => typeof v === 'number'));
  }
  const verdicts = VERDICT_KINDS.flatMap((kind) => {
    const count = runs.filter((r) => r.verdicts.some((v) => v.kind === kind)).length;
    return count > 0 ? [{ kind, count, of: runs.length }] : [];
  });
  return { label, seeds: runs.map((r) => r.seed), summary, verdicts };
}

/** Median, min and max of the finite values, with their count and the count of the others. */
export function spreadOf(values: readonly number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = finite.length;
  const nonFinite = values.length - n;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n, nonFinite };
  const mid = n >> 1;
  const median =
    n % 2 === 1 ? (finite[mid] as number) : ((finite[mid - 1] as number) + (finite[mid] as number)) / 2;
  return { median, min: finite[0] as number, max: finite[n - 1] as number, n, nonFinite };
}
