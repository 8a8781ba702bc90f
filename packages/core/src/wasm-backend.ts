import type { Backend, Buf } from './backend.js';
import { WasmBackendCore } from './wasm-backend-core.js';
import { loadWasm, WASM_PAGE_BYTES, WASM32_MAX_PAGES, type WasmBuild } from './wasm-loader.js';
import { WasmHeap } from './wasm-memory.js';

export type { WasmBuild } from './wasm-loader.js';
export { WasmBuf } from './wasm-memory.js';

/** Options of {@link WasmBackend.create}. */
export interface WasmBackendOptions {
  /** Which binary to load (default 'auto': relaxed SIMD when the engine validates it, else plain SIMD). */
  build?: WasmBuild;
  /** Upper bound on linear memory, a multiple of 64 KiB (default and maximum 4 GiB, all of wasm32). */
  maxMemoryBytes?: number;
  /** Flush subnormal results of the gradient and state kernels to zero (default true; see `Backend`). */
  flushSubnormals?: boolean;
}

/**
 * The fast backend: every kernel runs in the AssemblyScript module (SIMD where it pays). Memory and
 * the general kernels live in `WasmBackendCore`; here are loading and the layer kernels (norms,
 * dropout, recurrent cells, optimizers), fused so that one call does a layer's pointwise work.
 */
export class WasmBackend extends WasmBackendCore implements Backend {
  /**
   * Loads and instantiates the WebAssembly module (read from `@vgp/core`'s `build/` folder in Node,
   * fetched in the browser; compiled once per process) and returns a backend on it. Throws
   * `ConfigError` for an unknown build, a build the engine rejects, or a `maxMemoryBytes` that is not
   * a multiple of 64 KiB between 1 MiB and 4 GiB; `VgpError` if the binary cannot be read.
   */
  static async create(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    const maxBytes = options.maxMemoryBytes ?? WASM32_MAX_PAGES * WASM_PAGE_BYTES;
    const loaded = await loadWasm(options.build ?? 'auto', maxBytes / WASM_PAGE_BYTES);
    const heap = new WasmHeap(loaded.exports, loaded.memory, maxBytes / WASM_PAGE_BYTES);
    const flush = options.flushSubnormals ?? true;
    // A module-wide flag, set once: each backend instantiates its own module, so backends do not share it.
    loaded.exports.setFlushSubnormals(flush ? 1 : 0);
    return new WasmBackend(loaded.exports, heap, loaded.build, flush);
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
    this.dims('batchNormForward', rows, cols);
    const m = (b: Buf, what: string) => this.p(b, rows * cols, 'batchNormForward', what);
    const v = (b: Buf, what: string) => this.p(b, cols, 'batchNormForward', what);
    this.k.batchNormForward(
      m(x, 'x'),
      rows,
      cols,
      v(gamma, 'gamma'),
      v(beta, 'beta'),
      eps,
      momentum,
      v(runningMean, 'runningMean'),
      v(runningVar, 'runningVar'),
      m(y, 'y'),
      v(mean, 'mean'),
      v(invStd, 'invStd'),
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
    this.dims('batchNormInference', rows, cols);
    const m = (b: Buf, what: string) => this.p(b, rows * cols, 'batchNormInference', what);
    const v = (b: Buf, what: string) => this.p(b, cols, 'batchNormInference', what);
    this.k.batchNormInference(
      m(x, 'x'),
      rows,
      cols,
      v(gamma, 'gamma'),
      v(beta, 'beta'),
      v(runningMean, 'runningMean'),
      v(runningVar, 'runningVar'),
      eps,
      m(y, 'y'),
    );
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
    this.dims('batchNormBackward', rows, cols);
    const m = (b: Buf, what: string) => this.p(b, rows * cols, 'batchNormBackward', what);
    const v = (b: Buf, what: string) => this.p(b, cols, 'batchNormBackward', what);
    this.k.batchNormBackward(
      m(dy, 'dy'),
      m(x, 'x'),
      rows,
      cols,
      v(gamma, 'gamma'),
      v(mean, 'mean'),
      v(invStd, 'invStd'),
      m(dx, 'dx'),
      v(dgamma, 'dgamma'),
      v(dbeta, 'dbeta'),
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
    this.dims('layerNormForward', rows, cols);
    const m = (b: Buf, what: string) => this.p(b, rows * cols, 'layerNormForward', what);
    const c = (b: Buf, what: string) => this.p(b, cols, 'layerNormForward', what);
    const r = (b: Buf, what: string) => this.p(b, rows, 'layerNormForward', what);
    this.k.layerNormForward(
      m(x, 'x'),
      rows,
      cols,
      c(gamma, 'gamma'),
      c(beta, 'beta'),
      eps,
      m(y, 'y'),
      r(mean, 'mean'),
      r(invStd, 'invStd'),
    );
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
    this.dims('layerNormBackward', rows, cols);
    const m = (b: Buf, what: string) => this.p(b, rows * cols, 'layerNormBackward', what);
    const c = (b: Buf, what: string) => this.p(b, cols, 'layerNormBackward', what);
    const r = (b: Buf, what: string) => this.p(b, rows, 'layerNormBackward', what);
    this.k.layerNormBackward(
      m(dy, 'dy'),
      m(x, 'x'),
      rows,
      cols,
      c(gamma, 'gamma'),
      r(mean, 'mean'),
      r(invStd, 'invStd'),
      m(dx, 'dx'),
      c(dgamma, 'dgamma'),
      c(dbeta, 'dbeta'),
    );
  }

  dropoutForward(x: Buf, p: number, seed: number, y: Buf, mask: Buf): void {
    const n = x.length;
    this.k.dropoutForward(
      this.p(x, n, 'dropoutForward', 'x'),
      n,
      p,
      seed,
      this.p(y, n, 'dropoutForward', 'y'),
      this.p(mask, n, 'dropoutForward', 'mask'),
    );
  }

  lstmCellForward(gates: Buf, cPrev: Buf, batch: number, hidden: number, c: Buf, h: Buf): void {
    this.dims('lstmCellForward', batch, hidden);
    const s = (b: Buf, what: string) => this.p(b, batch * hidden, 'lstmCellForward', what);
    this.k.lstmCellForward(
      this.p(gates, 4 * batch * hidden, 'lstmCellForward', 'gates'),
      s(cPrev, 'cPrev'),
      batch,
      hidden,
      s(c, 'c'),
      s(h, 'h'),
    );
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
    this.dims('lstmCellBackward', batch, hidden);
    const s = (b: Buf, what: string) => this.p(b, batch * hidden, 'lstmCellBackward', what);
    const g = (b: Buf, what: string) => this.p(b, 4 * batch * hidden, 'lstmCellBackward', what);
    this.k.lstmCellBackward(
      g(gates, 'gates'),
      s(cPrev, 'cPrev'),
      s(c, 'c'),
      s(dh, 'dh'),
      s(dc, 'dc'),
      batch,
      hidden,
      g(dgates, 'dgates'),
      s(dcPrev, 'dcPrev'),
    );
  }
  gruCellForward(gx: Buf, gh: Buf, hPrev: Buf, batch: number, hidden: number, h: Buf): void {
    this.dims('gruCellForward', batch, hidden);
    const s = (b: Buf, what: string) => this.p(b, batch * hidden, 'gruCellForward', what);
    const g = (b: Buf, what: string) => this.p(b, 3 * batch * hidden, 'gruCellForward', what);
    this.k.gruCellForward(g(gx, 'gx'), g(gh, 'gh'), s(hPrev, 'hPrev'), batch, hidden, s(h, 'h'));
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
    this.dims('gruCellBackward', batch, hidden);
    const s = (b: Buf, what: string) => this.p(b, batch * hidden, 'gruCellBackward', what);
    const g = (b: Buf, what: string) => this.p(b, 3 * batch * hidden, 'gruCellBackward', what);
    this.k.gruCellBackward(
      g(gx, 'gx'),
      g(gh, 'gh'),
      s(hPrev, 'hPrev'),
      s(dh, 'dh'),
      batch,
      hidden,
      g(dgx, 'dgx'),
      g(dgh, 'dgh'),
      s(dhPrev, 'dhPrev'),
    );
  }

  sgdStep(w: Buf, g: Buf, lr: number, weightDecay: number): void {
    const n = w.length;
    this.k.sgdStep(this.p(w, n, 'sgdStep', 'w'), this.p(g, n, 'sgdStep', 'g'), n, lr, weightDecay);
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
    const n = w.length;
    const p = (b: Buf, what: string) => this.p(b, n, 'momentumStep', what);
    this.k.momentumStep(p(w, 'w'), p(g, 'g'), p(v, 'v'), n, lr, momentum, weightDecay, +nesterov);
  }
  rmspropStep(w: Buf, g: Buf, sq: Buf, lr: number, alpha: number, eps: number, weightDecay: number): void {
    const n = w.length;
    const p = (b: Buf, what: string) => this.p(b, n, 'rmspropStep', what);
    this.k.rmspropStep(p(w, 'w'), p(g, 'g'), p(sq, 'sq'), n, lr, alpha, eps, weightDecay);
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
    const n = w.length;
    const p = (b: Buf, what: string) => this.p(b, n, 'adamStep', what);
    this.k.adamStep(
      p(w, 'w'),
      p(g, 'g'),
      p(m, 'm'),
      p(v, 'v'),
      n,
      lr,
      beta1,
      beta2,
      eps,
      weightDecay,
      step,
      +decoupled,
    );
  }
}
