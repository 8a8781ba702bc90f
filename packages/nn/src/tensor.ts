import { type Backend, type Buf, type Floats, ShapeError } from '@vgp/core';

/** Shape of a tensor: row-major, contiguous. `[batch, features]` for dense data, `[time, batch, features]` for sequences. */
export type Shape = readonly number[];

/** Number of elements of a tensor of this shape: the product of its dimensions (1 for `[]`). */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A shape as it appears in error messages, e.g. `[32, 784]`. */
export function shapeString(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/**
 * A shape plus a buffer on a backend. Tensors returned by `Layer.forward`/`backward` are owned by the
 * layer that made them and stay valid until that layer's next call; copy them (`read`) to keep them.
 */
export class Tensor {
  /**
   * Wraps an existing buffer (not copied); throws `ShapeError` unless it holds exactly `shapeSize(shape)`
   * floats.
   */
  constructor(
    /** The backend that owns `buf`. */
    readonly backend: Backend,
    /** Dimensions, row-major. */
    readonly shape: Shape,
    /** The values, on `backend`. */
    readonly buf: Buf,
  ) {
    if (buf.length !== shapeSize(shape)) {
      throw new ShapeError(
        `tensor of shape ${shapeString(shape)} needs ${shapeSize(shape)} values, got a buffer of ${buf.length}`,
      );
    }
  }

  /** A new zero-filled tensor on `backend`. */
  static zeros(backend: Backend, shape: Shape): Tensor {
    return new Tensor(backend, shape, backend.alloc(shapeSize(shape)));
  }

  /** A new tensor holding a copy of `data`. */
  static from(backend: Backend, shape: Shape, data: ArrayLike<number>): Tensor {
    if (data.length !== shapeSize(shape)) {
      throw new ShapeError(
        `${data.length} values cannot fill shape ${shapeString(shape)} (needs ${shapeSize(shape)})`,
      );
    }
    const t = Tensor.zeros(backend, shape);
    backend.write(t.buf, data);
    return t;
  }

  /** Number of elements (`shapeSize(shape)`). */
  get size(): number {
    return this.buf.length;
  }

  /** Number of dimensions: 2 for `[batch, features]`, 3 for `[time, batch, features]`. */
  get rank(): number {
    return this.shape.length;
  }

  /** A copy of the values (row-major), typed by the backend's precision; safe to keep. */
  read(): Floats {
    return this.backend.read(this.buf);
  }

  /** Frees the buffer; do not use the tensor afterwards. */
  dispose(): void {
    this.backend.free(this.buf);
  }
}

/**
 * What a parameter is for. The diagnostics group by it and initializers pick by it:
 * `weight` (input-to-output matrix), `recurrent` (hidden-to-hidden matrix), `bias`, and the
 * normalization `gain` (gamma, starts at one) and `shift` (beta, starts at zero).
 */
export type ParamRole = 'weight' | 'recurrent' | 'bias' | 'gain' | 'shift';

/**
 * How a {@link Param} is described when created. Fans default to the first and last dimensions of
 * the value (a matrix is stored `[in, out]`), which the initializers use to scale their draws.
 */
export interface ParamInfo {
  /** What the parameter is for (default `'bias'` for vectors, `'weight'` otherwise). */
  role: ParamRole;
  /** Inputs feeding each output unit (rows of a `[in, out]` matrix); for vectors, their length. */
  fanIn?: number;
  /** Output units (columns of a `[in, out]` matrix); for vectors, their length. */
  fanOut?: number;
}

/** A trainable parameter: its value, the gradient the last backward pass wrote, and a stable name. */
export class Param {
  /** dL/dvalue from the last backward pass (same shape as `value`; overwritten, not accumulated). */
  readonly grad: Tensor;
  /** What the parameter is for. */
  readonly role: ParamRole;
  /** Inputs per output unit (rows of a `[in, out]` matrix; the length of a vector). */
  readonly fanIn: number;
  /** Output units (columns of a `[in, out]` matrix; the length of a vector). */
  readonly fanOut: number;

  constructor(
    /** `<layer>.<parameter>`, e.g. `dense1.weight`: stable, so saved weights find their parameter. */
    readonly name: string,
    /** The trained values. */
    readonly value: Tensor,
    info: ParamInfo = { role: value.rank === 1 ? 'bias' : 'weight' },
  ) {
    this.grad = Tensor.zeros(value.backend, value.shape);
    this.role = info.role;
    // A matrix is stored [in, out]; a vector counts as both.
    this.fanIn = info.fanIn ?? value.shape[0] ?? 1;
    this.fanOut = info.fanOut ?? value.shape[value.rank - 1] ?? 1;
  }

  /** Frees the value and the gradient buffers; do not use the parameter afterwards. */
  dispose(): void {
    this.value.dispose();
    this.grad.dispose();
  }
}
