import type { Tensor } from '../../tensor.js';
import { Loss, type Target } from './loss.js';

/** Mean squared error over all elements, as PyTorch's `MSELoss` (reduction 'mean'). */
export class MseLoss extends Loss {
  readonly name = 'mse' as const;

  /**
   * mean((pred - target)^2) over targets of `pred`'s shape; also computes dL/dpred = 2 (pred - target) / N.
   */
  forward(pred: Tensor, target: Target): number {
    const t = this.sameShapeTarget(pred, target);
    return this.backend.mseLoss(pred.buf, t.buf, this.grad(pred).buf);
  }
}
