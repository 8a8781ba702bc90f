import { type RecordSource, recordsOf } from '../diagnostics/record-range.js';
import type { CompareResult } from './compare.js';
import { gradHistogramSeries } from './histogram-series.js';
import type { RunResult } from './run.js';

/** Identifies the JSON documents below; bump `COMPARE_VERSION` on any incompatible change (docs/compare-output.schema.json). */
export const COMPARE_FORMAT = 'vgp-compare';
/** Version of the `vgp-compare` JSON format (see `COMPARE_FORMAT`). */
export const COMPARE_VERSION = 2;

/** At most this many points per curve in JSON output: enough to draw, small enough to print. */
export const MAX_CURVE_POINTS = 200;

/** A run's curves thinned to `MAX_CURVE_POINTS`: loss and global gradient norm, and each weight layer's gradient RMS. */
export interface Curves {
  /** The step of each point. */
  step: number[];
  /** Training loss at each point. */
  loss: number[];
  /** Global gradient L2 norm at each point. */
  gradNormTotal: number[];
  /** Weight layers (forward order) and, per layer, its gradient RMS at each point. */
  layers: string[];
  /** `weightGradRms[layer][point]`; NaN where a record lacks the layer. */
  weightGradRms: number[][];
}

/** Thins a run's history to at most `MAX_CURVE_POINTS` evenly strided records, always keeping the last. */
export function curves(history: RecordSource): Curves {
  const recs = recordsOf(history);
  const n = recs.length;
  const stride = Math.max(1, Math.ceil(n / MAX_CURVE_POINTS));
  const picked: number[] = [];
  for (let i = 0; i < n; i++) if (i % stride === 0 || i === n - 1) picked.push(i);
  const weights = n === 0 ? [] : recs.paramsWhere((p) => p.role === 'weight');
  return {
    step: picked.map((i) => recs.step(i)),
    loss: picked.map((i) => recs.loss(i)),
    gradNormTotal: picked.map((i) => recs.value(i, 'gradNormTotal') ?? Number.NaN),
    layers: weights.map((k) => recs.params[k]?.layer as string),
    weightGradRms: weights.map((k) => picked.map((i) => recs.param(i, k, 'gradRms') ?? Number.NaN)),
  };
}

/** One run as JSON-ready data; the full per-step history only when asked (it is large). */
export function runToJson(run: RunResult, withHistory: boolean) {
  return {
    label: run.label,
    config: run.config,
    effective: run.effective,
    summary: run.summary,
    verdicts: run.verdicts,
    depth: run.depth,
    time: run.time,
    curves: curves(run.history),
    histograms: gradHistogramSeries(run.history),
    ...(withHistory ? { history: run.history } : {}),
  };
}

/** A comparison as the JSON document `vgp compare --json` prints. */
export function compareToJson(
  result: CompareResult,
  opts: { preset?: string | null; history?: boolean } = {},
) {
  return {
    format: COMPARE_FORMAT,
    version: COMPARE_VERSION,
    preset: opts.preset ?? null,
    base: result.base,
    variants: result.variants,
    seeds: result.seeds,
    runs: result.runs.map((r) => runToJson(r, opts.history ?? false)),
    aggregates: result.aggregates,
  };
}

/**
 * JSON text in which NaN and +-Infinity survive as the strings "NaN", "Infinity", "-Infinity" in every
 * field (plain JSON.stringify would turn them into null and lose the fact that a run blew up). `null`
 * then means only "does not apply" (no recurrence, no classes, never went non-finite).
 */
export function stringifyJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    indent,
  );
}

const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** Parses JSON written by `stringifyJson`, turning "NaN"/"Infinity"/"-Infinity" back into numbers. */
export function parseJson(text: string): unknown {
  return JSON.parse(text, (_k, v) => (typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v] : v));
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Every recorded step of every run as CSV, one row per (run, seed, step): loss, global gradient norm,
 * then per weight layer its gradient RMS and update ratio, and per depth boundary the backward signal
 * ||dL/dh||. Columns are the union over runs (empty where a run lacks the layer); a column empty on
 * every row (the pre-clip norm when no run clips) is left out. Non-finite numbers read NaN, Infinity.
 */
export function runsToCsv(runs: readonly Pick<RunResult, 'label' | 'config' | 'history'>[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  const rows: Map<string, unknown>[] = [];
  const put = (row: Map<string, unknown>, col: string, v: unknown) => {
    if (!seen.has(col)) {
      seen.add(col);
      columns.push(col);
    }
    row.set(col, v);
  };
  for (const run of runs) {
    const recs = recordsOf(run.history);
    const weights = recs.paramsWhere((p) => p.role === 'weight');
    const boundaries = recs.layersWhere((l) => l.level === 0);
    for (let i = 0; i < recs.length; i++) {
      const row = new Map<string, unknown>();
      put(row, 'run', run.label);
      put(row, 'seed', run.config.seed);
      put(row, 'step', recs.step(i));
      put(row, 'loss', recs.loss(i));
      put(row, 'grad_norm_total', recs.value(i, 'gradNormTotal'));
      put(row, 'pre_clip_norm', recs.value(i, 'preClipNorm'));
      for (const k of weights) {
        const layer = recs.params[k]?.layer as string;
        put(row, `grad_rms:${layer}`, recs.param(i, k, 'gradRms'));
        put(row, `update_ratio:${layer}`, recs.param(i, k, 'updateRatio'));
      }
      for (const j of boundaries) put(row, `grad_in:${recs.layers[j]?.name}`, recs.layer(i, j, 'gradIn'));
      rows.push(row);
    }
  }
  const kept = columns.filter((c) => rows.some((row) => csvField(row.get(c)) !== ''));
  const lines = [kept.map(csvField).join(',')];
  for (const row of rows) lines.push(kept.map((c) => csvField(row.get(c))).join(','));
  return `${lines.join('\n')}\n`;
}
