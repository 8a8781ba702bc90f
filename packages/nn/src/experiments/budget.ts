/**
 * What a whole run costs in memory, estimated from its config before anything is built: the weights,
 * their gradients, the optimizer's state, the monitor's weight copies, the activations a step keeps
 * for backward, the task's data and the recorded history. `validateConfig` rejects a config whose
 * estimate exceeds what the backend can hold, naming the field to lower, so a too-big run fails in
 * milliseconds instead of in a typed-array constructor or after minutes of swapping.
 *
 * These are estimates (upper-leaning: a few scratch buffers per layer), not bounds; they only need to
 * be right within a small factor to tell 40 GB from 4 GB.
 */
import { ConfigError } from '@vgp/core';
import { MNIST_SIZE } from '../tasks/mnist.js';
import { COPY_CLASSES } from '../tasks/sequence.js';
import {
  BACKEND_LIMIT_BYTES,
  CELL_GATES,
  FLOAT_BYTES,
  formatBytes,
  type ModelSize,
  modelSize,
} from '../training/model-budget.js';
import type { MlpSpec, RecurrentSpec } from '../training/model-spec.js';
import type { ExperimentConfig, TaskConfig } from './config.js';

/** The recorded history lives in the JS heap (Node's default heap is 2-4 GB); past this it would not fit. */
export const HISTORY_LIMIT_BYTES = 2 * 2 ** 30;

/**
 * Bytes one per-parameter or per-layer entry of a record takes in the JS heap: about ten numbers and
 * strings per object plus the object itself (a ParamStats with its shape array is ~200 bytes in V8).
 */
const RECORD_ENTRY_BYTES = 200;

/**
 * Numbers a hidden unit keeps per sample during a step of an mlp: the Dense output, the norm's output
 * and its normalized copy, the activation's output, dropout's output and mask, and the backward
 * signal through each: eight, rounded up from what the layers allocate.
 */
const MLP_FLOATS_PER_UNIT = 8;

/** `evaluate` runs held-out data in batches of at most this many samples (training/evaluate.ts). */
const EVAL_BATCH = 256;

/** Optimizer state per parameter: momentum keeps a velocity, RMSprop a mean square, Adam both moments. */
const OPTIMIZER_SLOTS: Record<string, number> = {
  sgd: 0,
  momentum: 1,
  nesterov: 1,
  rmsprop: 1,
  adam: 2,
  adamw: 2,
};

/** The shapes a task gives a model and the data it builds; mirrors `loadTask`'s defaults. */
export interface TaskShape {
  input: number;
  output: number;
  /** Time steps per sample (1 for flat inputs). */
  time: number;
  train: number;
  test: number;
}

/** The shapes of a task, from its config alone (no data is built). */
export function taskShape(task: TaskConfig): TaskShape {
  switch (task.kind) {
    case 'mnist': {
      const rows = task.layout === 'rows';
      // The package holds MNIST_SIZE digits; loadMnist rejects more, so that is all it can cost.
      const train = Math.min(task.train ?? 2000, MNIST_SIZE);
      const test = Math.min(task.test ?? 500, MNIST_SIZE);
      return { input: rows ? 28 : 784, output: 10, time: rows ? 28 : 1, train, test };
    }
    case 'adding':
      return { input: 2, output: 1, time: task.length, train: task.n ?? 512, test: 256 };
    case 'copy': {
      const time = task.length + 2 * (task.symbols ?? 10);
      return { input: COPY_CLASSES, output: COPY_CLASSES, time, train: task.n ?? 512, test: 256 };
    }
    case 'csv': {
      // Widths come from the file's columns, known once it is parsed; the file is already in memory
      // (text) or small next to the limit, so only the model and activations are estimated here.
      const rows = Math.ceil((task.text?.length ?? 0) / 2);
      return { input: 1, output: 1, time: 1, train: rows, test: Math.min(rows, EVAL_BATCH) };
    }
    default:
      return { input: 2, output: 1, time: 1, train: task.n ?? 512, test: 512 };
  }
}

/** A run's estimated memory, by what holds it. */
export interface RunBytes {
  /** Weights and their gradients. */
  params: number;
  /** The optimizer's state and the monitor's weight copies. */
  state: number;
  /** What one step keeps for backward, at the larger of the training and the evaluation batch. */
  activations: number;
  /** The task's training and held-out data. */
  data: number;
  /** Everything the backend holds (params + state + activations, and the data: it is copied in per batch). */
  backend: number;
  /** The recorded history (JS heap). */
  history: number;
  /** The model's size, for naming the field to lower. */
  size: ModelSize;
}

/** Estimates a run's memory; `model` is the effective spec (remedies applied, input/output filled in). */
export function estimateRunBytes(
  config: ExperimentConfig,
  model: MlpSpec | RecurrentSpec,
  opts: { maxRecords?: number } = {},
): RunBytes {
  const shape = taskShape(config.task);
  const size = modelSize(model);
  const params = 2 * size.params * FLOAT_BYTES;
  // The monitor copies each weight matrix once when it cannot infer the update (a conservative 1 slot).
  const slots = (OPTIMIZER_SLOTS[config.optimizer.kind] ?? 2) + 1;
  const state = slots * size.params * FLOAT_BYTES;
  const batch = Math.max(config.batchSize, Math.min(EVAL_BATCH, shape.test));
  let perSample: number;
  if (model.kind === 'mlp') {
    perSample = model.input + model.depth * model.width * MLP_FLOATS_PER_UNIT + 2 * model.output;
  } else {
    // Per layer and step: the gates and their gradient (2g), the states h and c and their gradients (4).
    const g = CELL_GATES[model.cell];
    const perStep = model.input + model.layers * (2 * g + 4) * model.hidden + 2 * model.output;
    perSample = shape.time * perStep;
  }
  const activations = batch * perSample * FLOAT_BYTES;
  const data = (shape.train + shape.test) * shape.time * (shape.input + 1) * FLOAT_BYTES;
  const weightLayers = model.kind === 'mlp' ? model.depth + 1 : model.layers + 1;
  // Each weight layer records its weight and bias, and about three layers (dense, norm, activation).
  const entries = 5 * weightLayers + (model.kind === 'recurrent' ? model.layers * shape.time : 0);
  const every = config.monitorEvery ?? 1;
  const records = Math.min(Math.ceil(config.steps / every), opts.maxRecords ?? Number.POSITIVE_INFINITY);
  const history = records * (entries * RECORD_ENTRY_BYTES + 8 * FLOAT_BYTES);
  return { params, state, activations, data, backend: params + state + activations + data, history, size };
}

/**
 * Throws a `ConfigError` when a run's estimate exceeds what the backend or the JS heap can hold. The
 * message states the estimate, the limit and the field to lower, e.g. "model.width 100000 needs
 * ~37 GB of weights (~190 GB with gradients, optimizer state and activations); WASM memory is limited
 * to 4 GB: lower model.width".
 */
export function checkRunBudget(
  config: ExperimentConfig,
  model: MlpSpec | RecurrentSpec,
  opts: { maxRecords?: number } = {},
): RunBytes {
  const b = estimateRunBytes(config, model, opts);
  const where =
    config.backend === 'ts'
      ? 'the TS backend is given the same limit as WASM memory,'
      : 'WASM memory is limited to';
  const limit = formatBytes(BACKEND_LIMIT_BYTES);
  if (b.backend > BACKEND_LIMIT_BYTES) {
    const parts: Array<[number, string, string]> = [
      [b.params + b.state, `model.${b.size.field} ${b.size.value}`, 'weights, gradients and optimizer state'],
      [b.activations, `batchSize ${config.batchSize}`, 'activations'],
      [b.data, dataField(config.task), 'data'],
    ];
    const [bytes, field, what] = parts.reduce((a, p) => (p[0] > a[0] ? p : a));
    const name = field.split(' ')[0] as string;
    const alsoTime = what === 'activations' && model.kind === 'recurrent' ? ' or the sequence length' : '';
    throw new ConfigError(
      `experiment config: ${field} needs ~${formatBytes(bytes)} of ${what} ` +
        `(~${formatBytes(b.backend)} for the whole run); ${where} ${limit}: lower ${name}${alsoTime}`,
    );
  }
  if (b.history > HISTORY_LIMIT_BYTES) {
    throw new ConfigError(
      `experiment config: steps ${config.steps} with monitorEvery ${config.monitorEvery ?? 1} records ` +
        `~${formatBytes(b.history)} of history; the JS heap holds about ${formatBytes(HISTORY_LIMIT_BYTES)}: ` +
        'raise monitorEvery (--every) or lower steps',
    );
  }
  return b;
}

/** The task field that sets how much data is built, with its value. */
function dataField(task: TaskConfig): string {
  if (task.kind === 'mnist') return `task.train ${task.train ?? 2000}`;
  if (task.kind === 'csv') return 'task.text';
  const n = task.n ?? 512;
  if ((task.kind === 'adding' || task.kind === 'copy') && task.length > n)
    return `task.length ${task.length}`;
  return `task.n ${n}`;
}
