/**
 * Run exports: one JSON document with the state and every record, or one CSV row per run and step.
 * Pure functions, so they are unit-tested in Node.
 */
import { runsToCsv } from '@vgp/nn';
import type { RunExport } from '../worker/protocol.js';
import type { PlaygroundState } from './state.js';
import { serializeState } from './url-state.js';

/**
 * Version 2: every run carries `history`, its recorded steps in the @vgp/nn History format that
 * `vgp run --json` writes (docs/compare-output.schema.json), so `vgp diagnose` reads the export as it
 * reads the CLI's output; `records` keeps every step's loss and per-layer gradient norms for the CSV.
 */
export const EXPORT_FORMAT = 'vgp-playground-runs/2';

export function exportJson(state: PlaygroundState, runs: RunExport[]): string {
  return JSON.stringify(
    { format: EXPORT_FORMAT, query: serializeState(state), state, runs },
    (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    1,
  );
}

/**
 * One row per recorded step and run, in the CLI's columns (`vgp run --csv`: run, seed, step, loss,
 * grad_norm_total, grad_rms:dense1, update_ratio:dense1, grad_in:..., named by layer): the same
 * @vgp/nn function writes both, so a table from the page and one from the CLI line up.
 */
export function exportCsv(runs: RunExport[]): string {
  return runsToCsv(runs);
}

/** Saves a blob under `name` through a temporary link (works offline, no server round trip). */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
