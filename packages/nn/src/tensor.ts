import { type Backend, type Buf, type Floats, ShapeError } from '@vgp/core';

/** Shape of a tensor: row-major, contiguous. `[batch, features]` for dense data, `[time, batch, features]` for sequences. */
export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeString(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/**
 * A shape plus a buffer on a backend. Tensors returned by `Layer.forward`/`backward` are owned by the
 * layer that made them and stay valid until that layer's next call; copy them (`read`) to keep them.
 */
export class Tensor {
  constructor(
    readonly backend: Backend,
    readonly shape: Shape,
    readonly buf: Buf,
  ) {
    if (buf.length !== shapeSize(shape)) {
      throw new ShapeError(`tensor of shape ${shapeString(shape)} needs ${shapeSize(shape)} values, got a buffer of ${buf.length}`);
    }
  }

  /** A new zero-filled tensor on `backend`. */
  static zeros(backend: Backend, shape: Shape): Tensor {
    return new Tensor(backend, shape, backend.alloc(shapeSize(shape)));
  }

  /** A new tensor holding a copy of `data`. */
  static from(backend: Backend, shape: Shape, data: ArrayLike<number>): Tensor {
    if (data.length !== shapeSize(shape)) {
      throw new ShapeError(`${data.length} values cannot fill shape ${shapeString(shape)} (needs ${shapeSize(shape)})`);
    }
    const t = Tensor.zeros(backend, shape);
    backend.write(t.buf, data);
    return t;
  }

  get size(): number {
    return this.buf.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  read(): Floats {
    return this.backend.read(this.buf);
  }

  /** Frees the buffer; do not use the tensor afterwards. */
  dispose(): void {
    this.backend.free(this.buf);
  }
}

/** A trainable parameter: its value, the gradient the last backward pass wrote, and a stable name. */
export class Param {
  readonly grad: Tensor;

  constructor(
    readonly name: string,
    readonly value: Tensor,
  ) {
    this.grad = Tensor.zeros(value.backend, value.shape);
  }

  dispose(): void {
    this.value.dispose();
    this.grad.dispose();
  }
}
