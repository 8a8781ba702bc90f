import { ShapeError } from '@vgp/core';
import { shapeString, Tensor } from '../../tensor.js';
import { Loss, sameShape, type Target } from './loss.js';

/**
 * Softmax cross-entropy of logits `[..., classes]`, averaged over rows, as PyTorch's `CrossEntropyLoss`.
 * Targets are either probabilities (one-hot or soft) of the logits' shape, or class indices, one per row:
 * a tensor of the logits' shape without the last dimension, or plain numbers (e.g. an `Int32Array`).
 * Indices are expanded into a one-hot buffer the loss owns, so the kernel sees one format.
 */
export class SoftmaxCrossEntropyLoss extends Loss {
  readonly name = 'softmaxCrossEntropy' as const;
  private oneHot = new Float64Array(0);

  /**
   * The loss for logits `[..., classes]` (at least 2 classes) against probabilities or class indices;
   * also computes dL/dpred = (softmax(pred) - t) / rows. Throws `ShapeError` for an index outside the
   * classes.
   */
  forward(pred: Tensor, target: Target): number {
    if (pred.rank < 2 || pred.shape[pred.rank - 1] < 2) {
      throw new ShapeError(
        `softmaxCrossEntropy loss: logits have shape ${shapeString(pred.shape)}, expected [batch, classes] with at least 2 classes; for a single output use bceWithLogits`,
      );
    }
    const cols = pred.shape[pred.rank - 1];
    const rows = pred.size / cols;
    const t = this.probabilities(pred, target, rows, cols);
    return this.backend.softmaxCrossEntropy(pred.buf, t.buf, rows, cols, this.grad(pred).buf);
  }

  private probabilities(pred: Tensor, target: Target, rows: number, cols: number): Tensor {
    if (target instanceof Tensor) {
      if (sameShape(target.shape, pred.shape)) return this.sameShapeTarget(pred, target);
      if (!sameShape(target.shape, pred.shape.slice(0, -1))) {
        throw new ShapeError(
          `softmaxCrossEntropy loss: targets have shape ${shapeString(target.shape)}, logits ${shapeString(pred.shape)}; give probabilities of the logits' shape or one class index per row (shape ${shapeString(pred.shape.slice(0, -1))})`,
        );
      }
      return this.indices(pred, target.read(), rows, cols);
    }
    if (target.length === pred.size) return this.sameShapeTarget(pred, target);
    if (target.length !== rows) {
      throw new ShapeError(
        `softmaxCrossEntropy loss: ${target.length} labels for ${rows} rows of logits ${shapeString(pred.shape)}; give one class index per row`,
      );
    }
    return this.indices(pred, target, rows, cols);
  }

  private indices(pred: Tensor, labels: ArrayLike<number>, rows: number, cols: number): Tensor {
    if (this.oneHot.length !== rows * cols) this.oneHot = new Float64Array(rows * cols);
    else this.oneHot.fill(0);
    for (let r = 0; r < rows; r++) {
      const k = labels[r];
      if (!(Number.isInteger(k) && k >= 0 && k < cols)) {
        throw new ShapeError(
          `softmaxCrossEntropy loss: label ${k} at row ${r} is not a class index in [0, ${cols}); the logits have ${cols} classes`,
        );
      }
      this.oneHot[r * cols + k] = 1;
    }
    return this.ownTarget(pred.shape, this.oneHot);
  }
}
