import { ConfigError } from '@vgp/core';
import type { Param } from '../tensor.js';
import type { Optimizer } from './optimizer.js';
import { Adam, AdamW, Momentum, Nesterov, RMSprop, SGD } from './optimizers.js';

/** The optimizer kinds an {@link OptimizerSpec} can name, in order of increasing complexity. */
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adamw'] as const;
/** The name of an update rule; see the classes `SGD`, `Momentum`, `Nesterov`, `RMSprop`, `Adam`, `AdamW`. */
export type OptimizerKind = (typeof OPTIMIZERS)[number];

/**
 * An optimizer as plain JSON (experiments, the CLI and the playground store it). Fields a rule does
 * not use are rejected, so a typo such as `{ kind: 'sgd', momentum: 0.9 }` is not silently ignored.
 */
export interface OptimizerSpec {
  /** The update rule. */
  kind: OptimizerKind;
  /**
   * Base learning rate, >= 0. Default: 0.01 for sgd/momentum/nesterov/rmsprop, 0.001 for adam/adamw
   * (PyTorch's Adam default).
   */
  lr?: number;
  /** L2 penalty (decoupled for adamw), >= 0. Default 0, or 0.01 for adamw. */
  weightDecay?: number;
  /** momentum and nesterov only: in [0, 1), default 0.9. */
  momentum?: number;
  /** rmsprop only: squared-gradient smoothing in [0, 1), default 0.99. */
  alpha?: number;
  /** adam and adamw only: first-moment decay in [0, 1), default 0.9. */
  beta1?: number;
  /** adam and adamw only: second-moment decay in [0, 1), default 0.999. */
  beta2?: number;
  /** rmsprop, adam and adamw only: added to the root in the denominator, > 0, default 1e-8. */
  eps?: number;
}

const FIELDS: Record<OptimizerKind, readonly string[]> = {
  sgd: [],
  momentum: ['momentum'],
  nesterov: ['momentum'],
  rmsprop: ['alpha', 'eps'],
  adam: ['beta1', 'beta2', 'eps'],
  adamw: ['beta1', 'beta2', 'eps'],
};

/** Builds the optimizer a spec names over `params`; an unknown kind or field throws `ConfigError`. */
export function createOptimizer(spec: OptimizerSpec, params: readonly Param[]): Optimizer {
  if (spec === null || typeof spec !== 'object') {
    throw new ConfigError(
      `optimizer must be an object like { kind: 'adam', lr: 0.001 }, got ${String(spec)}`,
    );
  }
  const kind = spec.kind;
  if (!(OPTIMIZERS as readonly string[]).includes(kind)) {
    throw new ConfigError(`unknown optimizer '${String(kind)}'; use one of ${OPTIMIZERS.join(', ')}`);
  }
  const allowed = new Set(['kind', 'lr', 'weightDecay', ...FIELDS[kind]]);
  for (const key of Object.keys(spec)) {
    if (!allowed.has(key)) {
      throw new ConfigError(
        `optimizer '${kind}' has no option '${key}'; its options are ${[...allowed].join(', ')}`,
      );
    }
  }
  const lr = spec.lr ?? (kind === 'adam' || kind === 'adamw' ? 1e-3 : 1e-2);
  const { weightDecay, momentum, alpha, beta1, beta2, eps } = spec;
  switch (kind) {
    case 'sgd':
      return new SGD(params, { lr, weightDecay });
    case 'momentum':
      return new Momentum(params, { lr, weightDecay, momentum });
    case 'nesterov':
      return new Nesterov(params, { lr, weightDecay, momentum });
    case 'rmsprop':
      return new RMSprop(params, { lr, weightDecay, alpha, eps });
    case 'adam':
      return new Adam(params, { lr, weightDecay, beta1, beta2, eps });
    case 'adamw':
      return new AdamW(params, { lr, weightDecay, beta1, beta2, eps });
  }
}
