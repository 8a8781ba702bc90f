import { ConfigError, ShapeError, VgpError } from '@vgp/core';
import { type Shape, shapeSize, shapeString } from '../tensor.js';

/** The data itself is unusable: a non-finite value, a label out of range, counts that disagree. */
export class DataError extends VgpError {
  /** `'DataError'`, so logs and `error.name` checks tell the kinds apart. */
  override name = 'DataError';
}

/**
 * A supervised data set as flat typed arrays with shapes, the layout the models take:
 * - `x` is `[n, features]` for dense nets or `[time, n, features]` for recurrent nets;
 * - `y` is `[n, k]` (one target per sample) or `[time, n, k]` (one per time step), so the sample axis
 *   is 0 for rank-2 arrays and 1 for rank-3 arrays.
 * When `classes` is set, `k` is 1 and `y` holds integer class labels in [0, classes); the losses expand
 * them (one-hot for softmax cross-entropy, the 0/1 label itself for binary cross-entropy).
 */
export interface Dataset {
  /** The task's name (e.g. `'spiral'`), used in error messages. */
  readonly name: string;
  /** Inputs, row-major in the layout of `xShape`. */
  readonly x: Float32Array;
  /** `[n, features]` or `[time, n, features]`. */
  readonly xShape: Shape;
  /** Targets or class labels, row-major in the layout of `yShape`. */
  readonly y: Float32Array;
  /** `[n, k]` or `[time, n, k]`. */
  readonly yShape: Shape;
  /** Number of classes when `y` holds labels; absent for regression targets. */
  readonly classes?: number;
}

/** The axis that indexes samples in a dataset array of this rank. */
export function sampleAxis(shape: Shape): number {
  return shape.length === 3 ? 1 : 0;
}

/** Number of samples in a dataset. */
export function sampleCount(data: Dataset): number {
  return data.xShape[sampleAxis(data.xShape)];
}

/**
 * Checks a data set before training: array lengths match shapes (`ShapeError`), ranks are 2 or 3
 * (`ShapeError`), x and y hold the same number of samples (`DataError`), every value is finite and
 * every label a valid class (`DataError` naming the data set, the sample and the time step).
 */
export function validateDataset(data: Dataset): void {
  const where = `data set '${data.name}'`;
  for (const [key, arr, shape] of [
    ['x', data.x, data.xShape],
    ['y', data.y, data.yShape],
  ] as const) {
    if (shape.length !== 2 && shape.length !== 3) {
      throw new ShapeError(
        `${where}: ${key} has rank ${shape.length} (shape ${shapeString(shape)}); use [n, features] or [time, n, features]`,
      );
    }
    if (arr.length !== shapeSize(shape)) {
      throw new ShapeError(
        `${where}: ${key} holds ${arr.length} values but its shape ${shapeString(shape)} needs ${shapeSize(shape)}`,
      );
    }
  }
  const n = sampleCount(data);
  const ny = data.yShape[sampleAxis(data.yShape)];
  if (ny !== n) {
    throw new DataError(
      `${where}: ${n} inputs but ${ny} targets/labels; give exactly one target per input sample`,
    );
  }
  if (n === 0) throw new DataError(`${where}: no samples; a data set needs at least one`);
  checkFinite(where, 'input', data.x, data.xShape);
  checkFinite(where, 'target', data.y, data.yShape);
  if (data.classes !== undefined) checkLabels(where, data);
}

function checkFinite(where: string, what: string, arr: Float32Array, shape: Shape): void {
  for (let i = 0; i < arr.length; i++) {
    if (!Number.isFinite(arr[i])) {
      throw new DataError(
        `${where}: ${what} ${locate(i, shape)} is ${arr[i]}; remove or impute non-finite values`,
      );
    }
  }
}

function checkLabels(where: string, data: Dataset): void {
  const classes = data.classes as number;
  if (!(Number.isInteger(classes) && classes >= 2)) {
    throw new ConfigError(`${where}: classes must be an integer >= 2, got ${classes}`);
  }
  if (data.yShape[data.yShape.length - 1] !== 1) {
    throw new ShapeError(
      `${where}: class labels need y of shape [n, 1] or [time, n, 1], got ${shapeString(data.yShape)}`,
    );
  }
  for (let i = 0; i < data.y.length; i++) {
    const label = data.y[i];
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) {
      throw new DataError(
        `${where}: label ${locate(i, data.yShape)} is ${label}; labels must be integers in [0, ${classes})`,
      );
    }
  }
}

/** "of sample s (feature f)" or "of sample s at time t (feature f)" for a flat index. */
function locate(i: number, shape: Shape): string {
  const features = shape[shape.length - 1];
  const f = i % features;
  if (shape.length === 2) return `of sample ${Math.floor(i / features)} (feature ${f})`;
  const n = shape[1];
  const t = Math.floor(i / (n * features));
  return `of sample ${Math.floor(i / features) % n} at time ${t} (feature ${f})`;
}

/** Checks the common generator options: `n` a positive integer, `noise` finite and >= 0. */
export function checkTaskOptions(task: string, opts: { n: number; noise?: number; seed: number }): void {
  if (!(Number.isInteger(opts.n) && opts.n > 0)) {
    throw new ConfigError(`${task}: n must be a positive integer (number of samples), got ${opts.n}`);
  }
  if (opts.noise !== undefined && !(Number.isFinite(opts.noise) && opts.noise >= 0)) {
    throw new ConfigError(`${task}: noise must be a finite number >= 0, got ${opts.noise}`);
  }
  if (!Number.isInteger(opts.seed))
    throw new ConfigError(`${task}: seed must be an integer, got ${opts.seed}`);
}

/** The samples at `indices` as a new data set (copies), e.g. a train/test split. */
export function subset(data: Dataset, indices: ArrayLike<number>, name = data.name): Dataset {
  return {
    name,
    x: gather(data.x, data.xShape, indices),
    xShape: withSamples(data.xShape, indices.length),
    y: gather(data.y, data.yShape, indices),
    yShape: withSamples(data.yShape, indices.length),
    ...(data.classes === undefined ? {} : { classes: data.classes }),
  };
}

function withSamples(shape: Shape, n: number): Shape {
  const out = [...shape];
  out[sampleAxis(shape)] = n;
  return out;
}

/**
 * Copies the samples `indices` of `src` into `dst` (sample-major blocks along the sample axis).
 * Used for splits and by `fit` to assemble each batch without allocating.
 */
export function gatherInto(
  src: Float32Array,
  shape: Shape,
  indices: ArrayLike<number>,
  dst: Float32Array,
): void {
  const k = shape[shape.length - 1];
  const steps = shape.length === 3 ? shape[0] : 1;
  const n = shape[sampleAxis(shape)];
  const b = indices.length;
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < b; j++) {
      // A plain loop: no subarray views, so assembling a batch creates no garbage.
      const from = (t * n + indices[j]) * k;
      const to = (t * b + j) * k;
      for (let c = 0; c < k; c++) dst[to + c] = src[from + c];
    }
  }
}

function gather(src: Float32Array, shape: Shape, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array((src.length / shape[sampleAxis(shape)]) * indices.length);
  gatherInto(src, shape, indices, out);
  return out;
}
