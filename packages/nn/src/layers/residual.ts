import { ConfigError, ShapeError } from '@vgp/core';
import type { InitSpec } from '../init.js';
import type { ForwardOptions, LayerOptions } from '../layer.js';
import { Layer } from '../layer.js';
import type { Rng } from '../rng.js';
import { shapeString, type Tensor } from '../tensor.js';
import { Dense } from './dense.js';

/** Options of a {@link Residual} block. */
export interface ResidualOptions extends LayerOptions {
  /** Input width; needed only when the inner layer takes any width (e.g. an Activation). */
  features?: number;
  /** Draws the projection's weights; needed only when the inner layer changes the width. */
  rng?: Rng;
  /** Initializer of the projection (default `glorotUniform`). */
  init?: InitSpec;
}

/**
 * y = x + f(x) (He et al. 2016): the identity path carries the gradient past f unchanged, which is why
 * residual nets train at depths where plain ones vanish. When f changes the width, the skip path is a
 * learned projection x P (a bias-free Dense named `<name>.projection`), as ResNet's option B.
 */
export class Residual extends Layer {
  /** The skip path's projection when the inner layer changes the width, else null (identity). */
  readonly projection: Dense | null;
  /** Input width. */
  readonly features: number;
  private x: Tensor | null = null;

  constructor(
    /** f, the layer (often a `Sequential`) the skip path goes around. */
    readonly inner: Layer,
    opts: ResidualOptions,
  ) {
    super('residual', opts);
    if (inner.backend !== this.backend) {
      throw new ConfigError(
        `${this.name}: inner layer ${inner.name} is on another backend; build both on the same one`,
      );
    }
    const features = opts.features ?? inner.inFeatures();
    if (features === null) {
      throw new ConfigError(`${this.name}: cannot tell the input width of ${inner.name}; pass { features }`);
    }
    this.features = features;
    const out = inner.outFeatures(features);
    if (out === features) {
      this.projection = null;
    } else {
      if (opts.rng === undefined) {
        throw new ConfigError(
          `${this.name}: ${inner.name} maps ${features} to ${out} features, so the skip path needs a projection; pass { rng } to initialize it`,
        );
      }
      const name = `${this.name}.projection`;
      this.projection = new Dense(features, out, {
        backend: this.backend,
        rng: opts.rng,
        init: opts.init,
        bias: false,
        name,
      });
    }
  }

  override children(): Layer[] {
    return this.projection === null ? [this.inner] : [this.inner, this.projection];
  }

  override inFeatures(): number {
    return this.features;
  }

  override outFeatures(inFeatures: number): number {
    this.checkShape('input', [inFeatures], [this.features]);
    return this.inner.outFeatures(inFeatures);
  }

  /**
   * y = inner(x) + x (or + x P with a projection). Throws `ShapeError` if the inner layer changes the batch
   * dimensions.
   */
  forward(x: Tensor, opts: ForwardOptions): Tensor {
    this.checkRows(x, this.features);
    const fx = this.inner.forward(x, opts);
    const skip = this.projection === null ? x : this.projection.forward(x, opts);
    if (fx.size !== skip.size || fx.rank !== skip.rank) {
      throw new ShapeError(
        `${this.name}: ${this.inner.name} returned shape ${shapeString(fx.shape)}, the skip path ${shapeString(skip.shape)}; the inner layer must keep the batch dimensions`,
      );
    }
    const y = this.scratch('y', fx.shape);
    this.backend.copy(fx.buf, y.buf);
    this.backend.axpby(1, skip.buf, 1, y.buf);
    this.x = x;
    this.output = y;
    return y;
  }

  backward(dy: Tensor): Tensor {
    this.checkGrad(dy);
    const x = this.x as Tensor;
    const dx = this.scratch('dx', x.shape);
    // Both paths see the same dy; their input gradients add.
    this.backend.copy(this.inner.backward(dy).buf, dx.buf);
    const skipGrad = this.projection === null ? dy : this.projection.backward(dy);
    this.backend.axpby(1, skipGrad.buf, 1, dx.buf);
    this.inputGrad = dx;
    return dx;
  }
}
