import { ACTIVATIONS, type ActivationKind, ConfigError } from '@vgp/core';
import { INITIALIZERS, type InitSpec } from '../init.js';
import { checkModelBudget } from './model-budget.js';

/**
 * A multilayer perceptron: `depth` hidden blocks of `width` units, each Dense -> norm -> activation ->
 * dropout, then a Dense head to `output` logits (no output activation: the losses take logits).
 * With `residual`, hidden blocks 2..depth compute x + f(x) (the first changes the width, so it stays
 * plain).
 */
export interface MlpSpec {
  /** Selects this kind of spec. */
  kind: 'mlp';
  /** Input features per sample. */
  input: number;
  /** Output units (logits): the number of classes, 1 for binary or scalar targets. */
  output: number;
  /** Number of hidden blocks (>= 1); the deeper, the more a poor init or activation vanishes or explodes. */
  depth: number;
  /** Units per hidden block. */
  width: number;
  /** Nonlinearity of every hidden block. */
  activation: ActivationKind;
  /** Initializer of every Dense weight (default glorotUniform). */
  init?: InitSpec;
  /**
   * Standard deviation of every Dense bias at init, the mean-field sigma_b (default 0: zero biases).
   * Drawn from its own seed stream, so the weights do not change with it.
   */
  biasStd?: number;
  /** Normalization after each hidden Dense, before the activation (default 'none'). */
  norm?: 'none' | 'batch' | 'layer';
  /** Skip connections around hidden blocks 2..depth (default false). */
  residual?: boolean;
  /** Dropout probability after each hidden activation, in [0, 1) (default 0). */
  dropout?: number;
}

/**
 * A stack of `layers` recurrent layers of `hidden` units over `[time, batch, input]`, then a Dense head.
 * `head: 'last'` (default) maps the last hidden state to `[batch, output]` (sequence classification,
 * the adding problem); `head: 'sequence'` maps every step's state to `[time, batch, output]` (the copy
 * task).
 */
export interface RecurrentSpec {
  /** Selects this kind of spec. */
  kind: 'recurrent';
  /** Input features per time step. */
  input: number;
  /** Output units of the head (logits or regression values). */
  output: number;
  /** The recurrent cell: a plain rnn (vanishes or explodes through time), or the gated lstm and gru. */
  cell: 'rnn' | 'lstm' | 'gru';
  /** Hidden units per recurrent layer. */
  hidden: number;
  /** Number of stacked recurrent layers (>= 1). */
  layers: number;
  /** The rnn cell's nonlinearity (default tanh); lstm and gru use their gates' fixed ones. */
  activation?: 'tanh' | 'relu';
  /** Input-to-hidden and head weights (default glorotUniform). */
  init?: InitSpec;
  /** Hidden-to-hidden weights (default orthogonal). */
  recurrentInit?: InitSpec;
  /** LSTM forget-gate bias at init (default 1, Jozefowicz et al. 2015). */
  forgetBias?: number;
  /** What the Dense head reads: the last hidden state (default 'last') or every step's ('sequence'). */
  head?: 'last' | 'sequence';
}

/**
 * A network as plain JSON, told apart by `kind`: what {@link buildModel} builds, experiments store and
 * saved weights carry. Check one with {@link checkModelSpec}.
 */
export type ModelSpec = MlpSpec | RecurrentSpec;

/** The values of `MlpSpec.norm`. */
export const NORMS = ['none', 'batch', 'layer'] as const;
/** The values of `RecurrentSpec.cell`. */
export const CELLS = ['rnn', 'lstm', 'gru'] as const;

const MLP_FIELDS = [
  'kind',
  'input',
  'output',
  'depth',
  'width',
  'activation',
  'init',
  'biasStd',
  'norm',
  'residual',
  'dropout',
];
const RECURRENT_FIELDS = [
  'kind',
  'input',
  'output',
  'cell',
  'hidden',
  'layers',
  'activation',
  'init',
  'recurrentInit',
  'forgetBias',
  'head',
];

/**
 * Checks a spec (it usually comes from JSON: a URL, a CLI file) and returns it with defaults filled in.
 * Every problem is a `ConfigError` naming the field and what it accepts.
 */
export function checkModelSpec(spec: ModelSpec): Required<MlpSpec> | Required<RecurrentSpec> {
  if (spec === null || typeof spec !== 'object') {
    throw new ConfigError(`model spec must be an object like { kind: 'mlp', ... }, got ${String(spec)}`);
  }
  if (spec.kind === 'mlp') {
    knownFields(spec, MLP_FIELDS);
    positiveInt(spec, 'input');
    positiveInt(spec, 'output');
    positiveInt(spec, 'depth');
    positiveInt(spec, 'width');
    oneOf(spec, 'activation', ACTIVATIONS);
    const norm = spec.norm ?? 'none';
    oneOf({ norm }, 'norm', NORMS);
    const residual = spec.residual ?? false;
    if (typeof residual !== 'boolean')
      throw new ConfigError(`model spec: residual must be true or false, got ${residual}`);
    const dropout = spec.dropout ?? 0;
    if (!(typeof dropout === 'number' && dropout >= 0 && dropout < 1)) {
      throw new ConfigError(`model spec: dropout must be a probability in [0, 1), got ${dropout}`);
    }
    const init = checkInit('init', spec.init ?? 'glorotUniform');
    const biasStd = spec.biasStd ?? 0;
    if (!(typeof biasStd === 'number' && Number.isFinite(biasStd) && biasStd >= 0)) {
      throw new ConfigError(`model spec: biasStd must be a finite number >= 0, got ${String(biasStd)}`);
    }
    const full = { ...spec, init, biasStd, norm, residual, dropout };
    checkModelBudget(full);
    return full;
  }
  if (spec.kind === 'recurrent') {
    knownFields(spec, RECURRENT_FIELDS);
    positiveInt(spec, 'input');
    positiveInt(spec, 'output');
    positiveInt(spec, 'hidden');
    positiveInt(spec, 'layers');
    oneOf(spec, 'cell', CELLS);
    const activation = spec.activation ?? 'tanh';
    if (spec.activation !== undefined && spec.cell !== 'rnn') {
      throw new ConfigError(
        `model spec: activation applies to the rnn cell only; drop it for '${spec.cell}'`,
      );
    }
    oneOf({ activation }, 'activation', ['tanh', 'relu']);
    const forgetBias = spec.forgetBias ?? 1;
    if (!Number.isFinite(forgetBias))
      throw new ConfigError(`model spec: forgetBias must be finite, got ${forgetBias}`);
    const head = spec.head ?? 'last';
    oneOf({ head }, 'head', ['last', 'sequence']);
    const init = checkInit('init', spec.init ?? 'glorotUniform');
    const recurrentInit = checkInit('recurrentInit', spec.recurrentInit ?? 'orthogonal');
    const full = { ...spec, activation, forgetBias, head, init, recurrentInit };
    checkModelBudget(full);
    return full;
  }
  throw new ConfigError(
    `unknown model kind '${String((spec as { kind: unknown }).kind)}'; use 'mlp' or 'recurrent'`,
  );
}

function knownFields(spec: object, fields: readonly string[]): void {
  for (const key of Object.keys(spec)) {
    if (!fields.includes(key)) {
      throw new ConfigError(
        `model spec has no field '${key}'; a ${(spec as ModelSpec).kind} spec has ${fields.join(', ')}`,
      );
    }
  }
}

function positiveInt(spec: object, field: string): void {
  const v = (spec as Record<string, unknown>)[field];
  if (!(typeof v === 'number' && Number.isInteger(v) && v > 0)) {
    throw new ConfigError(`model spec: ${field} must be a positive integer, got ${String(v)}`);
  }
}

function oneOf(spec: object, field: string, allowed: readonly string[]): void {
  const v = (spec as Record<string, unknown>)[field];
  if (!allowed.includes(v as string)) {
    const what = field === 'activation' ? 'activation' : field;
    throw new ConfigError(`model spec: unknown ${what} '${String(v)}'; use one of ${allowed.join(', ')}`);
  }
}

function checkInit(field: string, init: InitSpec): InitSpec {
  const kind = typeof init === 'string' ? init : init?.kind;
  if (!(INITIALIZERS as readonly string[]).includes(kind)) {
    throw new ConfigError(
      `model spec: unknown initializer '${String(kind)}' in ${field}; use one of ${INITIALIZERS.join(', ')}`,
    );
  }
  return init;
}
