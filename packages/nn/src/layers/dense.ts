import type { ForwardOptions } from '../layer.js';
import { Layer } from '../layer.js';
import type { Param, Tensor } from '../tensor.js';
import { DEFAULT_INIT, matrixParam, positiveInt, vectorParam, type WeightLayerOptions } from './params.js';

/** Options of a {@link Dense} layer. */
export interface DenseOptions extends WeightLayerOptions {
  /** Add a learned bias (default true). */
  bias?: boolean;
}

/**
 * Fully connected layer: y = x W + b, W stored `[in, out]`, b `[out]` (zeros at init).
 * Takes `[batch, in]` or `[time, batch, in]` (applied to every row, e.g. a head over a sequence).
 */
export class Dense extends Layer {
  /** W, `[inputs, units]`. */
  readonly weight: Param;
  /** b, `[units]`, or null when built with `bias: false`. */
  readonly bias: Param | null;
  private x: Tensor | null = null;

  constructor(
    /** Input features. */
    readonly inputs: number,
    /** Output features. */
    readonly units: number,
    opts: DenseOptions,
  ) {
    super('dense', opts);
    positiveInt(this.name, 'input features', inputs);
    positiveInt(this.name, 'output features', units);
    this.weight = matrixParam(
      this.backend,
      `${this.name}.weight`,
      inputs,
      units,
      opts.init ?? DEFAULT_INIT,
      opts.rng,
    );
    this.bias = opts.bias === false ? null : vectorParam(this.backend, `${this.name}.bias`, units, 0, 'bias');
    this.ownParams.push(this.weight);
    if (this.bias !== null) this.ownParams.push(this.bias);
  }

  override inFeatures(): number {
    return this.inputs;
  }

  override outFeatures(inFeatures: number): number {
    this.checkShape('input', [inFeatures], [this.inputs]);
    return this.units;
  }

  /** y = x W + b for `[batch, inputs]` or `[time, batch, inputs]`; the last dimension becomes `units`. */
  forward(x: Tensor, _opts: ForwardOptions): Tensor {
    const rows = this.checkRows(x, this.inputs);
    const y = this.scratchAs('y', x.shape, this.units);
    const b = this.backend;
    b.gemm(false, false, rows, this.units, this.inputs, 1, x.buf, this.weight.value.buf, 0, y.buf);
    if (this.bias !== null) b.biasAdd(y.buf, this.bias.value.buf, rows, this.units);
    this.x = x;
    this.output = y;
    return y;
  }

  backward(dy: Tensor): Tensor {
    this.checkGrad(dy);
    const x = this.x as Tensor;
    const rows = x.size / this.inputs;
    const b = this.backend;
    // dW = x^T dy, db = column sums of dy, dx = dy W^T.
    b.gemm(true, false, this.inputs, this.units, rows, 1, x.buf, dy.buf, 0, this.weight.grad.buf);
    if (this.bias !== null) b.biasGrad(dy.buf, rows, this.units, 0, this.bias.grad.buf);
    const dx = this.scratch('dx', x.shape);
    b.gemm(false, true, rows, this.inputs, this.units, 1, dy.buf, this.weight.value.buf, 0, dx.buf);
    this.inputGrad = dx;
    return dx;
  }
}
