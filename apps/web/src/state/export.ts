/**
 * Run exports: one JSON document with the state and every record, or one CSV row per run and step.
 * Pure functions, so they are unit-tested in Node.
 */
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

/** Quotes a CSV field when it holds a comma, quote or newline (RFC 4180). */
function field(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function exportCsv(runs: RunExport[]): string {
  const layers = runs.reduce((m, r) => Math.max(m, r.layerNames.length), 0);
  const head = ['run', 'label', 'step', 'loss', 'metric'];
  for (let l = 0; l < layers; l++) head.push(`grad_norm_${l + 1}`);
  const lines = [head.join(',')];
  runs.forEach((r, i) => {
    for (const rec of r.records) {
      const row: Array<string | number> = [i, r.label, rec.step, rec.loss, rec.metric];
      for (let l = 0; l < layers; l++) row.push(rec.gradNorms[l] ?? '');
      lines.push(row.map(field).join(','));
    }
  });
  return `${lines.join('\n')}\n`;
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
