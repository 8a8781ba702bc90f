/**
 * How a diagnosis remedy (by its @vgp/nn id) becomes a change of a run's toggles, so that a verdict's
 * "+ remedy" button can add it as a variant. Remedies that change a shared setting (the learning
 * rate) or a detail the playground does not expose return null: the page shows them as advice.
 */
import type { RunSpec } from './state.js';

const PATCHES: Record<string, Partial<RunSpec> | null> = {
  'relu-he': { activation: 'relu', init: 'he' },
  'he-init': { init: 'he' },
  'glorot-init': { init: 'glorot' },
  'orthogonal-init': { init: 'orthogonal' },
  residual: { residual: true },
  'batch-norm': { norm: 'batch' },
  'layer-norm': { norm: 'layer' },
  'leaky-relu': { activation: 'leakyRelu' },
  lstm: { cell: 'lstm' },
  gru: { cell: 'gru' },
  'clip-norm': { clip: 'norm', clipValue: 1 },
  adam: { optimizer: 'adam' },
  'less-weight-decay': { weightDecay: 0 },
};

export function remedyPatch(id: string): Partial<RunSpec> | null {
  return Object.hasOwn(PATCHES, id) ? (PATCHES[id] ?? null) : null;
}

/** A variant of `from` with `patch` applied, or null when the patch changes nothing. */
export function applyRemedy(from: RunSpec, patch: Partial<RunSpec>, label: string): RunSpec | null {
  const next = { ...from, ...patch, label: label.slice(0, 40) };
  const changed = (Object.keys(patch) as Array<keyof RunSpec>).some((k) => from[k] !== next[k]);
  return changed ? next : null;
}
