import { type Backend, ShapeError, VgpError } from '@vgp/core';
import { type Shape, shapeString, Tensor } from '../../tensor.js';

/** Names of the losses, as accepted by {@link lossByName} and model specs. */
export const LOSSES = ['mse', 'softmaxCrossEntropy', 'bceWithLogits'] as const;
/** The name of a loss: `'mse'`, `'softmaxCrossEntropy'` or `'bceWithLogits'`. */
export type LossName = (typeof LOSSES)[number];

/** Targets: a tensor on the loss's backend, or plain numbers (copied into a buffer the loss owns). */
export type Target = Tensor | ArrayLike<number>;

/**
 * A loss fused with its gradient: `forward(pred, target)` returns the scalar loss and computes dL/dpred in
 * the same kernel call; `backward()` returns that gradient (owned by the loss, reused across calls).
 */
export abstract class Loss {
  /** Which loss this is. */
  abstract readonly name: LossName;
  private gradT: Tensor | null = null;
  private targetT: Tensor | null = null;
  private computed = false;

  constructor(
    /** The backend predictions and targets must live on; it holds the gradient. */
    readonly backend: Backend,
  ) {}

  /**
   * Returns the scalar loss (a mean, so it does not grow with the batch) of predictions `pred` against
   * `target`, and computes dL/dpred for `backward`. Throws `ShapeError` when the target does not fit `pred`.
   */
  abstract forward(pred: Tensor, target: Target): number;

  /** dL/dpred of the last `forward`. */
  backward(): Tensor {
    if (!this.computed || this.gradT === null) {
      throw new VgpError(`${this.name} loss: backward called before forward; run forward first`);
    }
    return this.gradT;
  }

  /** Frees the gradient and target buffers the loss owns; it can be used again afterwards. */
  dispose(): void {
    this.gradT?.dispose();
    this.targetT?.dispose();
    this.gradT = null;
    this.targetT = null;
    this.computed = false;
  }

  /** The gradient buffer for predictions of this shape (reused while the size stays the same). */
  protected grad(pred: Tensor): Tensor {
    if (pred.backend !== this.backend) {
      throw new VgpError(
        `${this.name} loss: predictions live on another backend; create them on the loss's backend`,
      );
    }
    if (pred.size === 0) {
      throw new ShapeError(
        `${this.name} loss: predictions ${shapeString(pred.shape)} are empty; give at least one row`,
      );
    }
    this.gradT = this.reuse(this.gradT, pred.shape);
    this.computed = true;
    return this.gradT;
  }

  /** A target buffer the loss owns, holding `values` (reused while the size stays the same). */
  protected ownTarget(shape: Shape, values: ArrayLike<number>): Tensor {
    this.targetT = this.reuse(this.targetT, shape);
    this.backend.write(this.targetT.buf, values);
    return this.targetT;
  }

  /** A target with exactly the predictions' shape: the given tensor, or the numbers copied into our buffer. */
  protected sameShapeTarget(pred: Tensor, target: Target): Tensor {
    if (target instanceof Tensor) {
      if (target.backend !== this.backend) {
        throw new VgpError(
          `${this.name} loss: targets live on another backend; create them on the loss's backend`,
        );
      }
      if (!sameShape(target.shape, pred.shape)) {
        throw new ShapeError(
          `${this.name} loss: targets have shape ${shapeString(target.shape)}, predictions ${shapeString(pred.shape)}; give one target per prediction`,
        );
      }
      return target;
    }
    if (target.length !== pred.size) {
      throw new ShapeError(
        `${this.name} loss: ${target.length} targets for predictions of shape ${shapeString(pred.shape)} (${pred.size} values); give one target per prediction`,
      );
    }
    return this.ownTarget(pred.shape, target);
  }

  private reuse(old: Tensor | null, shape: Shape): Tensor {
    if (old !== null && sameShape(old.shape, shape)) return old;
    if (old !== null && old.size === sizeOf(shape)) return new Tensor(this.backend, [...shape], old.buf);
    old?.dispose();
    return Tensor.zeros(this.backend, [...shape]);
  }
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function sizeOf(shape: Shape): number {
  return shape.reduce((n, d) => n * d, 1);
}
