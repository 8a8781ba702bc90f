import type { Param, Tensor } from '../../tensor.js';
import { vectorParam } from '../params.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent-layer.js';

export interface LstmOptions extends RecurrentOptions {
  /**
   * Initial bias of the forget gate (default 1, as Keras's `unit_forget_bias`; Jozefowicz et al. 2015): the
   * cell starts out remembering, so gradients flow through c over long spans from the first step.
   */
  forgetBias?: number;
}

/**
 * LSTM (Hochreiter & Schmidhuber 1997, with a forget gate) in PyTorch's gate order i, f, g, o:
 * gates = x_t W_ih + h_{t-1} W_hh + b; c_t = f*c_{t-1} + i*g; h_t = o*tanh(c_t); h_{-1} = c_{-1} = 0.
 * The additive cell path c_{t-1} -> c_t (scaled by f, not by a weight matrix) is what keeps its gradient alive.
 * A step is a gemm and one fused `lstmCellForward`.
 */
export class LSTM extends RecurrentLayer {
  /** b, `[4 * hidden]` in gate order i, f, g, o; the f block starts at `forgetBias`. */
  readonly bias: Param;

  constructor(inputs: number, hidden: number, opts: LstmOptions) {
    super('lstm', inputs, hidden, 4, opts);
    this.bias = vectorParam(this.backend, `${this.name}.bias`, 4 * hidden, 0, 'bias');
    const forgetBias = opts.forgetBias ?? 1;
    if (forgetBias !== 0) {
      // Block f is the second of i, f, g, o.
      const values = new Float64Array(4 * hidden);
      values.fill(forgetBias, hidden, 2 * hidden);
      this.backend.write(this.bias.value.buf, values);
    }
    this.ownParams.push(this.bias);
  }

  protected run(x: Tensor, steps: number, batch: number): Tensor {
    const b = this.backend;
    const H = this.hidden;
    const gates = this.scratch('gates', [steps, batch, 4 * H]);
    const cs = this.scratch('c', [steps, batch, H]);
    const hs = this.scratch('h', [steps, batch, H]);
    // Zero-filled at allocation and never written: the initial cell state.
    const c0 = this.scratch('c0', [batch, H]);
    b.gemm(false, false, steps * batch, 4 * H, this.inputs, 1, x.buf, this.weightIh.value.buf, 0, gates.buf);
    b.biasAdd(gates.buf, this.bias.value.buf, steps * batch, 4 * H);
    const G = this.slices('gates', gates, steps);
    const C = this.slices('c', cs, steps);
    const Hs = this.slices('h', hs, steps);
    for (let t = 0; t < steps; t++) {
      if (t > 0) b.gemm(false, false, batch, 4 * H, H, 1, Hs[t - 1], this.weightHh.value.buf, 1, G[t]);
      b.lstmCellForward(G[t], t > 0 ? C[t - 1] : c0.buf, batch, H, C[t], Hs[t]);
    }
    return hs;
  }

  protected backprop(dy: Tensor, x: Tensor, steps: number, batch: number): Tensor {
    const b = this.backend;
    const H = this.hidden;
    const hs = this.scratch('h', [steps, batch, H]);
    const c0 = this.scratch('c0', [batch, H]);
    const G = this.slices('gates', this.scratch('gates', [steps, batch, 4 * H]), steps);
    const C = this.slices('c', this.scratch('c', [steps, batch, H]), steps);
    const dgates = this.scratch('dgates', [steps, batch, 4 * H]);
    const DG = this.slices('dgates', dgates, steps);
    const dh = this.scratch('dh', [batch, H]);
    // dL/dc_t arriving from step t+1; nothing arrives at the last step.
    const dc = this.scratch('dc', [batch, H]);
    b.fill(dc.buf, 0);
    for (let t = steps - 1; t >= 0; t--) {
      const beta = this.outputGrad(dy, t, steps, dh);
      if (t < steps - 1)
        b.gemm(false, true, batch, H, 4 * H, 1, DG[t + 1], this.weightHh.value.buf, beta, dh.buf);
      this.recordNorm(t, dh);
      b.lstmCellBackward(G[t], t > 0 ? C[t - 1] : c0.buf, C[t], dh.buf, dc.buf, batch, H, DG[t], dc.buf);
    }
    b.biasGrad(dgates.buf, steps * batch, 4 * H, 0, this.bias.grad.buf);
    return this.weightAndInputGrads(x, hs, dgates, dgates, steps, batch);
  }
}
