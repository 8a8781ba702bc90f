import type { ActivationKind, Backend, Buf, Floats, Precision, SaturatingKind } from './backend.js';
import { ConfigError } from './errors.js';
import * as act from './ts/activations.js';
import { TsMemory } from './ts/buffer.js';
import * as drop from './ts/dropout.js';
import * as ew from './ts/elementwise.js';
import { flushSubnormals } from './ts/flush.js';
import * as la from './ts/linalg.js';
import * as loss from './ts/losses.js';
import * as norm from './ts/norms.js';
import * as opt from './ts/optimizers.js';
import * as rnn from './ts/recurrent.js';
import * as red from './ts/reductions.js';

/** Options of the {@link TsBackend} constructor. */
export interface TsBackendOptions {
  /** 'f64' stores Float64Array buffers, for gradient checks exact to ~1e-7. */
  precision: Precision;
  /**
   * f32 only: store results below 2^-126 of the gradient and state kernels as zero, as `WasmBackend`
   * does (default true in f32; see `Backend`). `true` with 'f64' is a `ConfigError`: float64 is the exact
   * reference and never flushes.
   */
  flushSubnormals?: boolean;
}

/**
 * The living definition of every kernel: plain loops over typed arrays, in `./ts/*` by kernel group.
 * This class only unwraps buffers (checking they are live and ours) and delegates.
 */
export class TsBackend implements Backend {
  /** Which implementation this is. */
  readonly name = 'ts' as const;
  /** 'f32' (Float32Array buffers, like WASM) or 'f64' (Float64Array, for exact gradient checks). */
  readonly precision: Precision;
  /** Whether the gradient and state kernels flush subnormal f32 results to zero (never in f64). */
  readonly flushSubnormals: boolean;
  private readonly mem: TsMemory;

  /** Throws `ConfigError` for a precision other than 'f32' or 'f64', or flushSubnormals with 'f64'. */
  constructor(options: TsBackendOptions = { precision: 'f32' }) {
    if (options.precision !== 'f32' && options.precision !== 'f64') {
      throw new ConfigError(`unknown precision '${String(options.precision)}'; use 'f32' or 'f64'`);
    }
    if (options.precision === 'f64' && options.flushSubnormals === true) {
      throw new ConfigError(
        "flushSubnormals applies to f32 only (float64 is the exact reference); drop it or use precision 'f32'",
      );
    }
    this.precision = options.precision;
    this.flushSubnormals = options.precision === 'f32' && options.flushSubnormals !== false;
    this.mem = new TsMemory(this, options.precision);
  }

  /** The typed array behind a buffer (a field, not a method, so the prototype holds only kernels). */
  private readonly d = (buf: Buf): Floats => this.mem.data(buf, 'kernel');

  /** The flush to zero of the gradient and state kernels' outputs (see `Backend`), when it is on. */
  private readonly ftz = (...bufs: Buf[]): void => {
    if (this.flushSubnormals) for (const b of bufs) flushSubnormals(this.d(b));
  };

  // ---------------------------------------------------------------- memory

  alloc(n: number): Buf {
    return this.mem.alloc(n);
  }
  free(buf: Buf): void {
    this.mem.free(buf);
  }
  view(buf: Buf, offset: number, length: number): Buf {
    return this.mem.view(buf, offset, length);
  }
  read(buf: Buf): Floats {
    return this.mem.read(buf);
  }
  write(buf: Buf, src: ArrayLike<number>): void {
    this.mem.write(buf, src);
  }
  memoryBytes(): number {
    return this.mem.bytes();
  }
  dispose(): void {
    this.mem.dispose();
  }

  // ---------------------------------------------------------------- elementwise

  fill(x: Buf, value: number): void {
    ew.fill(this.d(x), value);
  }
  copy(src: Buf, dst: Buf): void {
    ew.copy(this.d(src), this.d(dst));
  }
  scale(x: Buf, s: number): void {
    ew.scale(this.d(x), s);
    this.ftz(x);
  }
  axpby(alpha: number, x: Buf, beta: number, y: Buf): void {
    ew.axpby(alpha, this.d(x), beta, this.d(y));
  }
  mul(a: Buf, b: Buf, out: Buf): void {
    ew.mul(this.d(a), this.d(b), this.d(out));
  }

  // ---------------------------------------------------------------- linear algebra

  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Buf,
    b: Buf,
    beta: number,
    c: Buf,
  ): void {
    la.gemm(transA, transB, m, n, k, alpha, this.d(a), this.d(b), beta, this.d(c));
    this.ftz(c);
  }
  biasAdd(y: Buf, bias: Buf, rows: number, cols: number): void {
    la.biasAdd(this.d(y), this.d(bias), rows, cols);
  }
  biasGrad(dy: Buf, rows: number, cols: number, beta: number, dbias: Buf): void {
    la.biasGrad(this.d(dy), rows, cols, beta, this.d(dbias));
    this.ftz(dbias);
  }

  // ---------------------------------------------------------------- activations

  activation(kind: ActivationKind, x: Buf, y: Buf, alpha: number): void {
    act.activation(kind, this.d(x), this.d(y), alpha);
  }
  activationGrad(kind: ActivationKind, x: Buf, y: Buf, dy: Buf, dx: Buf, alpha: number): void {
    act.activationGrad(kind, this.d(x), this.d(y), this.d(dy), this.d(dx), alpha);
    if (kind !== 'identity') this.ftz(dx); // identity's gradient is a copy, as on WASM
  }
  softmax(x: Buf, rows: number, cols: number, y: Buf): void {
    act.softmax(this.d(x), rows, cols, this.d(y));
  }

  // ---------------------------------------------------------------- losses

  mseLoss(pred: Buf, target: Buf, grad: Buf): number {
    return loss.mseLoss(this.d(pred), this.d(target), this.d(grad));
  }
  softmaxCrossEntropy(logits: Buf, target: Buf, rows: number, cols: number, grad: Buf): number {
    return loss.softmaxCrossEntropy(this.d(logits), this.d(target), rows, cols, this.d(grad));
  }
  bceWithLogits(logits: Buf, target: Buf, grad: Buf): number {
    return loss.bceWithLogits(this.d(logits), this.d(target), this.d(grad));
  }

  // ---------------------------------------------------------------- normalization

  batchNormForward(
    x: Buf,
    rows: number,
    cols: number,
    gamma: Buf,
    beta: Buf,
    eps: number,
    momentum: number,
    runningMean: Buf,
    runningVar: Buf,
    y: Buf,
    mean: Buf,
    invStd: Buf,
  ): void {
    const d = (b: Buf) => this.d(b);
    norm.batchNormForward(
      d(x),
      rows,
      cols,
      d(gamma),
      d(beta),
      eps,
      momentum,
      d(runningMean),
      d(runningVar),
      d(y),
      d(mean),
      d(invStd),
    );
  }
  batchNormInference(
    x: Buf,
    rows: number,
    cols: number,
    gamma: Buf,
    beta: Buf,
    runningMean: Buf,
    runningVar: Buf,
    eps: number,
    y: Buf,
  ): void {
    const d = (b: Buf) => this.d(b);
    norm.batchNormInference(d(x), rows, cols, d(gamma), d(beta), d(runningMean), d(runningVar), eps, d(y));
  }
  batchNormBackward(
    dy: Buf,
    x: Buf,
    rows: number,
    cols: number,
    gamma: Buf,
    mean: Buf,
    invStd: Buf,
    dx: Buf,
    dgamma: Buf,
    dbeta: Buf,
  ): void {
    const d = (b: Buf) => this.d(b);
    norm.batchNormBackward(d(dy), d(x), rows, cols, d(gamma), d(mean), d(invStd), d(dx), d(dgamma), d(dbeta));
    this.ftz(dx, dgamma, dbeta);
  }
  layerNormForward(
    x: Buf,
    rows: number,
    cols: number,
    gamma: Buf,
    beta: Buf,
    eps: number,
    y: Buf,
    mean: Buf,
    invStd: Buf,
  ): void {
    const d = (b: Buf) => this.d(b);
    norm.layerNormForward(d(x), rows, cols, d(gamma), d(beta), eps, d(y), d(mean), d(invStd));
  }
  layerNormBackward(
    dy: Buf,
    x: Buf,
    rows: number,
    cols: number,
    gamma: Buf,
    mean: Buf,
    invStd: Buf,
    dx: Buf,
    dgamma: Buf,
    dbeta: Buf,
  ): void {
    const d = (b: Buf) => this.d(b);
    norm.layerNormBackward(d(dy), d(x), rows, cols, d(gamma), d(mean), d(invStd), d(dx), d(dgamma), d(dbeta));
    this.ftz(dx, dgamma, dbeta);
  }

  // ---------------------------------------------------------------- dropout

  dropoutForward(x: Buf, p: number, seed: number, y: Buf, mask: Buf): void {
    drop.dropoutForward(this.d(x), p, seed, this.d(y), this.d(mask));
  }

  // ---------------------------------------------------------------- recurrent cells

  lstmCellForward(gates: Buf, cPrev: Buf, batch: number, hidden: number, c: Buf, h: Buf): void {
    rnn.lstmCellForward(this.d(gates), this.d(cPrev), batch, hidden, this.d(c), this.d(h));
    this.ftz(c, h);
  }
  lstmCellBackward(
    gates: Buf,
    cPrev: Buf,
    c: Buf,
    dh: Buf,
    dc: Buf,
    batch: number,
    hidden: number,
    dgates: Buf,
    dcPrev: Buf,
  ): void {
    const d = (b: Buf) => this.d(b);
    rnn.lstmCellBackward(d(gates), d(cPrev), d(c), d(dh), d(dc), batch, hidden, d(dgates), d(dcPrev));
    this.ftz(dgates, dcPrev);
  }
  gruCellForward(gx: Buf, gh: Buf, hPrev: Buf, batch: number, hidden: number, h: Buf): void {
    rnn.gruCellForward(this.d(gx), this.d(gh), this.d(hPrev), batch, hidden, this.d(h));
    this.ftz(h);
  }
  gruCellBackward(
    gx: Buf,
    gh: Buf,
    hPrev: Buf,
    dh: Buf,
    batch: number,
    hidden: number,
    dgx: Buf,
    dgh: Buf,
    dhPrev: Buf,
  ): void {
    const d = (b: Buf) => this.d(b);
    rnn.gruCellBackward(d(gx), d(gh), d(hPrev), d(dh), batch, hidden, d(dgx), d(dgh), d(dhPrev));
    this.ftz(dgx, dgh, dhPrev);
  }

  // ---------------------------------------------------------------- optimizers

  sgdStep(w: Buf, g: Buf, lr: number, weightDecay: number): void {
    opt.sgdStep(this.d(w), this.d(g), lr, weightDecay);
  }
  momentumStep(
    w: Buf,
    g: Buf,
    v: Buf,
    lr: number,
    momentum: number,
    weightDecay: number,
    nesterov: boolean,
  ): void {
    opt.momentumStep(this.d(w), this.d(g), this.d(v), lr, momentum, weightDecay, nesterov);
    this.ftz(v);
  }
  rmspropStep(w: Buf, g: Buf, sq: Buf, lr: number, alpha: number, eps: number, weightDecay: number): void {
    opt.rmspropStep(this.d(w), this.d(g), this.d(sq), lr, alpha, eps, weightDecay);
    this.ftz(sq);
  }
  adamStep(
    w: Buf,
    g: Buf,
    m: Buf,
    v: Buf,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    step: number,
    decoupled: boolean,
  ): void {
    const d = (b: Buf) => this.d(b);
    opt.adamStep(d(w), d(g), d(m), d(v), lr, beta1, beta2, eps, weightDecay, step, decoupled);
    this.ftz(m, v);
  }

  // ---------------------------------------------------------------- clipping and reductions

  clipByValue(x: Buf, limit: number): void {
    ew.clipByValue(this.d(x), limit);
  }
  sum(x: Buf): number {
    return red.sum(this.d(x));
  }
  sumSquares(x: Buf): number {
    return red.sumSquares(this.d(x));
  }
  maxAbs(x: Buf): number {
    return red.maxAbs(this.d(x));
  }
  countNonFinite(x: Buf): number {
    return red.countNonFinite(this.d(x));
  }
  countNearZero(x: Buf, eps: number): number {
    return red.countNearZero(this.d(x), eps);
  }
  countSaturated(kind: SaturatingKind, y: Buf): number {
    return red.countSaturated(kind, this.d(y));
  }
  countDeadUnits(y: Buf, rows: number, cols: number): number {
    return red.countDeadUnits(this.d(y), rows, cols);
  }
  paramStats(w: Buf, g: Buf, prev: Buf | null, eps: number, out: Float64Array): void {
    red.paramStats(this.d(w), this.d(g), prev ? this.d(prev) : null, eps, out);
  }
  moments(x: Buf, shift: number, saturating: SaturatingKind | null, out: Float64Array): void {
    red.moments(this.d(x), shift, saturating, out);
  }
  logHistogram(x: Buf, minExp: number, maxExp: number, bins: Buf): void {
    red.logHistogram(this.d(x), minExp, maxExp, this.d(bins));
  }
}
