import { type Buf, ConfigError } from '@vgp/core';
import type { Param } from '../tensor.js';
import { checkRange, Optimizer } from './optimizer.js';

// The update rules, in order of increasing complexity. Each is PyTorch's (torch.optim docs), applied
// by one fused backend kernel per parameter buffer; defaults are PyTorch's unless noted.

/** Options of {@link SGD}, shared by every rule. */
export interface SgdOptions {
  /** Base learning rate, >= 0 (a schedule may change the rate per step from this). */
  lr: number;
  /** L2 penalty added to the gradient: g' = g + weightDecay * w. Default 0. */
  weightDecay?: number;
}

/** Plain SGD: w -= lr * (g + weightDecay * w). */
export class SGD extends Optimizer {
  constructor(params: readonly Param[], opts: SgdOptions) {
    super('sgd', params, opts.lr, opts.weightDecay ?? 0, 0);
  }

  protected update(p: Param): void {
    this.backend.sgdStep(p.value.buf, p.grad.buf, this.lr, this.weightDecay);
  }
}

/** Options of {@link Momentum} and {@link Nesterov}. */
export interface MomentumOptions extends SgdOptions {
  /** In [0, 1). Default 0.9 (PyTorch's SGD defaults to 0, which is plain SGD). */
  momentum?: number;
  /** Nesterov's look-ahead form (Sutskever et al. 2013, as PyTorch). Default false. */
  nesterov?: boolean;
}

/** Heavy-ball momentum (dampening 0): v = momentum * v + g'; w -= lr * v (Nesterov: lr * (g' + momentum * v)). */
export class Momentum extends Optimizer {
  /** Velocity decay, in [0, 1). */
  readonly momentum: number;
  /** Whether the look-ahead (Nesterov) form is used. */
  readonly nesterov: boolean;

  constructor(params: readonly Param[], opts: MomentumOptions) {
    const nesterov = opts.nesterov ?? false;
    super(nesterov ? 'nesterov' : 'momentum', params, opts.lr, opts.weightDecay ?? 0, 1);
    this.momentum = opts.momentum ?? 0.9;
    this.nesterov = nesterov;
    checkRange(this.kind, 'momentum', this.momentum, 0, 1, '[0, 1), e.g. 0.9');
    // As PyTorch: with momentum 0 the look-ahead is plain SGD, which is almost surely not what was meant.
    if (nesterov && this.momentum === 0) {
      throw new ConfigError(
        `nesterov: momentum must be in (0, 1) for the look-ahead, got 0; use 'sgd' for none`,
      );
    }
  }

  protected update(p: Param, state: Buf[]): void {
    // Indexed, not destructured: an array pattern runs the iterator protocol (garbage) on every call.
    const v = state[0] as Buf;
    this.backend.momentumStep(
      p.value.buf,
      p.grad.buf,
      v,
      this.lr,
      this.momentum,
      this.weightDecay,
      this.nesterov,
    );
  }
}

/** Nesterov momentum: `Momentum` with `nesterov: true`. */
export class Nesterov extends Momentum {
  constructor(params: readonly Param[], opts: Omit<MomentumOptions, 'nesterov'>) {
    super(params, { ...opts, nesterov: true });
  }
}

/** Options of {@link RMSprop}. */
export interface RmspropOptions extends SgdOptions {
  /** Smoothing constant of the squared-gradient average, in [0, 1). Default 0.99. */
  alpha?: number;
  /** Added to the root mean square, > 0. Default 1e-8. */
  eps?: number;
}

/** RMSprop (Hinton 2012): sq = alpha * sq + (1 - alpha) * g'^2; w -= lr * g' / (sqrt(sq) + eps). */
export class RMSprop extends Optimizer {
  /** Smoothing constant of the squared-gradient average. */
  readonly alpha: number;
  /** Added to the root mean square in the denominator. */
  readonly eps: number;

  constructor(params: readonly Param[], opts: RmspropOptions) {
    super('rmsprop', params, opts.lr, opts.weightDecay ?? 0, 1);
    this.alpha = opts.alpha ?? 0.99;
    this.eps = opts.eps ?? 1e-8;
    checkRange(this.kind, 'alpha', this.alpha, 0, 1, '[0, 1), e.g. 0.99');
    checkPositive(this.kind, 'eps', this.eps);
  }

  protected update(p: Param, state: Buf[]): void {
    const sq = state[0] as Buf;
    this.backend.rmspropStep(p.value.buf, p.grad.buf, sq, this.lr, this.alpha, this.eps, this.weightDecay);
  }
}

/** Options of {@link Adam} and {@link AdamW} (whose `weightDecay` defaults to 0.01). */
export interface AdamOptions extends SgdOptions {
  /** Decay of the first moment, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to the root of the second moment, > 0. Default 1e-8. */
  eps?: number;
}

/**
 * Adam (Kingma & Ba 2015) with bias correction; weight decay as an L2 term in the gradient.
 * m = b1*m + (1-b1)*g'; v = b2*v + (1-b2)*g'^2; w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
 */
export class Adam extends Optimizer {
  /** First-moment decay. */
  readonly beta1: number;
  /** Second-moment decay. */
  readonly beta2: number;
  /** Added to the root of the second moment in the denominator. */
  readonly eps: number;
  /** Whether weight decay is decoupled from the gradient (AdamW) rather than an L2 term. */
  protected readonly decoupled: boolean = false;

  constructor(params: readonly Param[], opts: AdamOptions, kind = 'adam', defaultDecay = 0) {
    super(kind, params, opts.lr, opts.weightDecay ?? defaultDecay, 2);
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    checkRange(kind, 'beta1', this.beta1, 0, 1, '[0, 1), e.g. 0.9');
    checkRange(kind, 'beta2', this.beta2, 0, 1, '[0, 1), e.g. 0.999');
    checkPositive(kind, 'eps', this.eps);
  }

  protected update(p: Param, state: Buf[]): void {
    const m = state[0] as Buf;
    const v = state[1] as Buf;
    const { beta1, beta2, eps, weightDecay, steps, decoupled } = this;
    this.backend.adamStep(
      p.value.buf,
      p.grad.buf,
      m,
      v,
      this.lr,
      beta1,
      beta2,
      eps,
      weightDecay,
      steps,
      decoupled,
    );
  }
}

/**
 * AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay, w *= 1 - lr * weightDecay before
 * the Adam step, the gradient untouched. Default weightDecay 0.01, as PyTorch.
 */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: readonly Param[], opts: AdamOptions) {
    super(params, opts, 'adamw', 0.01);
  }
}

function checkPositive(owner: string, field: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0))
    throw new ConfigError(`${owner}: ${field} must be a finite number > 0, got ${v}`);
}
