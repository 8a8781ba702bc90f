import { ACTIVATIONS, type ActivationKind, ConfigError, DEFAULT_ALPHA } from '@vgp/core';
import type { ForwardOptions, LayerOptions } from '../layer.js';
import { Layer } from '../layer.js';
import type { Tensor } from '../tensor.js';

/** Options of an {@link Activation} layer. */
export interface ActivationOptions extends LayerOptions {
  /** leakyRelu negative slope or elu alpha (defaults as PyTorch: 0.01 and 1); ignored by the others. */
  alpha?: number;
}

/** Throws a `ConfigError` listing the valid names unless `kind` is one of `ACTIVATIONS`. */
export function checkActivation(kind: string): ActivationKind {
  if (!(ACTIVATIONS as readonly string[]).includes(kind)) {
    throw new ConfigError(`unknown activation '${kind}'; use one of ${ACTIVATIONS.join(', ')}`);
  }
  return kind as ActivationKind;
}

/**
 * Elementwise y = f(x) for any of the 10 `ACTIVATIONS` (formulas on `Backend.activation`). `kind` is public
 * so the diagnostics can count saturation (sigmoid, tanh) and dead units (the relu family).
 */
export class Activation extends Layer {
  /** Which function this layer applies. */
  readonly kind: ActivationKind;
  /** The leakyRelu slope or elu alpha in use (see `DEFAULT_ALPHA`). */
  readonly alpha: number;
  private x: Tensor | null = null;

  constructor(kind: ActivationKind, opts: ActivationOptions) {
    const checked = checkActivation(kind);
    super(checked, opts);
    this.kind = checked;
    this.alpha = opts.alpha ?? DEFAULT_ALPHA[checked];
    if (!Number.isFinite(this.alpha))
      throw new ConfigError(`${this.name}: alpha must be finite, got ${this.alpha}`);
  }

  /** y = f(x) elementwise, same shape as `x`; the mode does not matter. */
  forward(x: Tensor, _opts: ForwardOptions): Tensor {
    this.checkRows(x, -1);
    const y = this.scratch('y', x.shape);
    this.backend.activation(this.kind, x.buf, y.buf, this.alpha);
    this.x = x;
    this.output = y;
    return y;
  }

  backward(dy: Tensor): Tensor {
    const y = this.checkGrad(dy);
    const x = this.x as Tensor;
    const dx = this.scratch('dx', x.shape);
    this.backend.activationGrad(this.kind, x.buf, y.buf, dy.buf, dx.buf, this.alpha);
    this.inputGrad = dx;
    return dx;
  }
}
