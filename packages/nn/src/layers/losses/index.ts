import { type Backend, ConfigError } from '@vgp/core';
import { BceWithLogitsLoss } from './bce-with-logits.js';
import { LOSSES, type Loss, type LossName } from './loss.js';
import { MseLoss } from './mse.js';
import { SoftmaxCrossEntropyLoss } from './softmax-cross-entropy.js';

export { BceWithLogitsLoss } from './bce-with-logits.js';
export { LOSSES, Loss, type LossName, type Target } from './loss.js';
export { MseLoss } from './mse.js';
export { SoftmaxCrossEntropyLoss } from './softmax-cross-entropy.js';

/** A new {@link MseLoss} on `backend`: for regression. */
export function mseLoss(backend: Backend): MseLoss {
  return new MseLoss(backend);
}

/** A new {@link SoftmaxCrossEntropyLoss} on `backend`: for classification into 2 or more classes. */
export function softmaxCrossEntropy(backend: Backend): SoftmaxCrossEntropyLoss {
  return new SoftmaxCrossEntropyLoss(backend);
}

/** A new {@link BceWithLogitsLoss} on `backend`: for binary (or multi-label) targets on raw logits. */
export function bceWithLogits(backend: Backend): BceWithLogitsLoss {
  return new BceWithLogitsLoss(backend);
}

/** The loss named in a spec or on the command line. */
export function lossByName(name: LossName, backend: Backend): Loss {
  switch (name) {
    case 'mse':
      return mseLoss(backend);
    case 'softmaxCrossEntropy':
      return softmaxCrossEntropy(backend);
    case 'bceWithLogits':
      return bceWithLogits(backend);
    default:
      throw new ConfigError(`unknown loss '${String(name)}'; use one of ${LOSSES.join(', ')}`);
  }
}
