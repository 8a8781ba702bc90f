import { ACTIVATIONS, type ActivationKind, type Buf, type SaturatingKind } from './backend.js';
import { ConfigError, ShapeError } from './errors.js';
import type { WasmExports } from './wasm-exports.js';
import type { WasmBuild } from './wasm-loader.js';
import type { WasmHeap } from './wasm-memory.js';

/** An activation kind's code on the ABI: its index in `ACTIVATIONS`. */
export function kindCode(kind: ActivationKind): number {
  const code = ACTIVATIONS.indexOf(kind);
  if (code < 0)
    throw new ConfigError(`unknown activation '${String(kind)}'; use one of ${ACTIVATIONS.join(', ')}`);
  return code;
}

/**
 * Memory and the general kernels of `WasmBackend` (elementwise, linear algebra, activations, losses,
 * clipping, reductions); the layer kernels (norms, dropout, recurrent cells, optimizers) are in
 * wasm-backend.ts. Translates handles to pointers and checks lengths against sizes; holds no math.
 */
export abstract class WasmBackendCore {
  readonly name = 'wasm' as const;
  readonly precision = 'f32' as const;

  /**
   * Use `WasmBackend.create`, which loads the module and sets up the heap.
   *
   * @internal
   */
  protected constructor(
    /**
     * The module's raw exports, taking pointers and sizes.
     *
     * @internal
     */
    protected readonly k: WasmExports,
    private readonly heap: WasmHeap,
    /** The binary that was loaded ('auto' resolved). */
    readonly build: Exclude<WasmBuild, 'auto'>,
    /** Whether gradient and state kernels flush subnormal results to zero (see `Backend`). */
    readonly flushSubnormals: boolean,
  ) {}

  /**
   * The pointer of a live buffer of this backend holding at least `need` floats. Kernels trust the
   * sizes they get, and in linear memory a short buffer would not fail: the kernel would read or
   * overwrite its neighbours (and the allocator's block headers). So every call checks, for the
   * price of a comparison, and names the kernel and argument that were too short.
   */
  protected p(buf: Buf, need: number, kernel: string, arg: string): number {
    const ptr = this.heap.ptr(buf);
    if (buf.length < need) {
      throw new ShapeError(
        `${kernel}: ${arg} has ${buf.length} floats but needs ${need}; check the shapes passed`,
      );
    }
    return ptr;
  }

  /**
   * Sizes must be whole numbers >= 0 before they are multiplied into lengths. Fixed arity and no array
   * on the way that passes: this runs on every kernel call, and a rest array and its iterator were
   * the largest share of a training step's garbage.
   */
  protected dims(kernel: string, a: number, b: number, c = 0): void {
    if (whole(a) && whole(b) && whole(c)) return;
    const bad = [a, b, c].find((s) => !whole(s));
    throw new ShapeError(`${kernel}: sizes must be whole numbers >= 0, got ${bad}`);
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
    this.k.fill(this.p(x, 0, 'fill', 'x'), x.length, value);
  }
  copy(src: Buf, dst: Buf): void {
    const n = dst.length;
    this.k.copy(this.p(src, n, 'copy', 'src'), this.p(dst, n, 'copy', 'dst'), n);
  }
  scale(x: Buf, s: number): void {
    this.k.scale(this.p(x, 0, 'scale', 'x'), x.length, s);
  }
  axpby(alpha: number, x: Buf, beta: number, y: Buf): void {
    const n = y.length;
    this.k.axpby(alpha, this.p(x, n, 'axpby', 'x'), beta, this.p(y, n, 'axpby', 'y'), n);
  }
  mul(a: Buf, b: Buf, out: Buf): void {
    const n = out.length;
    this.k.mul(this.p(a, n, 'mul', 'a'), this.p(b, n, 'mul', 'b'), this.p(out, n, 'mul', 'out'), n);
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
    this.dims('gemm', m, n, k);
    const pa = this.p(a, m * k, 'gemm', 'a');
    const pb = this.p(b, k * n, 'gemm', 'b');
    const pc = this.p(c, m * n, 'gemm', 'c');
    this.k.gemm(+tA, +tB, m, n, k, alpha, pa, pb, beta, pc);
  }
  biasAdd(y: Buf, bias: Buf, rows: number, cols: number): void {
    this.dims('biasAdd', rows, cols);
    this.k.biasAdd(this.p(y, rows * cols, 'biasAdd', 'y'), this.p(bias, cols, 'biasAdd', 'bias'), rows, cols);
  }
  biasGrad(dy: Buf, rows: number, cols: number, beta: number, dbias: Buf): void {
    this.dims('biasGrad', rows, cols);
    this.k.biasGrad(
      this.p(dy, rows * cols, 'biasGrad', 'dy'),
      rows,
      cols,
      beta,
      this.p(dbias, cols, 'biasGrad', 'dbias'),
    );
  }

  activation(kind: ActivationKind, x: Buf, y: Buf, alpha: number): void {
    const n = y.length;
    this.k.activation(
      kindCode(kind),
      this.p(x, n, 'activation', 'x'),
      this.p(y, n, 'activation', 'y'),
      n,
      alpha,
    );
  }
  activationGrad(kind: ActivationKind, x: Buf, y: Buf, dy: Buf, dx: Buf, alpha: number): void {
    const n = dx.length;
    this.k.activationGrad(
      kindCode(kind),
      this.p(x, n, 'activationGrad', 'x'),
      this.p(y, n, 'activationGrad', 'y'),
      this.p(dy, n, 'activationGrad', 'dy'),
      this.p(dx, n, 'activationGrad', 'dx'),
      n,
      alpha,
    );
  }
  softmax(x: Buf, rows: number, cols: number, y: Buf): void {
    this.dims('softmax', rows, cols);
    this.k.softmax(
      this.p(x, rows * cols, 'softmax', 'x'),
      rows,
      cols,
      this.p(y, rows * cols, 'softmax', 'y'),
    );
  }

  mseLoss(pred: Buf, target: Buf, grad: Buf): number {
    const n = pred.length;
    return this.k.mseLoss(
      this.p(pred, n, 'mseLoss', 'pred'),
      this.p(target, n, 'mseLoss', 'target'),
      this.p(grad, n, 'mseLoss', 'grad'),
      n,
    );
  }
  softmaxCrossEntropy(logits: Buf, target: Buf, rows: number, cols: number, grad: Buf): number {
    this.dims('softmaxCrossEntropy', rows, cols);
    return this.k.softmaxCrossEntropy(
      this.p(logits, rows * cols, 'softmaxCrossEntropy', 'logits'),
      this.p(target, rows * cols, 'softmaxCrossEntropy', 'target'),
      rows,
      cols,
      this.p(grad, rows * cols, 'softmaxCrossEntropy', 'grad'),
    );
  }
  bceWithLogits(logits: Buf, target: Buf, grad: Buf): number {
    const n = logits.length;
    return this.k.bceWithLogits(
      this.p(logits, n, 'bceWithLogits', 'logits'),
      this.p(target, n, 'bceWithLogits', 'target'),
      this.p(grad, n, 'bceWithLogits', 'grad'),
      n,
    );
  }

  clipByValue(x: Buf, limit: number): void {
    this.k.clipByValue(this.p(x, 0, 'clipByValue', 'x'), x.length, limit);
  }

  sum(x: Buf): number {
    return this.k.sum(this.p(x, 0, 'sum', 'x'), x.length);
  }
  sumSquares(x: Buf): number {
    return this.k.sumSquares(this.p(x, 0, 'sumSquares', 'x'), x.length);
  }
  maxAbs(x: Buf): number {
    return this.k.maxAbs(this.p(x, 0, 'maxAbs', 'x'), x.length);
  }
  countNonFinite(x: Buf): number {
    return this.k.countNonFinite(this.p(x, 0, 'countNonFinite', 'x'), x.length);
  }
  countNearZero(x: Buf, eps: number): number {
    return this.k.countNearZero(this.p(x, 0, 'countNearZero', 'x'), x.length, eps);
  }
  countSaturated(kind: SaturatingKind, y: Buf): number {
    if (kind !== 'sigmoid' && kind !== 'tanh') {
      throw new ConfigError(`countSaturated measures 'sigmoid' or 'tanh', not '${String(kind)}'`);
    }
    return this.k.countSaturated(kindCode(kind), this.p(y, 0, 'countSaturated', 'y'), y.length);
  }
  countDeadUnits(y: Buf, rows: number, cols: number): number {
    this.dims('countDeadUnits', rows, cols);
    return this.k.countDeadUnits(this.p(y, rows * cols, 'countDeadUnits', 'y'), rows, cols);
  }
  paramStats(w: Buf, g: Buf, prev: Buf | null, eps: number, out: Float64Array): void {
    const n = w.length;
    if (out.length < 4) throw new ShapeError(`paramStats: out has ${out.length} numbers but needs 4`);
    const pw = this.p(w, 0, 'paramStats', 'w');
    const pg = this.p(g, n, 'paramStats', 'g');
    // 0 is never a buffer's address (static data sits there): it stands for "no prev".
    const pp = prev === null ? 0 : this.p(prev, n, 'paramStats', 'prev');
    this.heap.readF64(this.k.paramStats(pw, pg, pp, n, eps), out, 4);
  }
  moments(x: Buf, shift: number, saturating: SaturatingKind | null, out: Float64Array): void {
    if (out.length < 3) throw new ShapeError(`moments: out has ${out.length} numbers but needs 3`);
    if (saturating !== null && saturating !== 'sigmoid' && saturating !== 'tanh') {
      throw new ConfigError(`moments counts saturation of 'sigmoid' or 'tanh', not '${String(saturating)}'`);
    }
    const kind = saturating === null ? 0 : kindCode(saturating);
    this.heap.readF64(this.k.moments(this.p(x, 0, 'moments', 'x'), x.length, shift, kind), out, 3);
  }
  logHistogram(x: Buf, minExp: number, maxExp: number, bins: Buf): void {
    if (bins.length < 1) throw new ShapeError('logHistogram: bins needs at least 1 float');
    this.k.logHistogram(
      this.p(x, 0, 'logHistogram', 'x'),
      x.length,
      minExp,
      maxExp,
      this.p(bins, 1, 'logHistogram', 'bins'),
      bins.length,
    );
  }
}

function whole(s: number): boolean {
  return Number.isInteger(s) && s >= 0;
}
