import type { Buf, Floats, Precision } from '../backend.js';
import { settleBufferShape } from '../buffer-shape.js';
import { ConfigError, OutOfMemoryError, ShapeError, VgpError } from '../errors.js';

/**
 * A TsBackend buffer: a typed array plus who owns it. Views share their root's memory through
 * `subarray`, so writing a view writes the parent, exactly as on the WASM heap.
 */
export class TsBuf implements Buf {
  freed = false;

  constructor(
    readonly owner: object,
    readonly data: Floats,
    /** The buffer this is a view of (always a non-view), or null for an allocated buffer. */
    readonly root: TsBuf | null,
  ) {}

  get length(): number {
    return this.data.length;
  }

  get isView(): boolean {
    return this.root !== null;
  }
}

/** Allocates, frees and checks TsBufs for one backend, counting the bytes of live (non-view) buffers. */
export class TsMemory {
  private liveBytes = 0;
  private disposed = false;

  constructor(
    private readonly owner: object,
    readonly precision: Precision,
  ) {
    settleBufferShape(this);
  }

  alloc(n: number): TsBuf {
    this.checkAlive();
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new ConfigError(`alloc needs a whole number of floats >= 0, got ${n}`);
    }
    let data: Floats;
    try {
      // Typed-array constructors zero-fill, which is what alloc promises.
      data = this.precision === 'f64' ? new Float64Array(n) : new Float32Array(n);
    } catch (e) {
      throw new OutOfMemoryError(
        `alloc(${n}): could not reserve ${n} floats (${String(e)}); free unused buffers or use smaller shapes`,
      );
    }
    this.liveBytes += data.byteLength;
    return new TsBuf(this.owner, data, null);
  }

  free(buf: Buf): void {
    const b = this.check(buf, 'free');
    if (b.isView) {
      throw new VgpError('free: this buffer is a view; free the buffer it was made from instead');
    }
    b.freed = true;
    this.liveBytes -= b.data.byteLength;
  }

  view(buf: Buf, offset: number, length: number): TsBuf {
    const b = this.check(buf, 'view');
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0) {
      throw new ShapeError(`view(offset ${offset}, length ${length}): both must be non-negative integers`);
    }
    if (offset + length > b.length) {
      throw new ShapeError(
        `view(offset ${offset}, length ${length}) runs past the end of a buffer of ${b.length}; ` +
          `keep offset + length <= ${b.length}`,
      );
    }
    return new TsBuf(this.owner, b.data.subarray(offset, offset + length), b.root ?? b);
  }

  read(buf: Buf): Floats {
    return this.check(buf, 'read').data.slice();
  }

  write(buf: Buf, src: ArrayLike<number>): void {
    const b = this.check(buf, 'write');
    if (src.length !== b.length) {
      throw new ShapeError(
        `write: got ${src.length} numbers for a buffer of ${b.length}; pass exactly ${b.length}`,
      );
    }
    b.data.set(src);
  }

  bytes(): number {
    return this.liveBytes;
  }

  dispose(): void {
    this.disposed = true;
    this.liveBytes = 0;
  }

  /** The typed array behind `buf`, after checking it is a live buffer of this backend. */
  data(buf: Buf, what: string): Floats {
    return this.check(buf, what).data;
  }

  private check(buf: Buf, what: string): TsBuf {
    this.checkAlive();
    if (!(buf instanceof TsBuf) || buf.owner !== this.owner) {
      throw new VgpError(`${what}: this buffer belongs to another backend; allocate it on this one`);
    }
    if (buf.freed || buf.root?.freed) {
      throw new VgpError(`${what}: this buffer was already freed; allocate a new one`);
    }
    return buf;
  }

  private checkAlive(): void {
    if (this.disposed) throw new VgpError('this backend was disposed; create a new one');
  }
}
