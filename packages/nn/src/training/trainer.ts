import { ConfigError, ShapeError } from '@vgp/core';
import type { Layer } from '../layer.js';
import { type Loss, type LossName, lossByName } from '../layers/losses/index.js';
import { Rng } from '../rng.js';
import { type Dataset, gatherInto, sampleCount, validateDataset } from '../tasks/dataset.js';
import { type Param, shapeString, Tensor } from '../tensor.js';
import { Model } from './build-model.js';
import { clipGradNorm, clipGradValue } from './clip.js';
import { Optimizer } from './optimizer.js';
import { createOptimizer, type OptimizerSpec } from './optimizer-spec.js';
import { makeSchedule, type Schedule, type ScheduleSpec } from './schedule.js';

/** Gradient clipping, applied after backward and before the update; give either or both. */
export interface ClipOptions {
  /** Clamp each gradient element to [-value, value] (applied first). */
  value?: number;
  /** Rescale all gradients so their global L2 norm is at most `norm`. */
  norm?: number;
}

/**
 * What a {@link Trainer} (and {@link fit}) trains with: optimizer, loss, batch size, clipping, schedule,
 * shuffling.
 */
export interface TrainOptions {
  /** An optimizer over the model's params (kept, not disposed), or a spec (created and disposed by the trainer). */
  optimizer: Optimizer | OptimizerSpec;
  /** The loss to minimize; the model's output must match it (logits for the cross-entropies). */
  loss: LossName;
  /** Samples per step; the final partial batch of an epoch is dropped so every step has this shape. */
  batchSize: number;
  /** Gradient clipping (default none). Clipping by norm is the usual cure for exploding gradients. */
  clip?: ClipOptions;
  /** Learning rate per update, from the optimizer's base rate. Default constant. */
  schedule?: ScheduleSpec;
  /** Seed of the shuffling stream (`new Rng(seed).fork('shuffle')`). Default 0. */
  seed?: number;
  /** Reshuffle the samples every epoch (default true). */
  shuffle?: boolean;
}

/** What one training step did. `step` counts updates from 1. */
export interface StepRecord {
  /** Update number, counting from 1. */
  step: number;
  /** 0-based epoch the batch came from. */
  epoch: number;
  /** The batch's training loss before the update. */
  loss: number;
  /** The learning rate the update used. */
  lr: number;
  /** Global gradient norm before clipping, when clipping by norm. */
  gradNorm?: number;
}

/** Handed to the hooks: the record so far plus what a monitor needs to inspect. */
export interface StepContext {
  /** The step's record (filled in before the update). */
  record: StepRecord;
  /** The model being trained. */
  model: Layer;
  /** Its trainable parameters; `grad` holds this step's (clipped) gradients. */
  params: readonly Param[];
  /** The optimizer applying the update. */
  optimizer: Optimizer;
}

/**
 * One training step at a time: assemble a batch, forward, loss, backward, clip, update. The batch
 * buffers, the loss and the optimizer state are allocated once in the constructor, so at a fixed
 * batch size a step allocates no backend memory. `fit` is a loop over `step()`; a web worker or an
 * experiment runner can drive it step by step instead. The hooks let a monitor read gradients
 * after backward (and clipping) but before the update, and the weights right after it.
 */
export class Trainer {
  /** The model's trainable parameters. */
  readonly params: readonly Param[];
  /** The optimizer given, or the one created from the spec (then disposed with the trainer). */
  readonly optimizer: Optimizer;
  /** Samples per step. */
  readonly batchSize: number;
  /** Steps per pass over the data: floor(samples / batchSize). */
  readonly stepsPerEpoch: number;
  /** Called after backward and clipping, before the update: gradients are final, weights still old. */
  beforeUpdate: ((ctx: StepContext) => void) | null = null;
  /** Called right after the update: weights are new, gradients still those that were applied. */
  afterUpdate: ((ctx: StepContext) => void) | null = null;
  private readonly loss: Loss;
  private readonly schedule: Schedule;
  private readonly shuffleRng: Rng | null;
  private readonly xBatch: Tensor;
  private readonly xStage: Float32Array;
  private readonly yStage: Float32Array;
  private readonly ownsOptimizer: boolean;
  private order: Int32Array;
  private steps = 0;
  private disposed = false;

  constructor(
    /** The model being trained (not disposed by the trainer). */
    readonly model: Layer,
    /** The training data. */
    readonly data: Dataset,
    private readonly opts: TrainOptions,
  ) {
    validateDataset(data);
    const n = sampleCount(data);
    const b = opts.batchSize;
    if (!(Number.isInteger(b) && b >= 1 && b <= n)) {
      throw new ConfigError(
        `batchSize must be an integer in [1, ${n}] (the samples in '${data.name}'), got ${b}; lower it or add data`,
      );
    }
    if (model instanceof Model) {
      const rank = model.spec.kind === 'mlp' ? 2 : 3;
      if (data.xShape.length !== rank) {
        const want = rank === 2 ? '[n, features]' : '[time, n, features]';
        const hint =
          rank === 2 ? 'use a recurrent spec for sequences' : "use an mlp spec or the task's sequence layout";
        throw new ShapeError(
          `a ${model.spec.kind} model takes ${want} data but '${data.name}' is ${shapeString(data.xShape)}; ${hint}`,
        );
      }
    }
    const width = model.inFeatures();
    const features = data.xShape[data.xShape.length - 1];
    if (width !== null && width !== features) {
      throw new ShapeError(
        `${model.name} takes ${width} input features but '${data.name}' has ${features} per sample`,
      );
    }
    if (opts.loss === 'bceWithLogits' && data.classes !== undefined && data.classes !== 2) {
      throw new ConfigError(
        `bceWithLogits needs 2 classes but '${data.name}' has ${data.classes}; use softmaxCrossEntropy`,
      );
    }
    for (const key of ['value', 'norm'] as const) {
      const v = opts.clip?.[key];
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
        throw new ConfigError(`clip.${key} must be a finite number > 0 (e.g. 1), got ${v}`);
      }
    }
    this.batchSize = b;
    this.stepsPerEpoch = Math.floor(n / b);
    this.params = model.params();
    this.loss = lossByName(opts.loss, model.backend);
    this.ownsOptimizer = !(opts.optimizer instanceof Optimizer);
    this.optimizer =
      opts.optimizer instanceof Optimizer ? opts.optimizer : createOptimizer(opts.optimizer, this.params);
    if (this.optimizer.backend !== model.backend) {
      throw new ConfigError(
        `the optimizer's params live on another backend than ${model.name}; create it over model.params()`,
      );
    }
    try {
      this.schedule = makeSchedule(opts.schedule, this.optimizer.baseLr);
    } catch (e) {
      // Nothing else is allocated yet: free the optimizer state we made, so a bad option leaks nothing.
      if (this.ownsOptimizer) this.optimizer.dispose();
      throw e;
    }
    this.shuffleRng = (opts.shuffle ?? true) ? new Rng(opts.seed ?? 0).fork('shuffle') : null;
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    const xShape = [...data.xShape];
    xShape[xShape.length === 3 ? 1 : 0] = b;
    this.xBatch = Tensor.zeros(model.backend, xShape);
    this.xStage = new Float32Array(this.xBatch.size);
    this.yStage = new Float32Array((data.y.length / n) * b);
  }

  /** Updates applied so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** Runs one step on the next batch and returns its record. */
  step(): StepRecord {
    if (this.disposed) throw new ConfigError('trainer used after dispose(); create a new one');
    const k = this.steps % this.stepsPerEpoch;
    const epoch = Math.floor(this.steps / this.stepsPerEpoch);
    if (k === 0 && this.shuffleRng !== null) this.order = this.shuffleRng.permutation(this.order.length);
    const batch = this.order.subarray(k * this.batchSize, (k + 1) * this.batchSize);
    gatherInto(this.data.x, this.data.xShape, batch, this.xStage);
    gatherInto(this.data.y, this.data.yShape, batch, this.yStage);
    this.model.backend.write(this.xBatch.buf, this.xStage);

    const pred = this.model.forward(this.xBatch, { training: true });
    const loss = this.loss.forward(pred, this.yStage);
    this.model.backward(this.loss.backward());

    const record: StepRecord = { step: this.steps + 1, epoch, loss, lr: this.schedule(this.steps) };
    const clip = this.opts.clip;
    if (clip?.value !== undefined) clipGradValue(this.params, clip.value);
    if (clip?.norm !== undefined) record.gradNorm = clipGradNorm(this.params, clip.norm);
    this.optimizer.lr = record.lr;
    const ctx = { record, model: this.model, params: this.params, optimizer: this.optimizer };
    this.beforeUpdate?.(ctx);
    this.optimizer.step();
    this.steps++;
    this.afterUpdate?.(ctx);
    return record;
  }

  /** Frees the batch buffer and the loss, and the optimizer if the trainer created it. Not the model. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.xBatch.dispose();
    this.loss.dispose();
    if (this.ownsOptimizer) this.optimizer.dispose();
  }
}
