/**
 * From the playground's vocabulary (RunSpec + SharedSettings) to @vgp/nn objects: the task's data,
 * the model spec, the optimizer and the trainer options. Every run of a comparison gets the same
 * data and the same seed, so runs whose shapes agree also start from the same weights.
 */
import type { Dataset, InitSpec, LossName, ModelSpec, OptimizerSpec, TrainOptions } from '@vgp/nn';
import { addingProblem, COPY_CLASSES, copyTask, toy2d } from '@vgp/nn';
import type { InitName } from '../state/options.js';
import { PLANE_TASKS, SEQUENCE_TASKS } from '../state/options.js';
import type { RunSpec, SharedSettings } from '../state/state.js';

/** Samples per task: enough for the batch sizes allowed, small enough to build in a few ms. */
export const TRAIN_SAMPLES = 1024;
/** Noise (std per coordinate) on the 2-D tasks, as in the TensorFlow Playground's default. */
export const PLANE_NOISE = 0.05;
/** Copy task: how many symbols to remember (Arjovsky et al. 2016 use 10). */
export const COPY_SYMBOLS = 10;

export function isSequence(shared: SharedSettings): boolean {
  return SEQUENCE_TASKS.includes(shared.task);
}

export function isPlane(shared: SharedSettings): boolean {
  return PLANE_TASKS.includes(shared.task);
}

/** The task's training data; identical for every run of a comparison (same seed). */
export function buildData(shared: SharedSettings): Dataset {
  const n = Math.max(TRAIN_SAMPLES, shared.batchSize);
  const seed = shared.seed;
  switch (shared.task) {
    case 'adding':
      return addingProblem({ n, length: shared.seqLen, seed });
    case 'copy':
      return copyTask({ n, length: shared.seqLen, symbols: COPY_SYMBOLS, seed });
    default:
      return toy2d(shared.task, { n, noise: PLANE_NOISE, seed });
  }
}

const INITS: Record<InitName, InitSpec> = {
  he: 'heNormal',
  glorot: 'glorotUniform',
  orthogonal: 'orthogonal',
  // N(0, 0.01^2): the "small random numbers" init that makes deep nets' signals vanish.
  small: { kind: 'normal', scale: 0.01 },
  // N(0, 1): far above 1/sqrt(fan_in), so signals (and gradients) explode with depth.
  large: { kind: 'normal', scale: 1 },
};

export function buildModelSpec(run: RunSpec, shared: SharedSettings, data: Dataset): ModelSpec {
  const features = data.xShape[data.xShape.length - 1] as number;
  const init = INITS[run.init];
  if (shared.task === 'adding' || shared.task === 'copy') {
    return {
      kind: 'recurrent',
      input: features,
      output: shared.task === 'copy' ? COPY_CLASSES : 1,
      cell: run.cell,
      hidden: shared.width,
      layers: shared.depth,
      // A plain RNN takes tanh or relu; the gated cells have their own fixed nonlinearities.
      activation: run.activation === 'relu' ? 'relu' : 'tanh',
      init,
      recurrentInit: run.init === 'he' || run.init === 'glorot' ? 'orthogonal' : init,
      head: shared.task === 'copy' ? 'sequence' : 'last',
    };
  }
  return {
    kind: 'mlp',
    input: features,
    output: data.classes ?? 1,
    depth: shared.depth,
    width: shared.width,
    activation: run.activation,
    init,
    norm: run.norm,
    residual: run.residual,
  };
}

export function lossFor(shared: SharedSettings): LossName {
  return shared.task === 'adding' ? 'mse' : 'softmaxCrossEntropy';
}

export function buildOptimizer(run: RunSpec, shared: SharedSettings): OptimizerSpec {
  const base = { lr: shared.lr, ...(run.weightDecay > 0 ? { weightDecay: run.weightDecay } : {}) };
  switch (run.optimizer) {
    case 'momentum':
      return { kind: 'momentum', momentum: 0.9, ...base };
    case 'rmsprop':
      return { kind: 'rmsprop', ...base };
    case 'adam':
      return { kind: 'adam', ...base };
    default:
      return { kind: 'sgd', ...base };
  }
}

export function buildTrainOptions(run: RunSpec, shared: SharedSettings): TrainOptions {
  const clip =
    run.clip === 'value'
      ? { value: run.clipValue }
      : run.clip === 'norm'
        ? { norm: run.clipValue }
        : undefined;
  return {
    optimizer: buildOptimizer(run, shared),
    loss: lossFor(shared),
    batchSize: shared.batchSize,
    seed: shared.seed,
    ...(clip ? { clip } : {}),
  };
}
