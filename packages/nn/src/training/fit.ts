import { ConfigError } from '@vgp/core';
import type { Layer } from '../layer.js';
import type { Dataset } from '../tasks/dataset.js';
import { type StepContext, type StepRecord, Trainer, type TrainOptions } from './trainer.js';

/** Options of {@link fit}: the training options plus how long to train and the per-step hooks. */
export interface FitOptions extends TrainOptions {
  /** Number of updates; give this or `epochs`. */
  steps?: number;
  /** Passes over the data (each floor(n / batchSize) steps); give this or `steps`. */
  epochs?: number;
  /** Called after every update with its record; return `false` to stop training early. */
  onStep?: (record: StepRecord) => unknown;
  /** After backward and clipping, before the update: gradients are final, weights still old. */
  beforeUpdate?: (ctx: StepContext) => void;
  /** Right after the update: weights are new, gradients still those that were applied. */
  afterUpdate?: (ctx: StepContext) => void;
}

/** What {@link fit} did; `steps` is less than asked when `onStep` stopped it early. */
export interface FitResult {
  /** Updates applied. */
  steps: number;
  /** The training loss of every step, in order. */
  losses: Float64Array;
}

/**
 * Trains `model` on `data`: seeded shuffling, fixed-size batches, the loss and optimizer chosen by the
 * options, optional clipping and schedule. Bad options throw before any step runs.
 */
export function fit(model: Layer, data: Dataset, opts: FitOptions): FitResult {
  const { steps, epochs } = opts;
  if ((steps === undefined) === (epochs === undefined)) {
    throw new ConfigError(
      `fit needs exactly one of steps or epochs, got ${steps === undefined ? 'neither' : 'both'}`,
    );
  }
  for (const [field, v] of [
    ['steps', steps],
    ['epochs', epochs],
  ] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) {
      throw new ConfigError(`fit: ${field} must be a positive integer, got ${v}`);
    }
  }
  const trainer = new Trainer(model, data, opts);
  try {
    trainer.beforeUpdate = opts.beforeUpdate ?? null;
    trainer.afterUpdate = opts.afterUpdate ?? null;
    const total = steps ?? (epochs as number) * trainer.stepsPerEpoch;
    const losses = new Float64Array(total);
    let done = 0;
    while (done < total) {
      const record = trainer.step();
      losses[done++] = record.loss;
      if (opts.onStep?.(record) === false) break;
    }
    return { steps: done, losses: losses.subarray(0, done) };
  } finally {
    trainer.dispose();
  }
}
