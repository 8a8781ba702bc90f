import { ConfigError } from '@vgp/core';
import type { ForwardOptions } from '../layer.js';
import { Layer } from '../layer.js';
import type { Param, Tensor } from '../tensor.js';
import type { NormOptions } from './batch-norm.js';
import { positiveInt, vectorParam } from './params.js';

/**
 * Layer normalization (Ba et al. 2016) over the features of each row, the same in training and inference.
 * gamma starts at one, beta at zero; eps 1e-5 as PyTorch.
 */
export class LayerNorm extends Layer {
  /** Per-feature scale, starting at one. */
  readonly gamma: Param;
  /** Per-feature shift, starting at zero. */
  readonly beta: Param;
  /** Added to the variance before the square root. */
  readonly eps: number;
  private x: Tensor | null = null;

  constructor(
    /** Width of the input and output. */
    readonly features: number,
    opts: NormOptions,
  ) {
    super('layerNorm', opts);
    positiveInt(this.name, 'features', features);
    this.eps = opts.eps ?? 1e-5;
    if (!(this.eps > 0)) throw new ConfigError(`${this.name}: eps must be positive, got ${this.eps}`);
    this.gamma = vectorParam(this.backend, `${this.name}.gamma`, features, 1, 'gain');
    this.beta = vectorParam(this.backend, `${this.name}.beta`, features, 0, 'shift');
    this.ownParams.push(this.gamma, this.beta);
  }

  /** Normalizes each row over its features, then y = gamma * xhat + beta; the same in both modes. */
  forward(x: Tensor, _opts: ForwardOptions): Tensor {
    const rows = this.checkRows(x, this.features);
    const y = this.scratch('y', x.shape);
    const mean = this.scratch('mean', [rows]);
    const invStd = this.scratch('invStd', [rows]);
    this.backend.layerNormForward(
      x.buf,
      rows,
      this.features,
      this.gamma.value.buf,
      this.beta.value.buf,
      this.eps,
      y.buf,
      mean.buf,
      invStd.buf,
    );
    this.x = x;
    this.output = y;
    return y;
  }

  backward(dy: Tensor): Tensor {
    this.checkGrad(dy);
    const x = this.x as Tensor;
    const rows = x.size / this.features;
    const dx = this.scratch('dx', x.shape);
    this.backend.layerNormBackward(
      dy.buf,
      x.buf,
      rows,
      this.features,
      this.gamma.value.buf,
      this.scratch('mean', [rows]).buf,
      this.scratch('invStd', [rows]).buf,
      dx.buf,
      this.gamma.grad.buf,
      this.beta.grad.buf,
    );
    this.inputGrad = dx;
    return dx;
  }
}
