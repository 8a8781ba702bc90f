/**
 * The playground state <-> URL query string. Parsing is a whitelist: every key is known, every value
 * is checked against a closed list or a numeric range, and nothing is ever evaluated. Any problem
 * rejects the whole URL and the caller falls back to the defaults, showing the problems as a notice:
 * a half-applied tampered link would silently show a comparison nobody asked for.
 */
import {
  ACTIVATIONS,
  BACKENDS,
  CELLS,
  CLIPS,
  INITS,
  MAX_VARIANTS,
  NORMS,
  type NumericRange,
  OPTIMIZERS,
  RANGES,
  TASKS,
} from './options.js';
import {
  DEFAULT_RUN,
  defaultState,
  type PlaygroundState,
  type RunSpec,
  type SharedSettings,
} from './state.js';

export interface ParsedState {
  state: PlaygroundState;
  /** Empty when the URL was valid (or empty); else what was wrong, one line each. */
  problems: string[];
}

/** Longer query strings are rejected before any parsing. */
export const MAX_QUERY_LENGTH = 4000;
export const MAX_LABEL_LENGTH = 40;
const PRESET_ID = /^[a-z0-9][a-z0-9-]{0,47}$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
// Letters, digits, spaces and a little punctuation: enough for "ReLU + He (no BN)".
const LABEL = /^[\p{L}\p{N} +\-_.,:()/&'#%=]*$/u;

type SharedKey = keyof SharedSettings;
type RunKey = keyof RunSpec;

/** URL key of each shared setting (short where the name is long). */
const SHARED_KEYS: Record<SharedKey, string> = {
  task: 'task',
  depth: 'depth',
  width: 'width',
  lr: 'lr',
  batchSize: 'batch',
  seqLen: 'seq',
  noise: 'noise',
  samples: 'n',
  symbols: 'sym',
  seed: 'seed',
  backend: 'backend',
  steps: 'steps',
  speed: 'speed',
  csvName: 'data',
  csvTarget: 'target',
};

/** Free-text shared settings (task 'csv' only): a file name and a column name, checked against TEXT. */
const TEXT_KEYS: readonly SharedKey[] = ['csvName', 'csvTarget'];
// A file or column name: letters, digits, currency signs, spaces and common punctuation; nothing that could be markup.
const TEXT = /^[\p{L}\p{N}\p{Sc} +\-_.,:()/&'#%=[\]]{0,100}$/u;

const RUN_KEYS: Record<RunKey, string> = {
  label: 'label',
  activation: 'act',
  init: 'init',
  norm: 'norm',
  residual: 'res',
  clip: 'clip',
  clipValue: 'clipv',
  optimizer: 'opt',
  weightDecay: 'wd',
  cell: 'cell',
  sigmaW: 'sw',
  sigmaB: 'sb',
};

const SHARED_ENUMS: Partial<Record<SharedKey, readonly string[]>> = { task: TASKS, backend: BACKENDS };
const RUN_ENUMS: Partial<Record<RunKey, readonly string[]>> = {
  activation: ACTIVATIONS,
  init: INITS,
  norm: NORMS,
  clip: CLIPS,
  optimizer: OPTIMIZERS,
  cell: CELLS,
};
const RUN_RANGES: Partial<Record<RunKey, NumericRange>> = {
  clipValue: RANGES.clipValue,
  weightDecay: RANGES.weightDecay,
  sigmaW: RANGES.sigmaW,
  sigmaB: RANGES.sigmaB,
};

function invert<K extends string>(m: Record<K, string>): Map<string, K> {
  return new Map(Object.entries(m).map(([k, v]) => [v as string, k as K]));
}
const SHARED_BY_URL = invert(SHARED_KEYS);
const RUN_BY_URL = invert(RUN_KEYS);

/** Checks a number against a range; returns the value or a problem description. */
export function parseNumber(raw: string, range: NumericRange): number | string {
  if (!NUMBER.test(raw)) return `'${clip(raw)}' is not a number`;
  const n = Number(raw);
  if (!Number.isFinite(n)) return `'${clip(raw)}' is not finite`;
  if (range.integer && !Number.isInteger(n)) return `'${clip(raw)}' must be a whole number`;
  if (n < range.min || n > range.max) return `${n} is outside ${range.min}..${range.max}`;
  return n;
}

type Field = { ok: true; value: string | number } | { ok: false; problem: string };

function parseField(
  raw: string,
  oneOf: readonly string[] | undefined,
  range: NumericRange | undefined,
): Field {
  if (oneOf) {
    return oneOf.includes(raw)
      ? { ok: true, value: raw }
      : { ok: false, problem: `'${clip(raw)}' is not one of ${oneOf.join(', ')}` };
  }
  if (range) {
    const n = parseNumber(raw, range);
    return typeof n === 'number' ? { ok: true, value: n } : { ok: false, problem: n };
  }
  return { ok: false, problem: 'has no parser' };
}

function clip(s: string): string {
  return s.length > 24 ? `${s.slice(0, 24)}...` : s;
}

/** Parses `location.search` (with or without the leading '?'). Never throws. */
export function parseState(search: string, knownPresets?: readonly string[]): ParsedState {
  const fallback = defaultState();
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query === '') return { state: fallback, problems: [] };
  if (query.length > MAX_QUERY_LENGTH) {
    return {
      state: fallback,
      problems: [`the link is ${query.length} characters long (at most ${MAX_QUERY_LENGTH})`],
    };
  }
  const problems: string[] = [];
  const state = defaultState();
  const runs: Array<Partial<RunSpec> | undefined> = [];
  const seen = new Set<string>();

  for (const [key, raw] of new URLSearchParams(query)) {
    if (seen.has(key)) {
      problems.push(`'${clip(key)}' appears twice`);
      continue;
    }
    seen.add(key);
    if (key === 'preset') {
      const ok = PRESET_ID.test(raw) && (knownPresets === undefined || knownPresets.includes(raw));
      if (ok) state.preset = raw;
      else problems.push(`preset: '${clip(raw)}' is not a known preset`);
      continue;
    }
    const sharedKey = SHARED_BY_URL.get(key);
    if (sharedKey && TEXT_KEYS.includes(sharedKey)) {
      if (TEXT.test(raw)) (state.shared as unknown as Record<string, unknown>)[sharedKey] = raw;
      else problems.push(`${key}: contains characters a file or column name may not have here`);
      continue;
    }
    if (sharedKey) {
      const f = parseField(raw, SHARED_ENUMS[sharedKey], RANGES[sharedKey as keyof typeof RANGES]);
      if (f.ok) (state.shared as unknown as Record<string, unknown>)[sharedKey] = f.value;
      else problems.push(`${key}: ${f.problem}`);
      continue;
    }
    const m = /^(b|v([1-9]))\.([a-z]+)$/.exec(key);
    const runKey = m ? RUN_BY_URL.get(m[3] as string) : undefined;
    const index = m ? (m[2] === undefined ? 0 : Number(m[2])) : -1;
    if (!m || !runKey || index > MAX_VARIANTS) {
      problems.push(`unknown setting '${clip(key)}'`);
      continue;
    }
    const into = runs[index] ?? {};
    runs[index] = into;
    const problem = parseRunField(runKey, raw, into);
    if (problem) problems.push(`${key}: ${problem}`);
  }

  // Variants are numbered 1..n without gaps, so a link always names the runs it shows.
  for (let i = 1; i < runs.length; i++) {
    if (runs[i] === undefined)
      problems.push(`variant v${i} is missing (variants are numbered 1..${MAX_VARIANTS})`);
  }
  if (problems.length > 0) return { state: fallback, problems };

  // A link that names no run at all (only shared settings) keeps the default runs.
  if (runs.length > 0) {
    state.baseline = { ...DEFAULT_RUN, ...runs[0] };
    state.variants = runs.slice(1).map((r, i) => ({ ...DEFAULT_RUN, label: `variant ${i + 1}`, ...r }));
  }
  return { state, problems };
}

/** Parses one run field into `into`; returns a problem description, or null when valid. */
function parseRunField(key: RunKey, raw: string, into: Partial<RunSpec>): string | null {
  if (key === 'label') {
    if (raw.length > MAX_LABEL_LENGTH) return `longer than ${MAX_LABEL_LENGTH} characters`;
    if (!LABEL.test(raw)) return 'contains characters a label may not have';
    into.label = raw;
    return null;
  }
  if (key === 'residual') {
    if (raw !== '0' && raw !== '1') return `'${clip(raw)}' is not 0 or 1`;
    into.residual = raw === '1';
    return null;
  }
  const f = parseField(raw, RUN_ENUMS[key], RUN_RANGES[key]);
  if (!f.ok) return f.problem;
  (into as Record<string, unknown>)[key] = f.value;
  return null;
}

/** The query string (without '?') for a state; `parseState` of it gives the same state back. */
export function serializeState(state: PlaygroundState): string {
  const q = new URLSearchParams();
  if (state.preset) q.set('preset', state.preset);
  for (const [k, urlKey] of Object.entries(SHARED_KEYS) as Array<[SharedKey, string]>) {
    // Your data's name and target mean nothing for the built-in tasks: links without them stay as they were.
    if (TEXT_KEYS.includes(k) && (state.shared.task !== 'csv' || state.shared[k] === '')) continue;
    q.set(urlKey, String(state.shared[k]));
  }
  const runs = [state.baseline, ...state.variants.slice(0, MAX_VARIANTS)];
  runs.forEach((run, i) => {
    const prefix = i === 0 ? 'b' : `v${i}`;
    // The label always goes in, so that a variant with only default fields still exists.
    q.set(`${prefix}.label`, run.label);
    for (const [k, urlKey] of Object.entries(RUN_KEYS) as Array<[RunKey, string]>) {
      if (k === 'label' || run[k] === DEFAULT_RUN[k]) continue;
      q.set(`${prefix}.${urlKey}`, k === 'residual' ? (run.residual ? '1' : '0') : String(run[k]));
    }
  });
  return q.toString();
}
