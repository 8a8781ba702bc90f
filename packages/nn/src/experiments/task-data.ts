import { ConfigError } from '@vgp/core';
import type { LossName } from '../layers/losses/index.js';
import { type CsvData, datasetFromCsv } from '../tasks/csv.js';
import type { Dataset } from '../tasks/dataset.js';
import { loadMnist } from '../tasks/mnist.js';
import { addingProblem, COPY_CLASSES, copyTask } from '../tasks/sequence.js';
import { toy2d } from '../tasks/toy2d.js';
import type { CsvTaskConfig, TaskConfig } from './config.js';

/** A task's data and the facts a run needs about it. */
export interface TaskData {
  /** The data trained on. */
  train: Dataset;
  /** Held-out data for the test loss and accuracy. */
  test: Dataset;
  /** Input features per sample (per step for sequences): the model's `input`. */
  input: number;
  /** Outputs the model needs: the model's `output`. */
  output: number;
  /** The loss that fits the targets. */
  loss: LossName;
  /** Recurrent heads: one output per step (copy) or only the last (adding, MNIST rows). */
  head: 'last' | 'sequence';
  /** The loss of a perfect model and of the best input-blind prediction, for `diagnose`. */
  lossFloor: number;
  /** The loss of the best input-blind prediction (see `lossFloor`). */
  chanceLoss: number;
}

/** The test set's seed: a fixed offset from the run's seed, so train and test never share samples' draws. */
const TEST_SEED_OFFSET = 1_000_003;

/**
 * Builds the data of `task` from `seed` (the same seed gives the same data, so every variant of a
 * comparison trains on identical samples). Defaults keep a run to seconds: 512 training samples for the
 * toy and sequence tasks, 2000/500 digits for MNIST.
 */
export async function loadTask(task: TaskConfig, seed: number): Promise<TaskData> {
  switch (task.kind) {
    case 'csv':
      return csvTaskData(await loadCsv(task, seed));
    case 'mnist': {
      const layout = task.layout ?? 'flat';
      const { train, test } = await loadMnist({
        train: task.train ?? 2000,
        test: task.test ?? 500,
        seed,
        layout,
      });
      // Input-blind best: predict the class frequencies, about ln(10) for MNIST's near-uniform classes.
      return {
        train,
        test,
        input: layout === 'flat' ? 784 : 28,
        output: 10,
        loss: 'softmaxCrossEntropy',
        head: 'last',
        lossFloor: 0,
        chanceLoss: Math.log(10),
      };
    }
    case 'adding': {
      const n = task.n ?? 512;
      const make = (s: number, count: number) => addingProblem({ n: count, length: task.length, seed: s });
      // The sum of two U[0,1) has variance 1/6: predicting its mean 1 scores MSE 1/6 ~ 0.167.
      return {
        train: make(seed, n),
        test: make(seed + TEST_SEED_OFFSET, 256),
        input: 2,
        output: 1,
        loss: 'mse',
        head: 'last',
        lossFloor: 0,
        chanceLoss: 1 / 6,
      };
    }
    case 'copy': {
      const n = task.n ?? 512;
      const symbols = task.symbols ?? 10;
      const make = (s: number, count: number) =>
        copyTask({ n: count, length: task.length, symbols, seed: s });
      // Blanks where the answer is blank, uniform guesses over the 8 symbols where it is not.
      return {
        train: make(seed, n),
        test: make(seed + TEST_SEED_OFFSET, 256),
        input: COPY_CLASSES,
        output: COPY_CLASSES,
        loss: 'softmaxCrossEntropy',
        head: 'sequence',
        lossFloor: 0,
        chanceLoss: (symbols * Math.log(8)) / (task.length + 2 * symbols),
      };
    }
    default: {
      const n = task.n ?? 512;
      const make = (s: number, count: number) =>
        toy2d(task.kind, { n: count, noise: task.noise ?? 0, seed: s });
      // Balanced binary labels: a constant 0.5 scores ln 2 in binary cross-entropy.
      return {
        train: make(seed, n),
        test: make(seed + TEST_SEED_OFFSET, 512),
        input: 2,
        output: 1,
        loss: 'bceWithLogits',
        head: 'last',
        lossFloor: 0,
        chanceLoss: Math.LN2,
      };
    }
  }
}

/**
 * A CSV task's table: parsed from `text`, or read from `file` by Node (a dynamic import, so browser
 * bundles never load `node:fs`). The config's seed decides the split.
 */
export async function loadCsv(task: CsvTaskConfig, seed: number): Promise<CsvData> {
  const opts = {
    name: task.name,
    target: task.target,
    task: task.task,
    testFraction: task.testFraction,
    seed,
  };
  if (task.text !== undefined) return datasetFromCsv(task.text, opts);
  if (task.file !== undefined) {
    const { datasetFromCsvFile } = await import('../tasks/csv-file.js');
    return datasetFromCsvFile(task.file, opts);
  }
  throw new ConfigError(
    `task csv${task.name ? ` '${task.name}'` : ''} has no data: give task.file (a path) or task.text (the CSV); a saved link cannot carry the file, so load it again`,
  );
}

/** The run's view of a CSV table: softmax cross-entropy over its classes, or MSE on the standardized target. */
export function csvTaskData(csv: CsvData): TaskData {
  const common = {
    train: csv.train,
    test: csv.test,
    input: csv.features.length,
    head: 'last',
    lossFloor: 0,
  } as const;
  if (csv.labels === null) {
    // The target is standardized on the training rows: predicting its mean (0) scores an MSE of 1 there.
    return { ...common, output: 1, loss: 'mse', chanceLoss: 1 };
  }
  // Input-blind best: predict the training class frequencies, scoring their entropy.
  const counts = csv.labels.map(() => 0);
  for (const v of csv.train.y) counts[v]++;
  const n = csv.train.y.length;
  const entropy = -counts.reduce((s, c) => (c > 0 ? s + (c / n) * Math.log(c / n) : s), 0);
  return { ...common, output: csv.labels.length, loss: 'softmaxCrossEntropy', chanceLoss: entropy };
}
