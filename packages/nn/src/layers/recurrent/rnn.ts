import { ConfigError } from '@vgp/core';
import type { Param, Tensor } from '../../tensor.js';
import { vectorParam } from '../params.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent-layer.js';

export interface RnnOptions extends RecurrentOptions {
  /** Nonlinearity (default tanh, as PyTorch's `nn.RNN`). */
  activation?: 'tanh' | 'relu';
}

/**
 * Elman RNN: h_t = f(x_t W_ih + h_{t-1} W_hh + b), h_{-1} = 0. One bias (PyTorch's b_ih + b_hh are one
 * parameter in effect). Its gradient through time is a product of W_hh^T diag(f') per step, the textbook
 * case of vanishing (tanh, small W_hh) and exploding (relu, large W_hh) gradients.
 */
export class RNN extends RecurrentLayer {
  /** b, `[hidden]`. */
  readonly bias: Param;
  /** The nonlinearity f. */
  readonly activation: 'tanh' | 'relu';

  constructor(inputs: number, hidden: number, opts: RnnOptions) {
    super('rnn', inputs, hidden, 1, opts);
    this.activation = opts.activation ?? 'tanh';
    if (this.activation !== 'tanh' && this.activation !== 'relu') {
      throw new ConfigError(
        `${this.name}: activation must be 'tanh' or 'relu', got '${String(this.activation)}'`,
      );
    }
    this.bias = vectorParam(this.backend, `${this.name}.bias`, hidden, 0, 'bias');
    this.ownParams.push(this.bias);
  }

  protected run(x: Tensor, steps: number, batch: number): Tensor {
    const b = this.backend;
    const H = this.hidden;
    const pre = this.scratch('pre', [steps, batch, H]);
    const hs = this.scratch('h', [steps, batch, H]);
    b.gemm(false, false, steps * batch, H, this.inputs, 1, x.buf, this.weightIh.value.buf, 0, pre.buf);
    b.biasAdd(pre.buf, this.bias.value.buf, steps * batch, H);
    const P = this.slices('pre', pre, steps);
    const Hs = this.slices('h', hs, steps);
    for (let t = 0; t < steps; t++) {
      if (t > 0) b.gemm(false, false, batch, H, H, 1, Hs[t - 1], this.weightHh.value.buf, 1, P[t]);
      b.activation(this.activation, P[t], Hs[t], 0);
    }
    return hs;
  }

  protected backprop(dy: Tensor, x: Tensor, steps: number, batch: number): Tensor {
    const b = this.backend;
    const H = this.hidden;
    const hs = this.scratch('h', [steps, batch, H]);
    const dpre = this.scratch('dpre', [steps, batch, H]);
    const dh = this.scratch('dh', [batch, H]);
    const P = this.slices('pre', this.scratch('pre', [steps, batch, H]), steps);
    const Hs = this.slices('h', hs, steps);
    const DP = this.slices('dpre', dpre, steps);
    for (let t = steps - 1; t >= 0; t--) {
      const beta = this.outputGrad(dy, t, steps, dh);
      // dL/dh_t also flows back from step t+1 through its pre-activation: dpre_{t+1} W_hh^T.
      if (t < steps - 1)
        b.gemm(false, true, batch, H, H, 1, DP[t + 1], this.weightHh.value.buf, beta, dh.buf);
      this.recordNorm(t, dh);
      b.activationGrad(this.activation, P[t], Hs[t], dh.buf, DP[t], 0);
    }
    b.biasGrad(dpre.buf, steps * batch, H, 0, this.bias.grad.buf);
    return this.weightAndInputGrads(x, hs, dpre, dpre, steps, batch);
  }
}
