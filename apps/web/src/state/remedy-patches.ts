/**
 * How a diagnosis remedy (by its @vgp/nn id) becomes a change of a run's toggles, so that a verdict's
 * "+ remedy" button can add it as a variant. Remedies that change a shared setting (the learning
 * rate) or a detail the playground does not expose return null: the page shows them as advice.
 */
import type { RunSpec } from './state.js';

/** Each remedy's change and a short name for the variant it makes. */
const PATCHES: Record<string, { patch: Partial<RunSpec>; short: string }> = {
  'relu-he': { patch: { activation: 'relu', init: 'he' }, short: 'ReLU + He' },
  'he-init': { patch: { init: 'he' }, short: 'He init' },
  'glorot-init': { patch: { init: 'glorot' }, short: 'Glorot init' },
  'orthogonal-init': { patch: { init: 'orthogonal' }, short: 'orthogonal init' },
  residual: { patch: { residual: true }, short: 'residual' },
  'batch-norm': { patch: { norm: 'batch' }, short: 'batch norm' },
  'layer-norm': { patch: { norm: 'layer' }, short: 'layer norm' },
  'leaky-relu': { patch: { activation: 'leakyRelu' }, short: 'leaky ReLU' },
  lstm: { patch: { cell: 'lstm' }, short: 'LSTM' },
  gru: { patch: { cell: 'gru' }, short: 'GRU' },
  'clip-norm': { patch: { clip: 'norm', clipValue: 1 }, short: 'clip norm 1' },
  adam: { patch: { optimizer: 'adam' }, short: 'Adam' },
  'less-weight-decay': { patch: { weightDecay: 0 }, short: 'no weight decay' },
};

/** The run change a remedy makes, or null when the playground cannot make it as a variant. */
export function remedyPatch(id: string): { patch: Partial<RunSpec>; short: string } | null {
  return Object.hasOwn(PATCHES, id) ? (PATCHES[id] ?? null) : null;
}

/** A variant of `from` with `patch` applied, or null when the patch changes nothing. */
export function applyRemedy(from: RunSpec, patch: Partial<RunSpec>, label: string): RunSpec | null {
  const next = { ...from, ...patch, label: label.slice(0, 40) };
  const changed = (Object.keys(patch) as Array<keyof RunSpec>).some((k) => from[k] !== next[k]);
  return changed ? next : null;
}
