/**
 * A sweep's output read in the page: `vgp sweep --json` (already aggregated) or the `results.jsonl`
 * of its output directory (aggregated here with @vgp/nn's `aggregateRuns`, the same function the CLI
 * uses), turned into lines to plot: one per variant, a summary number against one axis.
 */
import { ConfigError } from '@vgp/core';
import { aggregateRuns, parseJson, type RunSummary, type Spread, type Verdict } from '@vgp/nn';

/** One grid point over its seeds. */
export interface SweepPoint {
  label: string;
  point: Record<string, unknown>;
  variant: string | null;
  seeds: number[];
  summary: Record<string, Spread>;
}

/** Everything the view can plot. */
export interface SweepData {
  name: string;
  points: SweepPoint[];
  /** The axes (other than the seed) with their values in first-seen order. */
  axes: { path: string; values: unknown[] }[];
  /** Summary numbers present on some point. */
  numbers: string[];
}

interface ResultLine {
  format?: string;
  id: string;
  group: string;
  point?: Record<string, unknown>;
  variant?: string | null;
  seed: number;
  status: string;
  summary?: RunSummary;
  verdicts?: Verdict[];
}

/** Reads either output; a file that is neither is a `ConfigError` saying what is expected. */
export function parseSweepOutput(text: string, name: string): SweepData {
  const trimmed = text.trim();
  const first = trimmed.split('\n', 1)[0] ?? '';
  let doc: unknown;
  try {
    doc = parseJson(first.includes('"vgp-sweep-result"') ? first : trimmed);
  } catch (e) {
    throw new ConfigError(`${name} is not JSON: ${(e as Error).message}`);
  }
  const format = (doc as { format?: unknown } | null)?.format;
  if (format === 'vgp-sweep') return fromAggregate(doc as { name: string; groups: SweepPoint[] });
  if (format === 'vgp-sweep-result') return fromLines(trimmed, name);
  throw new ConfigError(
    `${name} is not a sweep's output: load the JSON of \`vgp sweep --json\` or the results.jsonl of its output directory`,
  );
}

function fromAggregate(doc: { name: string; groups: SweepPoint[] }): SweepData {
  const points = doc.groups.map((g) => ({
    label: g.label,
    point: g.point ?? {},
    variant: g.variant ?? null,
    seeds: g.seeds,
    summary: g.summary,
  }));
  return withAxes(doc.name, points);
}

function fromLines(text: string, name: string): SweepData {
  const byGroup = new Map<string, ResultLine[]>();
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let r: ResultLine;
    try {
      r = parseJson(line) as ResultLine;
    } catch {
      // A kill can tear the last line of a running sweep: it is not a result yet.
      continue;
    }
    if (r.format !== 'vgp-sweep-result') throw new ConfigError(`${name}:${i + 1} is not a sweep result line`);
    if (r.status !== 'done' || !r.summary || !r.verdicts) continue;
    const list = byGroup.get(r.group) ?? [];
    // A rerun may append a job twice (after a failure): its latest line counts.
    const at = list.findIndex((x) => x.id === r.id);
    if (at >= 0) list[at] = r;
    else list.push(r);
    byGroup.set(r.group, list);
  }
  const points = [...byGroup].map(([group, lines]) => {
    const sorted = [...lines].sort((a, b) => a.seed - b.seed);
    const agg = aggregateRuns(
      group,
      sorted.map((l) => ({
        seed: l.seed,
        summary: l.summary as RunSummary,
        verdicts: l.verdicts as Verdict[],
      })),
    );
    return {
      label: group,
      point: lines[0]?.point ?? {},
      variant: lines[0]?.variant ?? null,
      seeds: agg.seeds,
      summary: agg.summary,
    };
  });
  return withAxes(name.replace(/\.jsonl?$/, ''), points);
}

function withAxes(name: string, points: SweepPoint[]): SweepData {
  const axes: SweepData['axes'] = [];
  for (const p of points) {
    for (const [path, v] of Object.entries(p.point)) {
      let axis = axes.find((a) => a.path === path);
      if (!axis) {
        axis = { path, values: [] };
        axes.push(axis);
      }
      if (!axis.values.some((x) => key(x) === key(v))) axis.values.push(v);
    }
  }
  const numbers = [...new Set(points.flatMap((p) => Object.keys(p.summary)))];
  return { name, points, axes, numbers };
}

function key(v: unknown): string {
  return JSON.stringify(v);
}

/** A value as a short label: lists as `[a,b]`. */
export function valueLabel(v: unknown): string {
  return Array.isArray(v) ? `[${v.join(',')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** One line of the plot: a variant (and the other axes' values), its median and range at each x. */
export interface SweepLine {
  label: string;
  x: number[];
  median: number[];
  min: number[];
  max: number[];
}

/**
 * The lines of `number` against `axis`. Numeric axes plot at their values; other axes (remedy lists,
 * initializers) at positions 0..k-1, named by `ticks`. Points lacking the number are left out.
 */
export function sweepLines(
  data: SweepData,
  axis: string,
  number: string,
): { lines: SweepLine[]; ticks: string[] | null } {
  const values = data.axes.find((a) => a.path === axis)?.values ?? [];
  const numeric = values.every((v) => typeof v === 'number');
  const xOf = (v: unknown) => (numeric ? (v as number) : values.findIndex((x) => key(x) === key(v)));
  const lines = new Map<string, { x: number; s: Spread }[]>();
  for (const p of data.points) {
    if (!(axis in p.point)) continue;
    const s = p.summary[number];
    if (!s) continue;
    const rest = Object.entries(p.point)
      .filter(([k]) => k !== axis)
      .map(([k, v]) => `${k}=${valueLabel(v)}`);
    const label = [...(p.variant !== null ? [p.variant] : []), ...rest].join(', ') || number;
    const list = lines.get(label) ?? [];
    list.push({ x: xOf(p.point[axis]), s });
    lines.set(label, list);
  }
  return {
    lines: [...lines].map(([label, pts]) => {
      const sorted = pts.sort((a, b) => a.x - b.x);
      return {
        label,
        x: sorted.map((q) => q.x),
        median: sorted.map((q) => q.s.median),
        min: sorted.map((q) => q.s.min),
        max: sorted.map((q) => q.s.max),
      };
    }),
    ticks: numeric ? null : values.map(valueLabel),
  };
}
