import { ConfigError } from '@vgp/core';
import type { RemedyId } from '../diagnostics/remedies.js';
import type { Verdict } from '../diagnostics/verdict.js';
import { criticalSigmaW } from '../mean-field/theory.js';
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

/**
 * Each remedy: the smallest config change that implements its action, and when it makes sense. `fits`
 * says whether the remedy is one for this kind of run (recurrent remedies for recurrent nets, Adam for a
 * run not already on Adam, ...); `change` throws a `ConfigError` when the model cannot take it. A remedy
 * is applicable to a config when it fits, the change succeeds, and the changed config differs (so He
 * init is never suggested to a He net). Adding a remedy is one entry here and one in `REMEDY_IDS`.
 */
interface RemedyRule {
  change: Change;
  fits?: (c: ExperimentConfig) => boolean;
}

const isMlp = (c: ExperimentConfig) => c.model.kind === 'mlp';
const isRecurrent = (c: ExperimentConfig) => c.model.kind === 'recurrent';
const isAdam = (c: ExperimentConfig) => c.optimizer.kind === 'adam' || c.optimizer.kind === 'adamw';

const RULES: Record<RemedyId, RemedyRule> = {
  'relu-he': { change: mlp('relu-he', (m) => ({ ...m, activation: 'relu', init: 'heNormal' })) },
  'he-init': { change: (c) => ({ ...c, model: { ...c.model, init: 'heNormal' } }), fits: isMlp },
  'glorot-init': { change: (c) => ({ ...c, model: { ...c.model, init: 'glorotUniform' } }), fits: isMlp },
  'orthogonal-init': {
    change: (c) =>
      c.model.kind === 'recurrent'
        ? { ...c, model: { ...c.model, recurrentInit: 'orthogonal' } }
        : { ...c, model: { ...c.model, init: 'orthogonal' } },
    // Its reason speaks of W_hh; an orthogonal W_hh times a gain is still orthogonal in direction but
    // not in scale, so a scaled orthogonal init counts as a change.
    fits: isRecurrent,
  },
  // The theory holds for plain stacks (no normalization, no skips); criticalSigmaW throws a ConfigError
  // where chi_1 jumps over 1 (GELU, swish at small sigma_b), which makes the remedy not applicable.
  'critical-init': {
    change: mlp('critical-init', (m) => ({
      ...m,
      init: { kind: 'varianceScaling', gain: criticalSigmaW(m.activation, m.biasStd ?? 0) },
    })),
    fits: (c) => c.model.kind === 'mlp' && (c.model.norm ?? 'none') === 'none' && !c.model.residual,
  },
  residual: { change: mlp('residual', (m) => ({ ...m, residual: true })) },
  'batch-norm': { change: mlp('batch-norm', (m) => ({ ...m, norm: 'batch' as const })) },
  'layer-norm': { change: mlp('layer-norm', (m) => ({ ...m, norm: 'layer' as const })) },
  'leaky-relu': { change: mlp('leaky-relu', (m) => ({ ...m, activation: 'leakyRelu' })) },
  lstm: { change: recurrent('lstm', ({ activation: _a, ...m }) => ({ ...m, cell: 'lstm' })) },
  gru: { change: recurrent('gru', ({ activation: _a, forgetBias: _f, ...m }) => ({ ...m, cell: 'gru' })) },
  'forget-bias': {
    change: recurrent('forget-bias', (m) => {
      if (m.cell !== 'lstm')
        throw new ConfigError(`remedy 'forget-bias' applies to lstm cells; this one is '${m.cell}'`);
      return { ...m, forgetBias: 1 };
    }),
  },
  'clip-norm': {
    change: (c) => ({ ...c, clip: { ...c.clip, norm: CLIP_NORM } }),
    // Clipping at or below the threshold a run already clips at changes nothing worth trying.
    fits: (c) => c.clip?.norm === undefined || c.clip.norm > CLIP_NORM,
  },
  'lower-lr': { change: optimizer((o) => ({ ...o, lr: lrOf(o) / 10 })) },
  'higher-lr': { change: optimizer((o) => ({ ...o, lr: lrOf(o) * 3 })) },
  // Adam at its usual rate; weight decay carries over, the other rule's options do not apply.
  adam: {
    change: optimizer((o) => ({
      kind: 'adam',
      lr: 1e-3,
      ...(o.weightDecay ? { weightDecay: o.weightDecay } : {}),
    })),
    fits: (c) => !isAdam(c),
  },
  'less-weight-decay': {
    change: optimizer((o) => ({ ...o, weightDecay: (o.weightDecay ?? 0) / 10 })),
    fits: (c) => (c.optimizer.weightDecay ?? 0) > 0,
  },
};

/**
 * The config with its `remedies` applied in order, and the list emptied (so applying twice changes
 * nothing). A remedy that does not fit the model (batch norm on a recurrent net) throws a `ConfigError`.
 */
export function applyRemedies(config: ExperimentConfig): ExperimentConfig {
  let c: ExperimentConfig = { ...config, remedies: [] };
  for (const id of config.remedies ?? []) {
    const rule = RULES[id];
    if (!rule) throw new ConfigError(`unknown remedy '${id}'`);
    c = rule.change(c);
  }
  return c;
}

/**
 * Whether remedy `id` is worth suggesting to a run whose effective config (remedies applied) is
 * `effective`: it fits the kind of run and applying it changes the config.
 */
export function remedyApplies(id: RemedyId, effective: ExperimentConfig): boolean {
  const rule = RULES[id];
  if (!rule || (rule.fits && !rule.fits(effective))) return false;
  try {
    return !sameJson(rule.change(effective), effective);
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
}

/**
 * The verdicts with each one's remedies cut to those that apply to `effective` (see `remedyApplies`).
 * A problem left with none says so in `noRemedy` rather than suggesting what the run already has. The
 * CLI, `runExperiment` and the playground all call this one function, so they list the same remedies.
 */
export function fitRemedies(verdicts: readonly Verdict[], effective: ExperimentConfig): Verdict[] {
  return verdicts.map((v) => {
    const kept = v.remedies.filter((r) => remedyApplies(r.id, effective));
    if (kept.length === v.remedies.length && (kept.length > 0 || v.severity === 'info')) return v;
    const out: Verdict = { ...v, remedies: kept };
    if (kept.length === 0 && v.severity !== 'info')
      out.noRemedy = `none of vgp's remedies for ${v.kind} applies that this run does not already have`;
    return out;
  });
}

/** Deep equality of plain JSON data (configs), independent of key order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
