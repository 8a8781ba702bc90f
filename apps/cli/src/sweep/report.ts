import { aggregateRuns, type RunAggregate, type RunSummary, type Spread, type SweepPlan } from '@vgp/nn';
import Table from 'cli-table3';
import type { JobResult } from './results.js';

/** Identifies `vgp sweep --json` output; bump the version on any incompatible change. */
export const SWEEP_FORMAT = 'vgp-sweep';
export const SWEEP_VERSION = 1;

/** One point of the grid over its seeds: where it sits, and the spread of its runs. */
export interface GroupAggregate extends RunAggregate {
  /** The value of each axis other than `seed`. */
  point: Record<string, unknown>;
  /** The variant's label, or null when the spec has no variants. */
  variant: string | null;
  /** Seeds planned at this point. */
  planned: number;
}

/** The sweep's jobs that did not finish: failed ones with the reason, and how many never ran. */
export interface SweepGaps {
  failed: { id: string; group: string; seed: number; error: string }[];
  missing: number;
}

/**
 * Per grid point (in the plan's order), the spread of every summary number and k/N per verdict over
 * the seeds that finished, seeds in plan order, so the output is the same whichever worker ran what.
 */
export function aggregateSweep(plan: SweepPlan, results: ReadonlyMap<string, JobResult>): GroupAggregate[] {
  return plan.groups.map((group) => {
    const jobs = plan.jobs.filter((j) => j.group === group);
    const runs = jobs.flatMap((j) => {
      const r = results.get(j.id);
      if (r?.status !== 'done' || !r.summary || !r.verdicts) return [];
      // Timing is kept out of job summaries (it differs per machine); the rest is what a run reports.
      return [{ seed: j.seed, summary: r.summary as RunSummary, verdicts: r.verdicts }];
    });
    const first = jobs[0];
    return {
      ...aggregateRuns(group, runs),
      point: first?.point ?? {},
      variant: first?.variant ?? null,
      planned: jobs.length,
    };
  });
}

export function sweepGaps(plan: SweepPlan, results: ReadonlyMap<string, JobResult>): SweepGaps {
  const failed: SweepGaps['failed'] = [];
  let missing = 0;
  for (const j of plan.jobs) {
    const r = results.get(j.id);
    if (r?.status === 'failed') failed.push({ id: j.id, group: j.group, seed: j.seed, error: r.error ?? '' });
    else if (r?.status !== 'done') missing++;
  }
  return { failed, missing };
}

/** The `--json` document: the plan's axes, then one aggregate per grid point, then what is missing. */
export function sweepJson(plan: SweepPlan, groups: GroupAggregate[], gaps: SweepGaps) {
  return {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    name: plan.name,
    axes: plan.axes,
    jobs: plan.jobs.length,
    groups,
    ...gaps,
  };
}

function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(1);
  return String(Number(x.toPrecision(3)));
}

/** `median [min, max]`, or the one value when they agree; `-` when the number does not apply. */
function spread(s: Spread | undefined, percent = false): string {
  if (!s) return '-';
  const f = (x: number) => (percent && Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : num(x));
  const body =
    s.n === 0 ? 'NaN' : s.min === s.max ? f(s.median) : `${f(s.median)} [${f(s.min)}, ${f(s.max)}]`;
  return s.nonFinite > 0 ? `${body} (${s.nonFinite} NaN)` : body;
}

/** One row per grid point: median [min, max] over seeds of the key numbers, and k/N per verdict. */
export function sweepTable(groups: readonly GroupAggregate[]): string {
  const recurrent = groups.some((g) => g.summary.timeRatio !== undefined);
  const head = ['point', 'seeds', 'final loss', 'test acc', 'first/last grad'];
  if (recurrent) head.push('dL/dh_1 / dL/dh_T');
  head.push('verdicts (k/N seeds)');
  const table = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const g of groups) {
    const s = g.summary;
    const row = [
      g.label,
      `${g.seeds.length}/${g.planned}`,
      spread(s.finalLoss),
      spread(s.testAccuracy, true),
    ];
    row.push(spread(s.firstLastRatio));
    if (recurrent) row.push(spread(s.timeRatio));
    row.push(g.verdicts.map((v) => `${v.kind} ${v.count}/${v.of}`).join(', '));
    table.push(row);
  }
  return `${table.toString()}\nmedian [min, max] over the seeds that finished; NaN values are counted apart.\n`;
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One row per grid point: its axis values, seeds, `<number>_median/_min/_max`, and per verdict its count. */
export function sweepCsv(plan: SweepPlan, groups: readonly GroupAggregate[]): string {
  const axes = plan.axes.filter((a) => a.path !== 'seed').map((a) => a.path);
  const numbers = [...new Set(groups.flatMap((g) => Object.keys(g.summary)))];
  const kinds = [...new Set(groups.flatMap((g) => g.verdicts.map((v) => v.kind)))];
  const head = [
    'point',
    ...axes,
    'seeds',
    ...numbers.flatMap((k) => [`${k}_median`, `${k}_min`, `${k}_max`]),
  ];
  head.push(...kinds.map((k) => `verdict:${k}`));
  const lines = [head.map(csvField).join(',')];
  for (const g of groups) {
    const row: unknown[] = [g.label, ...axes.map((a) => g.point[a]), g.seeds.length];
    for (const k of numbers) {
      const s = g.summary[k];
      row.push(s?.median, s?.min, s?.max);
    }
    row.push(...kinds.map((k) => g.verdicts.find((v) => v.kind === k)?.count ?? 0));
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}
