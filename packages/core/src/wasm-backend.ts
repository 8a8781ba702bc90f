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
    this.k.batchNormForward(
      this.p(x, rows * cols, 'batchNormForward', 'x'),
      rows,
      cols,
      this.p(gamma, cols, 'batchNormForward', 'gamma'),
      this.p(beta, cols, 'batchNormForward', 'beta'),
      eps,
      momentum,
      this.p(runningMean, cols, 'batchNormForward', 'runningMean'),
      this.p(runningVar, cols, 'batchNormForward', 'runningVar'),
      this.p(y, rows * cols, 'batchNormForward', 'y'),
      this.p(mean, cols, 'batchNormForward', 'mean'),
      this.p(invStd, cols, 'batchNormForward', 'invStd'),
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
    this.k.batchNormInference(
      this.p(x, rows * cols, 'batchNormInference', 'x'),
      rows,
      cols,
      this.p(gamma, cols, 'batchNormInference', 'gamma'),
      this.p(beta, cols, 'batchNormInference', 'beta'),
      this.p(runningMean, cols, 'batchNormInference', 'runningMean'),
      this.p(runningVar, cols, 'batchNormInference', 'runningVar'),
      eps,
      this.p(y, rows * cols, 'batchNormInference', 'y'),
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
    this.k.batchNormBackward(
      this.p(dy, rows * cols, 'batchNormBackward', 'dy'),
      this.p(x, rows * cols, 'batchNormBackward', 'x'),
      rows,
      cols,
      this.p(gamma, cols, 'batchNormBackward', 'gamma'),
      this.p(mean, cols, 'batchNormBackward', 'mean'),
      this.p(invStd, cols, 'batchNormBackward', 'invStd'),
      this.p(dx, rows * cols, 'batchNormBackward', 'dx'),
      this.p(dgamma, cols, 'batchNormBackward', 'dgamma'),
      this.p(dbeta, cols, 'batchNormBackward', 'dbeta'),
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
    this.k.layerNormForward(
      this.p(x, rows * cols, 'layerNormForward', 'x'),
      rows,
      cols,
      this.p(gamma, cols, 'layerNormForward', 'gamma'),
      this.p(beta, cols, 'layerNormForward', 'beta'),
      eps,
      this.p(y, rows * cols, 'layerNormForward', 'y'),
      this.p(mean, rows, 'layerNormForward', 'mean'),
      this.p(invStd, rows, 'layerNormForward', 'invStd'),
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
    this.k.layerNormBackward(
      this.p(dy, rows * cols, 'layerNormBackward', 'dy'),
      this.p(x, rows * cols, 'layerNormBackward', 'x'),
      rows,
      cols,
      this.p(gamma, cols, 'layerNormBackward', 'gamma'),
      this.p(mean, rows, 'layerNormBackward', 'mean'),
      this.p(invStd, rows, 'layerNormBackward', 'invStd'),
      this.p(dx, rows * cols, 'layerNormBackward', 'dx'),
      this.p(dgamma, cols, 'layerNormBackward', 'dgamma'),
      this.p(dbeta, cols, 'layerNormBackward', 'dbeta'),
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
    this.k.lstmCellForward(
      this.p(gates, 4 * batch * hidden, 'lstmCellForward', 'gates'),
      this.p(cPrev, batch * hidden, 'lstmCellForward', 'cPrev'),
      batch,
      hidden,
      this.p(c, batch * hidden, 'lstmCellForward', 'c'),
      this.p(h, batch * hidden, 'lstmCellForward', 'h'),
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
    this.k.lstmCellBackward(
      this.p(gates, 4 * batch * hidden, 'lstmCellBackward', 'gates'),
      this.p(cPrev, batch * hidden, 'lstmCellBackward', 'cPrev'),
      this.p(c, batch * hidden, 'lstmCellBackward', 'c'),
      this.p(dh, batch * hidden, 'lstmCellBackward', 'dh'),
      this.p(dc, batch * hidden, 'lstmCellBackward', 'dc'),
      batch,
      hidden,
      this.p(dgates, 4 * batch * hidden, 'lstmCellBackward', 'dgates'),
      this.p(dcPrev, batch * hidden, 'lstmCellBackward', 'dcPrev'),
    );
  }
  gruCellForward(gx: Buf, gh: Buf, hPrev: Buf, batch: number, hidden: number, h: Buf): void {
    this.dims('gruCellForward', batch, hidden);
    this.k.gruCellForward(
      this.p(gx, 3 * batch * hidden, 'gruCellForward', 'gx'),
      this.p(gh, 3 * batch * hidden, 'gruCellForward', 'gh'),
      this.p(hPrev, batch * hidden, 'gruCellForward', 'hPrev'),
      batch,
      hidden,
      this.p(h, batch * hidden, 'gruCellForward', 'h'),
    );
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
    this.k.gruCellBackward(
      this.p(gx, 3 * batch * hidden, 'gruCellBackward', 'gx'),
      this.p(gh, 3 * batch * hidden, 'gruCellBackward', 'gh'),
      this.p(hPrev, batch * hidden, 'gruCellBackward', 'hPrev'),
      this.p(dh, batch * hidden, 'gruCellBackward', 'dh'),
      batch,
      hidden,
      this.p(dgx, 3 * batch * hidden, 'gruCellBackward', 'dgx'),
      this.p(dgh, 3 * batch * hidden, 'gruCellBackward', 'dgh'),
      this.p(dhPrev, batch * hidden, 'gruCellBackward', 'dhPrev'),
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
    this.k.momentumStep(
      this.p(w, n, 'momentumStep', 'w'),
      this.p(g, n, 'momentumStep', 'g'),
      this.p(v, n, 'momentumStep', 'v'),
      n,
      lr,
      momentum,
      weightDecay,
      +nesterov,
    );
  }
  rmspropStep(w: Buf, g: Buf, sq: Buf, lr: number, alpha: number, eps: number, weightDecay: number): void {
    const n = w.length;
    this.k.rmspropStep(
      this.p(w, n, 'rmspropStep', 'w'),
      this.p(g, n, 'rmspropStep', 'g'),
      this.p(sq, n, 'rmspropStep', 'sq'),
      n,
      lr,
      alpha,
      eps,
      weightDecay,
    );
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
    this.k.adamStep(
      this.p(w, n, 'adamStep', 'w'),
      this.p(g, n, 'adamStep', 'g'),
      this.p(m, n, 'adamStep', 'm'),
      this.p(v, n, 'adamStep', 'v'),
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
