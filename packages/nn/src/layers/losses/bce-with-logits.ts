import type { Tensor } from '../../tensor.js';
import { Loss, type Target } from './loss.js';

/**
 * Binary cross-entropy on logits (targets in [0, 1]), averaged over all elements, as PyTorch's
 * `BCEWithLogitsLoss`: fusing the sigmoid into the loss keeps it finite for any logit.
 */
export class BceWithLogitsLoss extends Loss {
  readonly name = 'bceWithLogits' as const;

  /**
   * The loss for logits `pred` and targets in [0, 1] of the same shape; also computes dL/dpred =
   * (sigmoid(pred) - t) / N.
   */
  forward(pred: Tensor, target: Target): number {
    const t = this.sameShapeTarget(pred, target);
    return this.backend.bceWithLogits(pred.buf, t.buf, this.grad(pred).buf);
  }
}
