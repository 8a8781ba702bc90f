import { ConfigError, ShapeError, VgpError } from '@vgp/core';
import type { ForwardOptions, LayerOptions, NamedTensor } from '../layer.js';
import { Layer } from '../layer.js';
import { type Param, Tensor } from '../tensor.js';
import { positiveInt, vectorParam } from './params.js';

/** Options of the normalization layers ({@link LayerNorm}, and {@link BatchNorm} through its options). */
export interface NormOptions extends LayerOptions {
  /** Added to the variance before the square root (default 1e-5, as PyTorch). */
  eps?: number;
}

/** Options of a {@link BatchNorm} layer. */
export interface BatchNormOptions extends NormOptions {
  /** Weight of the current batch in the running statistics (default 0.1, as PyTorch). */
  momentum?: number;
}

/**
 * Batch normalization (Ioffe & Szegedy 2015) per feature over the rows of `[batch, features]` (or of every
 * `[time, batch]` row). Training uses the batch statistics and updates the running ones, as PyTorch does
 * (the running variance unbiased); inference uses the running ones. gamma starts at one, beta at zero.
 */
export class BatchNorm extends Layer {
  /** Per-feature scale, starting at one. */
  readonly gamma: Param;
  /** Per-feature shift, starting at zero. */
  readonly beta: Param;
  /** Running mean per feature (starts at 0), used in inference. */
  readonly runningMean: Tensor;
  /** Running unbiased variance per feature (starts at 1), used in inference. */
  readonly runningVar: Tensor;
  /** Added to the variance before the square root. */
  readonly eps: number;
  /** Weight of each batch in the running statistics. */
  readonly momentum: number;
  private x: Tensor | null = null;
  private trained = false;

  constructor(
    /** Width of the input and output. */
    readonly features: number,
    opts: BatchNormOptions,
  ) {
    super('batchNorm', opts);
    positiveInt(this.name, 'features', features);
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    if (!(this.eps > 0)) throw new ConfigError(`${this.name}: eps must be positive, got ${this.eps}`);
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ConfigError(`${this.name}: momentum must be in [0, 1], got ${this.momentum}`);
    }
    this.gamma = vectorParam(this.backend, `${this.name}.gamma`, features, 1, 'gain');
    this.beta = vectorParam(this.backend, `${this.name}.beta`, features, 0, 'shift');
    this.ownParams.push(this.gamma, this.beta);
    this.runningMean = Tensor.zeros(this.backend, [features]);
    this.runningVar = Tensor.zeros(this.backend, [features]);
    this.backend.fill(this.runningVar.buf, 1);
  }

  override buffers(): NamedTensor[] {
    return [
      { name: `${this.name}.runningMean`, value: this.runningMean },
      { name: `${this.name}.runningVar`, value: this.runningVar },
    ];
  }

  /**
   * Normalizes each feature. Training: by the batch's mean and biased variance, updating the running
   * statistics (throws `ShapeError` for fewer than 2 rows, which have no variance). Inference: by the
   * running statistics, so one row is fine.
   */
  forward(x: Tensor, opts: ForwardOptions): Tensor {
    const rows = this.checkRows(x, this.features);
    const y = this.scratch('y', x.shape);
    const b = this.backend;
    if (opts.training) {
      // One row has no variance to normalize by (PyTorch refuses it too); the running variance would divide by 0.
      if (rows < 2) {
        throw new ShapeError(
          `${this.name}: training needs at least 2 rows per batch, got ${rows}; use a larger batch`,
        );
      }
      const mean = this.scratch('mean', [this.features]);
      const invStd = this.scratch('invStd', [this.features]);
      b.batchNormForward(
        x.buf,
        rows,
        this.features,
        this.gamma.value.buf,
        this.beta.value.buf,
        this.eps,
        this.momentum,
        this.runningMean.buf,
        this.runningVar.buf,
        y.buf,
        mean.buf,
        invStd.buf,
      );
    } else {
      b.batchNormInference(
        x.buf,
        rows,
        this.features,
        this.gamma.value.buf,
        this.beta.value.buf,
        this.runningMean.buf,
        this.runningVar.buf,
        this.eps,
        y.buf,
      );
    }
    this.x = x;
    this.trained = opts.training;
    this.output = y;
    return y;
  }

  backward(dy: Tensor): Tensor {
    this.checkGrad(dy);
    if (!this.trained) {
      throw new VgpError(
        `${this.name}: backward needs a training-mode forward; call forward with { training: true }`,
      );
    }
    const x = this.x as Tensor;
    const dx = this.scratch('dx', x.shape);
    this.backend.batchNormBackward(
      dy.buf,
      x.buf,
      x.size / this.features,
      this.features,
      this.gamma.value.buf,
      this.scratch('mean', [this.features]).buf,
      this.scratch('invStd', [this.features]).buf,
      dx.buf,
      this.gamma.grad.buf,
      this.beta.grad.buf,
    );
    this.inputGrad = dx;
    return dx;
  }

  override dispose(): void {
    this.runningMean.dispose();
    this.runningVar.dispose();
    super.dispose();
  }
}
