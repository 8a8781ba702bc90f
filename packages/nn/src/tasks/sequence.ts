import { ConfigError } from '@vgp/core';
import { Rng } from '../rng.js';
import { checkTaskOptions, type Dataset } from './dataset.js';

/** Options of {@link addingProblem}. */
export interface AddingOptions {
  /** Number of sequences (samples). */
  n: number;
  /** Sequence length T (>= 2). The longer, the farther back the first marker can lie. */
  length: number;
  /** Seeds the values and marker positions: the same seed gives the same data. */
  seed: number;
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997), in the form of Le et al. 2015: each time step has
 * two channels, a value uniform in [0, 1) and a marker that is 1 at exactly two steps, one uniform in
 * the first half [0, T/2) and one in the second half [T/2, T), else 0. The target is the sum of the two
 * marked values. x is [T, n, 2], y is [n, 1].
 *
 * The sum of two independent U[0, 1) has variance 2/12, so always predicting its mean 1 scores an MSE
 * of about 0.167: a model must remember the first marked value across up to T steps to do better.
 */
export function addingProblem(opts: AddingOptions): Dataset {
  checkTaskOptions('adding', opts);
  const { n, length: T } = opts;
  if (!(Number.isInteger(T) && T >= 2))
    throw new ConfigError(`adding: length must be an integer >= 2, got ${T}`);
  const rng = new Rng(opts.seed).fork('adding');
  const x = new Float32Array(T * n * 2);
  const y = new Float32Array(n);
  const half = Math.floor(T / 2);
  for (let i = 0; i < n; i++) {
    const first = rng.int(half);
    const second = half + rng.int(T - half);
    for (let t = 0; t < T; t++) {
      const at = (t * n + i) * 2;
      x[at] = rng.uniform();
      if (t === first || t === second) {
        x[at + 1] = 1;
        // Sum the value as stored (float32), so the target is exact for the data the model sees.
        y[i] += x[at];
      }
    }
  }
  return { name: 'adding', x, xShape: [T, n, 2], y, yShape: [n, 1] };
}

/** Options of {@link copyTask}. */
export interface CopyOptions {
  /** Number of sequences (samples). */
  n: number;
  /** The delay T (>= 1): blank steps between the end of the symbols and the recall cue. */
  length: number;
  /** How many symbols to remember; default 10 (Arjovsky et al. 2016). */
  symbols?: number;
  /** Seeds the symbols: the same seed gives the same data. */
  seed: number;
}

/** Symbols of the copy task: 0 blank, 1..8 data, 9 the recall cue ("delimiter"). */
export const COPY_CLASSES = 10;

/**
 * The copy (memory) task of Hochreiter & Schmidhuber 1997 in the form of Arjovsky et al. 2016: the input
 * shows S symbols drawn from 1..8, then T-1 blanks, then the cue 9, then S blanks (length T + 2S); the
 * target is blank for the first T + S steps, then the S symbols in order. Inputs are one-hot,
 * x is [T + 2S, n, 10]; y holds the target symbol per step, [T + 2S, n, 1] with 10 classes.
 *
 * Predicting blanks and then uniform guesses scores a cross-entropy of S * ln(8) / (T + 2S) per step;
 * beating it requires carrying the symbols across T steps. Needs a model with one output per step.
 */
export function copyTask(opts: CopyOptions): Dataset {
  checkTaskOptions('copy', opts);
  const { n, length: T } = opts;
  const S = opts.symbols ?? 10;
  if (!(Number.isInteger(T) && T >= 1))
    throw new ConfigError(`copy: length must be an integer >= 1, got ${T}`);
  if (!(Number.isInteger(S) && S >= 1))
    throw new ConfigError(`copy: symbols must be an integer >= 1, got ${S}`);
  const rng = new Rng(opts.seed).fork('copy');
  const steps = T + 2 * S;
  const x = new Float32Array(steps * n * COPY_CLASSES);
  const y = new Float32Array(steps * n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < steps; t++) {
      let input = 0;
      if (t < S) {
        input = 1 + rng.int(8);
        // The symbol shown at step t is recalled at step T + S + t.
        y[(T + S + t) * n + i] = input;
      } else if (t === T + S - 1) {
        input = 9;
      }
      x[(t * n + i) * COPY_CLASSES + input] = 1;
    }
  }
  return {
    name: 'copy',
    x,
    xShape: [steps, n, COPY_CLASSES],
    y,
    yShape: [steps, n, 1],
    classes: COPY_CLASSES,
  };
}
