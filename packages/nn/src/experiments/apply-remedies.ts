import { ConfigError } from '@vgp/core';
import type { RemedyId } from '../diagnostics/remedies.js';
import type { OptimizerSpec } from '../training/optimizer-spec.js';
import type { ExperimentConfig, ModelConfig } from './config.js';

/** The max norm `clip-norm` sets: Pascanu et al. (2013) found thresholds around 1..10 work; 1 is the common default. */
export const CLIP_NORM = 1;

type Change = (c: ExperimentConfig) => ExperimentConfig;

function mlp(id: RemedyId, f: (m: Extract<ModelConfig, { kind: 'mlp' }>) => ModelConfig): Change {
  return (c) => {
    if (c.model.kind !== 'mlp')
      throw new ConfigError(`remedy '${id}' applies to mlp models; this one is recurrent`);
    return { ...c, model: f(c.model) };
  };
}

function recurrent(id: RemedyId, f: (m: Extract<ModelConfig, { kind: 'recurrent' }>) => ModelConfig): Change {
  return (c) => {
    if (c.model.kind !== 'recurrent')
      throw new ConfigError(`remedy '${id}' applies to recurrent models; this one is an mlp`);
    return { ...c, model: f(c.model) };
  };
}

function optimizer(f: (o: OptimizerSpec) => OptimizerSpec): Change {
  return (c) => ({ ...c, optimizer: f(c.optimizer) });
}

/** The learning rate a spec runs at (its own or the kind's default, as `createOptimizer` fills it in). */
function lrOf(o: OptimizerSpec): number {
  return o.lr ?? (o.kind === 'adam' || o.kind === 'adamw' ? 1e-3 : 1e-2);
}

/** How each remedy changes a config. Each is the smallest change that implements the remedy's action. */
const CHANGES: Record<RemedyId, Change> = {
  'relu-he': mlp('relu-he', (m) => ({ ...m, activation: 'relu', init: 'heNormal' })),
  'he-init': (c) => ({ ...c, model: { ...c.model, init: 'heNormal' } }),
  'glorot-init': (c) => ({ ...c, model: { ...c.model, init: 'glorotUniform' } }),
  'orthogonal-init': (c) =>
    c.model.kind === 'recurrent'
      ? { ...c, model: { ...c.model, recurrentInit: 'orthogonal' } }
      : { ...c, model: { ...c.model, init: 'orthogonal' } },
  residual: mlp('residual', (m) => ({ ...m, residual: true })),
  'batch-norm': mlp('batch-norm', (m) => ({ ...m, norm: 'batch' as const })),
  'layer-norm': mlp('layer-norm', (m) => ({ ...m, norm: 'layer' as const })),
  'leaky-relu': mlp('leaky-relu', (m) => ({ ...m, activation: 'leakyRelu' })),
  lstm: recurrent('lstm', ({ activation: _a, ...m }) => ({ ...m, cell: 'lstm' })),
  gru: recurrent('gru', ({ activation: _a, forgetBias: _f, ...m }) => ({ ...m, cell: 'gru' })),
  'forget-bias': recurrent('forget-bias', (m) => {
    if (m.cell !== 'lstm')
      throw new ConfigError(`remedy 'forget-bias' applies to lstm cells; this one is '${m.cell}'`);
    return { ...m, forgetBias: 1 };
  }),
  'clip-norm': (c) => ({ ...c, clip: { ...c.clip, norm: CLIP_NORM } }),
  'lower-lr': optimizer((o) => ({ ...o, lr: lrOf(o) / 10 })),
  'higher-lr': optimizer((o) => ({ ...o, lr: lrOf(o) * 3 })),
  // Adam at its usual rate; weight decay carries over, the other rule's options do not apply.
  adam: optimizer((o) => ({
    kind: 'adam',
    lr: 1e-3,
    ...(o.weightDecay ? { weightDecay: o.weightDecay } : {}),
  })),
  'less-weight-decay': optimizer((o) => ({ ...o, weightDecay: (o.weightDecay ?? 0) / 10 })),
};

/**
 * The config with its `remedies` applied in order, and the list emptied (so applying twice changes
 * nothing). A remedy that does not fit the model (batch norm on a recurrent net) throws a `ConfigError`.
 */
export function applyRemedies(config: ExperimentConfig): ExperimentConfig {
  let c: ExperimentConfig = { ...config, remedies: [] };
  for (const id of config.remedies ?? []) {
    const change = CHANGES[id];
    if (!change) throw new ConfigError(`unknown remedy '${id}'`);
    c = change(c);
  }
  return c;
}
