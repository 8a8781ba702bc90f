import { type Buf, ShapeError } from '@vgp/core';
import type { InitSpec } from '../../init.js';
import type { ForwardOptions } from '../../layer.js';
import { Layer } from '../../layer.js';
import { type Param, shapeString, Tensor } from '../../tensor.js';
import { DEFAULT_INIT, matrixParam, positiveInt, type WeightLayerOptions } from '../params.js';

/** The recurrent cells; also each layer's name prefix. */
export type RecurrentCell = 'rnn' | 'lstm' | 'gru';

/** Options of the recurrent layers ({@link RNN}, {@link LSTM}, {@link GRU}). */
export interface RecurrentOptions extends WeightLayerOptions {
  /** Return every hidden state `[time, batch, hidden]` (default) or only the last one `[batch, hidden]`. */
  returnSequences?: boolean;
  /** Initializer of the hidden-to-hidden matrix (default `orthogonal`, as Keras: it neither shrinks nor grows h at init). */
  recurrentInit?: InitSpec;
}

/**
 * What RNN, LSTM and GRU share: input `[time, batch, inputs]`, a zero initial state, weights W_ih
 * `[inputs, G*hidden]` and W_hh `[hidden, G*hidden]` for G gate blocks, the input projection x W_ih done as
 * one gemm over all time*batch rows before the loop, and after the backward loop the weight and input
 * gradients done as one gemm each over all steps. Subclasses run the per-step loops.
 *
 * `timeGradNorms[t]` is ||dL/dh_t|| (L2 over the batch) after the last backward: the total gradient reaching
 * h_t, from the output at t and through h_{t+1}. Its decay towards t = 0 is the vanishing gradient in time.
 */
export abstract class RecurrentLayer extends Layer {
  /** W_ih, `[inputs, gateCount * hidden]`. */
  readonly weightIh: Param;
  /** W_hh, `[hidden, gateCount * hidden]` (role `recurrent`). */
  readonly weightHh: Param;
  /** Whether `forward` returns every step's state or only the last. */
  readonly returnSequences: boolean;
  /** ||dL/dh_t|| per time step after the last backward (see the class comment); empty before it. */
  timeGradNorms = new Float64Array(0);
  /** Every hidden state `[time, batch, hidden]` of the last forward, also when only the last is returned. */
  states: Tensor | null = null;
  /**
   * When set, called with dL/dh_t `[batch, hidden]` at each step of backprop (the unit probe reads
   * per-unit gradients through time from it); null, the default, costs nothing.
   */
  onTimeGrad: ((t: number, dh: Tensor) => void) | null = null;
  /** The last forward's input, kept for backprop. */
  protected x: Tensor | null = null;
  private readonly slicesCache = new Map<string, { parent: Buf; views: Buf[] }>();
  private lastOut: Tensor | null = null;

  constructor(
    /** Which cell this is, for the diagnostics and the spec builder. */
    readonly cell: RecurrentCell,
    /** Input features per step. */
    readonly inputs: number,
    /** Hidden units. */
    readonly hidden: number,
    /** Gate blocks per weight matrix: 1 (rnn), 3 (gru), 4 (lstm). */
    readonly gateCount: number,
    opts: RecurrentOptions,
  ) {
    super(cell, opts);
    positiveInt(this.name, 'input features', inputs);
    positiveInt(this.name, 'hidden size', hidden);
    this.returnSequences = opts.returnSequences ?? true;
    const g = gateCount * hidden;
    const init = opts.init ?? DEFAULT_INIT;
    const rinit = opts.recurrentInit ?? 'orthogonal';
    this.weightIh = matrixParam(this.backend, `${this.name}.weightIh`, inputs, g, init, opts.rng);
    this.weightHh = matrixParam(
      this.backend,
      `${this.name}.weightHh`,
      hidden,
      g,
      rinit,
      opts.rng,
      'recurrent',
    );
    this.ownParams.push(this.weightIh, this.weightHh);
  }

  override inFeatures(): number {
    return this.inputs;
  }

  override outFeatures(inFeatures: number): number {
    this.checkShape('input', [inFeatures], [this.inputs]);
    return this.hidden;
  }

  /**
   * Runs the cell over `x` `[time, batch, inputs]` from a zero state; returns `[time, batch, hidden]`
   * or, without `returnSequences`, the last state `[batch, hidden]`. The mode does not matter.
   */
  forward(x: Tensor, _opts: ForwardOptions): Tensor {
    this.checkBackend(x);
    if (x.rank !== 3 || x.shape[2] !== this.inputs || x.size === 0) {
      throw new ShapeError(
        `${this.name}: input has shape ${shapeString(x.shape)}, expected [time, batch, ${this.inputs}] with time and batch at least 1`,
      );
    }
    const [steps, batch] = x.shape;
    this.x = x;
    const hs = this.run(x, steps, batch);
    this.states = hs;
    this.output = this.returnSequences ? hs : this.lastStep(hs, steps, batch);
    return this.output;
  }

  backward(dy: Tensor): Tensor {
    this.checkGrad(dy);
    const x = this.x as Tensor;
    const [steps] = x.shape;
    if (this.timeGradNorms.length !== steps) this.timeGradNorms = new Float64Array(steps);
    this.inputGrad = this.backprop(dy, x, steps, x.shape[1]);
    return this.inputGrad;
  }

  /** Runs the steps; returns all hidden states `[time, batch, hidden]`. */
  protected abstract run(x: Tensor, steps: number, batch: number): Tensor;
  /** Backprop through time; writes every param's grad and returns dL/dx. */
  protected abstract backprop(dy: Tensor, x: Tensor, steps: number, batch: number): Tensor;

  /**
   * Views of `t`'s buffer cut into `count` consecutive slices of `len` (one per time step), cached while
   * the buffer stays the same so steady-state steps make none.
   */
  protected slices(slot: string, t: Tensor, count: number): Buf[] {
    const hit = this.slicesCache.get(slot);
    if (hit !== undefined && hit.parent === t.buf && hit.views.length === count) return hit.views;
    const len = t.size / count;
    const views = Array.from({ length: count }, (_, i) => this.backend.view(t.buf, i * len, len));
    this.slicesCache.set(slot, { parent: t.buf, views });
    return views;
  }

  /**
   * Writes into dh the gradient arriving at h_t from this layer's output, and returns the beta with which
   * to accumulate the recurrent part onto it: 0 when none arrives (a step before the last, without sequences).
   */
  protected outputGrad(dy: Tensor, t: number, steps: number, dh: Tensor): number {
    if (this.returnSequences) {
      this.backend.copy(this.slices('dy', dy, steps)[t], dh.buf);
      return 1;
    }
    if (t === steps - 1) {
      this.backend.copy(dy.buf, dh.buf);
      return 1;
    }
    return 0;
  }

  /**
   * Stores ||dh|| (L2 over the batch) as `timeGradNorms[t]`; subclasses call it once per step of backprop.
   */
  protected recordNorm(t: number, dh: Tensor): void {
    this.timeGradNorms[t] = Math.sqrt(this.backend.sumSquares(dh.buf));
    this.onTimeGrad?.(t, dh);
  }

  /**
   * The gemms after the backward loop. dIn: gradient wrt the input projection x W_ih (+ b_ih), `[T*B, G*H]`;
   * dRec: wrt the recurrent projection h_{t-1} W_hh (+ b_hh). dW_ih = x^T dIn, dx = dIn W_ih^T, and
   * dW_hh = sum_{t>=1} h_{t-1}^T dRec_t as one gemm over the shifted views (h_{-1} = 0 adds nothing).
   */
  protected weightAndInputGrads(
    x: Tensor,
    hs: Tensor,
    dIn: Tensor,
    dRec: Tensor,
    steps: number,
    batch: number,
  ): Tensor {
    const b = this.backend;
    const g = this.gateCount * this.hidden;
    const rows = steps * batch;
    b.gemm(true, false, this.inputs, g, rows, 1, x.buf, dIn.buf, 0, this.weightIh.grad.buf);
    if (steps > 1) {
      const earlier = b.view(hs.buf, 0, (steps - 1) * batch * this.hidden);
      const later = b.view(dRec.buf, batch * g, (steps - 1) * batch * g);
      b.gemm(true, false, this.hidden, g, (steps - 1) * batch, 1, earlier, later, 0, this.weightHh.grad.buf);
    } else {
      b.fill(this.weightHh.grad.buf, 0);
    }
    const dx = this.scratch('dx', x.shape);
    b.gemm(false, true, rows, this.inputs, g, 1, dIn.buf, this.weightIh.value.buf, 0, dx.buf);
    return dx;
  }

  private lastStep(hs: Tensor, steps: number, batch: number): Tensor {
    const view = this.slices('h', hs, steps)[steps - 1];
    if (this.lastOut === null || this.lastOut.buf !== view)
      this.lastOut = new Tensor(this.backend, [batch, this.hidden], view);
    return this.lastOut;
  }
}
