import type { Param, Tensor } from '../../tensor.js';
import { vectorParam } from '../params.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent-layer.js';

/**
 * GRU (Cho et al. 2014) in PyTorch's formulation and gate order r, z, n:
 * r = sigmoid(x W_ir + b_ir + h W_hr + b_hr); z likewise; n = tanh(x W_in + b_in + r*(h W_hn + b_hn));
 * h_t = (1-z)*n + z*h_{t-1}. Biases b_ih and b_hh stay separate because r multiplies the hidden part of n.
 * A step is a gemm, a bias add and one fused `gruCellForward`.
 */
export class GRU extends RecurrentLayer {
  /** b_ih, `[3 * hidden]` in gate order r, z, n. */
  readonly biasIh: Param;
  /** b_hh, `[3 * hidden]`, kept apart from b_ih because r scales its n block. */
  readonly biasHh: Param;

  constructor(inputs: number, hidden: number, opts: RecurrentOptions) {
    super('gru', inputs, hidden, 3, opts);
    this.biasIh = vectorParam(this.backend, `${this.name}.biasIh`, 3 * hidden, 0, 'bias');
    this.biasHh = vectorParam(this.backend, `${this.name}.biasHh`, 3 * hidden, 0, 'bias');
    this.ownParams.push(this.biasIh, this.biasHh);
  }

  protected run(x: Tensor, steps: number, batch: number): Tensor {
    const b = this.backend;
    const H = this.hidden;
    const gx = this.scratch('gx', [steps, batch, 3 * H]);
    const gh = this.scratch('gh', [steps, batch, 3 * H]);
    const hs = this.scratch('h', [steps, batch, H]);
    // Zero-filled at allocation and never written: the initial hidden state.
    const h0 = this.scratch('h0', [batch, H]);
    b.gemm(false, false, steps * batch, 3 * H, this.inputs, 1, x.buf, this.weightIh.value.buf, 0, gx.buf);
    b.biasAdd(gx.buf, this.biasIh.value.buf, steps * batch, 3 * H);
    const GX = this.slices('gx', gx, steps);
    const GH = this.slices('gh', gh, steps);
    const Hs = this.slices('h', hs, steps);
    for (let t = 0; t < steps; t++) {
      // h_{-1} = 0, so the first step's hidden projection is the bias alone.
      if (t > 0) b.gemm(false, false, batch, 3 * H, H, 1, Hs[t - 1], this.weightHh.value.buf, 0, GH[t]);
      else b.fill(GH[0], 0);
      b.biasAdd(GH[t], this.biasHh.value.buf, batch, 3 * H);
      b.gruCellForward(GX[t], GH[t], t > 0 ? Hs[t - 1] : h0.buf, batch, H, Hs[t]);
    }
    return hs;
  }

  protected backprop(dy: Tensor, x: Tensor, steps: number, batch: number): Tensor {
    const b = this.backend;
    const H = this.hidden;
    const hs = this.scratch('h', [steps, batch, H]);
    const h0 = this.scratch('h0', [batch, H]);
    const GX = this.slices('gx', this.scratch('gx', [steps, batch, 3 * H]), steps);
    const GH = this.slices('gh', this.scratch('gh', [steps, batch, 3 * H]), steps);
    const Hs = this.slices('h', hs, steps);
    const dgx = this.scratch('dgx', [steps, batch, 3 * H]);
    const dgh = this.scratch('dgh', [steps, batch, 3 * H]);
    const DGX = this.slices('dgx', dgx, steps);
    const DGH = this.slices('dgh', dgh, steps);
    const dh = this.scratch('dh', [batch, H]);
    // The direct path z*dh_{t+1} from step t+1 (the cell kernel writes it; we add the W_hh path ourselves).
    const dhPrev = this.scratch('dhPrev', [batch, H]);
    for (let t = steps - 1; t >= 0; t--) {
      const beta = this.outputGrad(dy, t, steps, dh);
      if (t < steps - 1) {
        b.axpby(1, dhPrev.buf, beta, dh.buf);
        b.gemm(false, true, batch, H, 3 * H, 1, DGH[t + 1], this.weightHh.value.buf, 1, dh.buf);
      }
      this.recordNorm(t, dh);
      b.gruCellBackward(
        GX[t],
        GH[t],
        t > 0 ? Hs[t - 1] : h0.buf,
        dh.buf,
        batch,
        H,
        DGX[t],
        DGH[t],
        dhPrev.buf,
      );
    }
    b.biasGrad(dgx.buf, steps * batch, 3 * H, 0, this.biasIh.grad.buf);
    b.biasGrad(dgh.buf, steps * batch, 3 * H, 0, this.biasHh.grad.buf);
    return this.weightAndInputGrads(x, hs, dgx, dgh, steps, batch);
  }
}
