import { ACTIVATIONS, type ActivationKind, type Backend, type Buf, type SaturatingKind } from './backend.js';
import { ConfigError } from './errors.js';
import type { WasmExports } from './wasm-exports.js';
import { loadWasm, WASM_PAGE_BYTES, WASM32_MAX_PAGES, type WasmBuild } from './wasm-loader.js';
import { WasmHeap } from './wasm-memory.js';

export type { WasmBuild } from './wasm-loader.js';
export { WasmBuf } from './wasm-memory.js';

export interface WasmBackendOptions {
  /** Which binary to load (default 'auto': relaxed SIMD when the engine validates it, else plain SIMD). */
  build?: WasmBuild;
  /** Upper bound on linear memory, a multiple of 64 KiB (default and maximum 4 GiB, all of wasm32). */
  maxMemoryBytes?: number;
}

/** An activation kind's code on the ABI: its index in `ACTIVATIONS`. */
function kindCode(kind: ActivationKind): number {
  const code = ACTIVATIONS.indexOf(kind);
  if (code < 0)
    throw new ConfigError(`unknown activation '${String(kind)}'; use one of ${ACTIVATIONS.join(', ')}`);
  return code;
}

/**
 * The fast backend: every kernel runs in the AssemblyScript module (SIMD where it pays). This class
 * only translates handles to pointers; it holds no math.
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm' as const;
  readonly precision = 'f32' as const;

  private constructor(
    private readonly k: WasmExports,
    private readonly heap: WasmHeap,
    /** The binary that was loaded ('auto' resolved). */
    readonly build: Exclude<WasmBuild, 'auto'>,
  ) {}

  static async create(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    const maxBytes = options.maxMemoryBytes ?? WASM32_MAX_PAGES * WASM_PAGE_BYTES;
    const loaded = await loadWasm(options.build ?? 'auto', maxBytes / WASM_PAGE_BYTES);
    return new WasmBackend(
      loaded.exports,
      new WasmHeap(loaded.exports, loaded.memory, maxBytes / WASM_PAGE_BYTES),
      loaded.build,
    );
  }

  private p(buf: Buf): number {
    return this.heap.ptr(buf);
  }

  alloc(n: number): Buf {
    return this.heap.alloc(n);
  }
  free(buf: Buf): void {
    this.heap.free(buf);
  }
  view(buf: Buf, offset: number, length: number): Buf {
    return this.heap.view(buf, offset, length);
  }
  read(buf: Buf): Float32Array {
    return this.heap.read(buf);
  }
  write(buf: Buf, src: ArrayLike<number>): void {
    this.heap.write(buf, src);
  }
  memoryBytes(): number {
    return this.heap.memoryBytes();
  }
  dispose(): void {
    this.heap.dispose();
  }

  fill(x: Buf, value: number): void {
    this.k.fill(this.p(x), x.length, value);
  }
  copy(src: Buf, dst: Buf): void {
    this.k.copy(this.p(src), this.p(dst), dst.length);
  }
  scale(x: Buf, s: number): void {
    this.k.scale(this.p(x), x.length, s);
  }
  axpby(alpha: number, x: Buf, beta: number, y: Buf): void {
    this.k.axpby(alpha, this.p(x), beta, this.p(y), y.length);
  }
  mul(a: Buf, b: Buf, out: Buf): void {
    this.k.mul(this.p(a), this.p(b), this.p(out), out.length);
  }

  gemm(
    tA: boolean,
    tB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Buf,
    b: Buf,
    beta: number,
    c: Buf,
  ): void {
    this.k.gemm(+tA, +tB, m, n, k, alpha, this.p(a), this.p(b), beta, this.p(c));
  }
  biasAdd(y: Buf, bias: Buf, rows: number, cols: number): void {
    this.k.biasAdd(this.p(y), this.p(bias), rows, cols);
  }
  biasGrad(dy: Buf, rows: number, cols: number, beta: number, dbias: Buf): void {
    this.k.biasGrad(this.p(dy), rows, cols, beta, this.p(dbias));
  }

  activation(kind: ActivationKind, x: Buf, y: Buf, alpha: number): void {
    this.k.activation(kindCode(kind), this.p(x), this.p(y), y.length, alpha);
  }
  activationGrad(kind: ActivationKind, x: Buf, y: Buf, dy: Buf, dx: Buf, alpha: number): void {
    this.k.activationGrad(kindCode(kind), this.p(x), this.p(y), this.p(dy), this.p(dx), dx.length, alpha);
  }
  softmax(x: Buf, rows: number, cols: number, y: Buf): void {
    this.k.softmax(this.p(x), rows, cols, this.p(y));
  }

  mseLoss(pred: Buf, target: Buf, grad: Buf): number {
    return this.k.mseLoss(this.p(pred), this.p(target), this.p(grad), pred.length);
  }
  softmaxCrossEntropy(logits: Buf, target: Buf, rows: number, cols: number, grad: Buf): number {
    return this.k.softmaxCrossEntropy(this.p(logits), this.p(target), rows, cols, this.p(grad));
  }
  bceWithLogits(logits: Buf, target: Buf, grad: Buf): number {
    return this.k.bceWithLogits(this.p(logits), this.p(target), this.p(grad), logits.length);
  }

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
    const p = (b: Buf) => this.p(b);
    this.k.batchNormForward(
      p(x),
      rows,
      cols,
      p(gamma),
      p(beta),
      eps,
      momentum,
      p(runningMean),
      p(runningVar),
      p(y),
      p(mean),
      p(invStd),
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
    const p = (b: Buf) => this.p(b);
    this.k.batchNormInference(p(x), rows, cols, p(gamma), p(beta), p(runningMean), p(runningVar), eps, p(y));
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
    const p = (b: Buf) => this.p(b);
    this.k.batchNormBackward(
      p(dy),
      p(x),
      rows,
      cols,
      p(gamma),
      p(mean),
      p(invStd),
      p(dx),
      p(dgamma),
      p(dbeta),
    );
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
    const p = (b: Buf) => this.p(b);
    this.k.layerNormForward(p(x), rows, cols, p(gamma), p(beta), eps, p(y), p(mean), p(invStd));
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
    const p = (b: Buf) => this.p(b);
    this.k.layerNormBackward(
      p(dy),
      p(x),
      rows,
      cols,
      p(gamma),
      p(mean),
      p(invStd),
      p(dx),
      p(dgamma),
      p(dbeta),
    );
  }

  dropoutForward(x: Buf, p: number, seed: number, y: Buf, mask: Buf): void {
    this.k.dropoutForward(this.p(x), x.length, p, seed, this.p(y), this.p(mask));
  }

  lstmCellForward(gates: Buf, cPrev: Buf, batch: number, hidden: number, c: Buf, h: Buf): void {
    this.k.lstmCellForward(this.p(gates), this.p(cPrev), batch, hidden, this.p(c), this.p(h));
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
    const p = (b: Buf) => this.p(b);
    this.k.lstmCellBackward(p(gates), p(cPrev), p(c), p(dh), p(dc), batch, hidden, p(dgates), p(dcPrev));
  }
  gruCellForward(gx: Buf, gh: Buf, hPrev: Buf, batch: number, hidden: number, h: Buf): void {
    this.k.gruCellForward(this.p(gx), this.p(gh), this.p(hPrev), batch, hidden, this.p(h));
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
    const p = (b: Buf) => this.p(b);
    this.k.gruCellBackward(p(gx), p(gh), p(hPrev), p(dh), batch, hidden, p(dgx), p(dgh), p(dhPrev));
  }

  sgdStep(w: Buf, g: Buf, lr: number, weightDecay: number): void {
    this.k.sgdStep(this.p(w), this.p(g), w.length, lr, weightDecay);
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
    this.k.momentumStep(this.p(w), this.p(g), this.p(v), w.length, lr, momentum, weightDecay, +nesterov);
  }
  rmspropStep(w: Buf, g: Buf, sq: Buf, lr: number, alpha: number, eps: number, weightDecay: number): void {
    this.k.rmspropStep(this.p(w), this.p(g), this.p(sq), w.length, lr, alpha, eps, weightDecay);
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
    const p = (b: Buf) => this.p(b);
    this.k.adamStep(p(w), p(g), p(m), p(v), w.length, lr, beta1, beta2, eps, weightDecay, step, +decoupled);
  }

  clipByValue(x: Buf, limit: number): void {
    this.k.clipByValue(this.p(x), x.length, limit);
  }

  sum(x: Buf): number {
    return this.k.sum(this.p(x), x.length);
  }
  sumSquares(x: Buf): number {
    return this.k.sumSquares(this.p(x), x.length);
  }
  maxAbs(x: Buf): number {
    return this.k.maxAbs(this.p(x), x.length);
  }
  countNonFinite(x: Buf): number {
    return this.k.countNonFinite(this.p(x), x.length);
  }
  countNearZero(x: Buf, eps: number): number {
    return this.k.countNearZero(this.p(x), x.length, eps);
  }
  countSaturated(kind: SaturatingKind, y: Buf): number {
    if (kind !== 'sigmoid' && kind !== 'tanh')
      throw new ConfigError(`countSaturated measures 'sigmoid' or 'tanh', not '${String(kind)}'`);
    return this.k.countSaturated(kindCode(kind), this.p(y), y.length);
  }
  countDeadUnits(y: Buf, rows: number, cols: number): number {
    return this.k.countDeadUnits(this.p(y), rows, cols);
  }
  logHistogram(x: Buf, minExp: number, maxExp: number, bins: Buf): void {
    this.k.logHistogram(this.p(x), x.length, minExp, maxExp, this.p(bins), bins.length);
  }
}
