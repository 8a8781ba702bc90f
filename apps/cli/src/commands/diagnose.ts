import { ConfigError } from '@vgp/core';
import {
  diagnose,
  type ExperimentConfig,
  fitRemedies,
  type History,
  stringifyJson,
  type Verdict,
  validateHistory,
} from '@vgp/nn';
import { verdictText } from '../format/report.js';
import { emit, type Io } from '../io.js';
import { readJsonFile } from '../options.js';

/** The playground's JSON export (apps/web/src/state/export.ts): its runs carry the same History. */
const PLAYGROUND_FORMAT = /^vgp-playground-runs\//;

const WHAT_TO_GIVE =
  'give the output of `vgp run --json`, `vgp compare --json --history`, or the playground\'s "Export JSON"';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The histories in a file written by `vgp run --json`, `vgp compare --json --history`, the
 * playground's JSON export, or a bare History; each checked against the documented history schema
 * (a `DataError` names the first missing or mistyped field).
 */
/** A run's effective config, when the document carries one (`vgp run/compare --json` do): remedies are fitted to it. */
function effectiveOf(r: Record<string, unknown>): ExperimentConfig | undefined {
  return isObject(r.effective) && isObject(r.effective.model)
    ? (r.effective as unknown as ExperimentConfig)
    : undefined;
}

export function historiesIn(
  doc: unknown,
  file: string,
): { label: string; history: History; effective?: ExperimentConfig }[] {
  if (!isObject(doc)) throw new ConfigError(`${file} holds no training history; ${WHAT_TO_GIVE}`);
  if ('records' in doc) {
    const history = validateHistory(doc, file);
    return [{ label: history.meta.label ?? 'run', history }];
  }
  if ('history' in doc) {
    const history = validateHistory(doc.history, `${file}: history`);
    return [{ label: String(doc.label ?? 'run'), history, effective: effectiveOf(doc) }];
  }
  if (Array.isArray(doc.runs)) {
    const playground = typeof doc.format === 'string' && PLAYGROUND_FORMAT.test(doc.format);
    if (doc.runs.length === 0)
      throw new ConfigError(`${file}: runs is empty, so there is nothing to diagnose`);
    return doc.runs.map((r: unknown, i: number) => {
      if (!isObject(r) || r.history === undefined) {
        throw new ConfigError(
          playground
            ? `${file}: runs[${i}] has no history (an export from an older playground); export the runs again`
            : `${file} holds a comparison without per-step histories; rerun it with \`vgp compare ... --json --history\``,
        );
      }
      const history = validateHistory(r.history, `${file}: runs[${i}].history`);
      return {
        label: String(r.label ?? history.meta.label ?? `run ${i + 1}`),
        history,
        effective: effectiveOf(r),
      };
    });
  }
  throw new ConfigError(`${file} holds no training history; ${WHAT_TO_GIVE}`);
}

/** The verdicts of every history in a parsed document (what `vgp diagnose` prints). */
export function diagnoseDocument(doc: unknown, file: string): { label: string; verdicts: Verdict[] }[] {
  // The same remedy filter `vgp run` and the playground apply, when the file says what the run was.
  return historiesIn(doc, file).map(({ label, history, effective }) => ({
    label,
    verdicts: effective ? fitRemedies(diagnose(history), effective) : diagnose(history),
  }));
}

/** `vgp diagnose FILE`: verdicts from a recorded history, without training again. */
export function diagnoseCommand(io: Io, file: string, opts: { json?: boolean; out?: string }): number {
  const runs = diagnoseDocument(readJsonFile(file), file);
  if (opts.json) emit(io, stringifyJson(runs), opts.out);
  else emit(io, runs.map((r) => verdictText(r.label, r.verdicts)).join('\n'), opts.out);
  return 0;
}
