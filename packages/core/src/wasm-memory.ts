import type { Buf } from './backend.js';
import { settleBufferShape } from './buffer-shape.js';
import { ConfigError, OutOfMemoryError, ShapeError, VgpError } from './errors.js';
import type { WasmExports } from './wasm-exports.js';
import { WASM_PAGE_BYTES, WasmAbort } from './wasm-loader.js';

/** A buffer in WASM linear memory: `length` floats at byte offset `ptr`. */
export class WasmBuf implements Buf {
  /** Set by `free`; a freed handle must never be used again, even if its block is reused. */
  freed = false;
  constructor(
    readonly heap: WasmHeap,
    readonly ptr: number,
    readonly length: number,
    /** The buffer this is a window of, or null for an allocation of its own. */
    readonly parent: WasmBuf | null,
  ) {}
}

/**
 * Owns the module's linear memory from the JS side: allocation, typed errors, and the single
 * Float32Array over memory that every read and write goes through.
 */
export class WasmHeap {
  private f32View: Float32Array;
  private f64View: Float64Array;
  private disposed = false;

  constructor(
    private readonly exports: WasmExports,
    private readonly memory: WebAssembly.Memory,
    private readonly maxPages: number,
  ) {
    this.f32View = new Float32Array(memory.buffer);
    this.f64View = new Float64Array(memory.buffer);
    settleBufferShape(this);
  }

  /**
   * The one way to look at memory. `memory.grow` (inside any allocation) detaches the old buffer,
   * so the view is re-derived whenever `memory.buffer` is no longer the one it was made on.
   */
  private f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer) this.f32View = new Float32Array(this.memory.buffer);
    return this.f32View;
  }

  /**
   * Copies `n` float64 values at byte offset `ptr` (8-aligned) into `out`. Made for the few results of
   * a reduction on every monitored step, so it tests the view for detachment (a detached view has
   * length 0) rather than reading `memory.buffer`, an accessor that costs more than a small kernel.
   */
  readF64(ptr: number, out: Float64Array, n: number): void {
    if (this.f64View.length === 0) this.f64View = new Float64Array(this.memory.buffer);
    const start = ptr >>> 3;
    for (let i = 0; i < n; i++) out[i] = this.f64View[start + i];
  }

  alloc(n: number): WasmBuf {
    this.checkLive();
    if (!Number.isSafeInteger(n) || n < 0)
      throw new ConfigError(`alloc needs a whole number of floats >= 0, got ${n}`);
    const bytes = n * 4;
    const limit = this.maxPages * WASM_PAGE_BYTES;
    if (bytes >= limit) {
      throw new OutOfMemoryError(
        `cannot allocate ${n} floats (${fmtBytes(bytes)}): the wasm heap is limited to ${fmtBytes(limit)}; use smaller batches or layers`,
      );
    }
    let ptr: number;
    try {
      ptr = this.exports.alloc(bytes) >>> 0;
    } catch (e) {
      // The allocator aborts on a block too large for it, and traps (unreachable) when
      // memory.grow fails; both happen before it changes any state, so the heap stays usable.
      // Any other allocator abort (a debug-build assertion) means a corrupted heap, not OOM.
      if (
        (e instanceof WasmAbort && e.message.startsWith('Allocation too large')) ||
        e instanceof WebAssembly.RuntimeError
      ) {
        throw new OutOfMemoryError(
          `out of wasm memory allocating ${n} floats (${fmtBytes(bytes)}) with ${fmtBytes(this.memoryBytes())} reserved of at most ${fmtBytes(limit)}; free unused buffers or use smaller batches or layers`,
        );
      }
      throw e;
    }
    return new WasmBuf(this, ptr, n, null);
  }

  free(buf: Buf): void {
    const b = this.own(buf);
    if (b.parent !== null) throw new VgpError('cannot free a view; free the buffer it was made from');
    if (b.freed) throw new VgpError('buffer freed twice; drop the handle after the first free');
    b.freed = true;
    this.exports.free(b.ptr);
  }

  view(buf: Buf, offset: number, length: number): WasmBuf {
    const b = this.own(buf);
    this.ptr(b);
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > b.length
    ) {
      throw new ShapeError(
        `view [${offset}, ${offset + length}) does not fit in a buffer of ${b.length}; pick offset + length <= ${b.length}`,
      );
    }
    return new WasmBuf(this, b.ptr + offset * 4, length, b.parent ?? b);
  }

  read(buf: Buf): Float32Array {
    const start = this.ptr(buf) >>> 2;
    return this.f32().slice(start, start + buf.length);
  }

  write(buf: Buf, src: ArrayLike<number>): void {
    const p = this.ptr(buf);
    if (src.length !== buf.length) {
      throw new ShapeError(
        `write of ${src.length} numbers into a buffer of ${buf.length}; pass exactly ${buf.length}`,
      );
    }
    this.f32().set(src, p >>> 2);
  }

  memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** The byte offset of a live buffer of this heap; throws on foreign, freed or disposed buffers. */
  ptr(buf: Buf): number {
    const b = this.own(buf);
    if (b.freed || b.parent?.freed) throw new VgpError('buffer used after free; allocate a new one');
    return b.ptr;
  }

  dispose(): void {
    this.disposed = true;
  }

  private own(buf: Buf): WasmBuf {
    this.checkLive();
    if (!(buf instanceof WasmBuf) || buf.heap !== this) {
      throw new VgpError('buffer belongs to another backend; allocate it with this one');
    }
    return buf;
  }

  private checkLive(): void {
    if (this.disposed) throw new VgpError('backend used after dispose(); create a new one');
  }
}

function fmtBytes(b: number): string {
  return b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`;
}
