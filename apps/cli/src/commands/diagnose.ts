import { ConfigError } from '@vgp/core';
import { diagnose, type History, stringifyJson } from '@vgp/nn';
import { verdictText } from '../format/report.js';
import { emit, type Io } from '../io.js';
import { readJsonFile } from '../options.js';

/** The histories in a file written by `vgp run --json`, `vgp compare --json --history`, or a bare History. */
export function historiesIn(doc: unknown, file: string): { label: string; history: History }[] {
  const d = doc as Record<string, unknown>;
  const isHistory = (h: unknown): h is History =>
    h !== null && typeof h === 'object' && Array.isArray((h as History).records);
  if (isHistory(d)) return [{ label: d.meta?.label ?? 'run', history: d }];
  if (isHistory(d?.history)) return [{ label: String(d.label ?? 'run'), history: d.history }];
  if (Array.isArray(d?.runs)) {
    const runs = d.runs as Record<string, unknown>[];
    if (runs.some((r) => !isHistory(r.history))) {
      throw new ConfigError(
        `${file} holds a comparison without per-step histories; rerun it with \`vgp compare ... --json --history\``,
      );
    }
    return runs.map((r) => ({ label: String(r.label), history: r.history as History }));
  }
  throw new ConfigError(
    `${file} holds no training history; give the output of \`vgp run --json\` or \`vgp compare --json --history\``,
  );
}

/** `vgp diagnose FILE`: verdicts from a recorded history, without training again. */
export function diagnoseCommand(io: Io, file: string, opts: { json?: boolean; out?: string }): number {
  const runs = historiesIn(readJsonFile(file), file).map(({ label, history }) => ({
    label,
    verdicts: diagnose(history),
  }));
  if (opts.json) emit(io, stringifyJson(runs), opts.out);
  else emit(io, runs.map((r) => verdictText(r.label, r.verdicts)).join('\n'), opts.out);
  return 0;
}
