import { ConfigError } from '@vgp/core';
import { Rng } from '../rng.js';
import { checkTaskOptions, type Dataset } from './dataset.js';

/**
 * Options of the 2-D classification tasks. `noise` is the standard deviation of Gaussian noise added
 * to each coordinate (the points themselves lie roughly in [-1, 1]^2); default 0.
 */
export interface Toy2dOptions {
  /** Number of points; labels alternate, so the two classes differ in size by at most one. */
  n: number;
  /** Standard deviation of the Gaussian noise on each coordinate (default 0). */
  noise?: number;
  /** Seeds the points, the noise and the shuffle: the same seed gives the same data. */
  seed: number;
}

/** Names of the 2-D binary classification tasks, as {@link toy2d} takes them. */
export const TOY_2D_TASKS = ['spiral', 'circles', 'xor', 'moons', 'gaussians'] as const;
/** The name of a 2-D task: each is also a function of the same name (`spiral(opts)`, ...). */
export type Toy2dTask = (typeof TOY_2D_TASKS)[number];

/** A point of class `label` (0 or 1) before noise; `rng` is the task's own stream. */
type PointFn = (label: number, rng: Rng) => [number, number];

/**
 * Draws `n` points with alternating labels 0/1 (so the classes are balanced), adds the noise, then
 * shuffles the samples, so that unshuffled batches still mix the classes.
 */
function generate(task: Toy2dTask, opts: Toy2dOptions, point: PointFn): Dataset {
  checkTaskOptions(task, opts);
  const rng = new Rng(opts.seed).fork(task);
  const noise = opts.noise ?? 0;
  const xs = new Float32Array(opts.n * 2);
  const ys = new Float32Array(opts.n);
  const order = rng.permutation(opts.n);
  for (let i = 0; i < opts.n; i++) {
    const label = i % 2;
    const [a, b] = point(label, rng);
    const at = order[i];
    xs[2 * at] = a + noise * rng.normal();
    xs[2 * at + 1] = b + noise * rng.normal();
    ys[at] = label;
  }
  return { name: task, x: xs, xShape: [opts.n, 2], y: ys, yShape: [opts.n, 1], classes: 2 };
}

/**
 * Two interleaved spiral arms (TensorFlow Playground's): radius r in [0, 1), angle 1.75 turns * r,
 * the second arm rotated by pi. Hard for shallow nets; the classic depth benchmark.
 */
export function spiral(opts: Toy2dOptions): Dataset {
  return generate('spiral', opts, (label, rng) => {
    const r = rng.uniform();
    const t = 1.75 * 2 * Math.PI * r + label * Math.PI;
    return [r * Math.sin(t), r * Math.cos(t)];
  });
}

/** A disc (label 1, radius < 0.5) inside a ring (label 0, radius in [0.7, 1)), as the Playground. */
export function circles(opts: Toy2dOptions): Dataset {
  return generate('circles', opts, (label, rng) => {
    const r = label === 1 ? rng.range(0, 0.5) : rng.range(0.7, 1);
    const t = rng.range(0, 2 * Math.PI);
    return [r * Math.sin(t), r * Math.cos(t)];
  });
}

/**
 * XOR of the signs: label 1 where x*y > 0. Points are uniform in [-1, 1]^2 but kept 0.05 away from the
 * axes (as the Playground pads them) so the label is not decided by noise-free rounding at 0.
 */
export function xor(opts: Toy2dOptions): Dataset {
  return generate('xor', opts, (label, rng) => {
    const a = rng.range(0.05, 1) * (rng.uniform() < 0.5 ? -1 : 1);
    const b = rng.range(0.05, 1) * Math.sign(a) * (label === 1 ? 1 : -1);
    return [a, b];
  });
}

/**
 * Two interleaving half circles (scikit-learn's make_moons), centred: the upper moon (label 0) is
 * (cos t, sin t), the lower (label 1) is (1 - cos t, 0.5 - sin t), t in [0, pi], shifted by (-0.5, -0.25).
 */
export function moons(opts: Toy2dOptions): Dataset {
  return generate('moons', opts, (label, rng) => {
    const t = rng.range(0, Math.PI);
    return label === 0 ? [Math.cos(t) - 0.5, Math.sin(t) - 0.25] : [0.5 - Math.cos(t), 0.25 - Math.sin(t)];
  });
}

/** Two Gaussian blobs of standard deviation 0.25 centred at (-0.5, -0.5) (label 0) and (0.5, 0.5) (label 1). */
export function gaussians(opts: Toy2dOptions): Dataset {
  return generate('gaussians', opts, (label, rng) => {
    const c = label === 1 ? 0.5 : -0.5;
    return [c + 0.25 * rng.normal(), c + 0.25 * rng.normal()];
  });
}

/** The 2-D task of a given name. */
export function toy2d(task: Toy2dTask, opts: Toy2dOptions): Dataset {
  const make = { spiral, circles, xor, moons, gaussians }[task];
  if (make === undefined)
    throw new ConfigError(`unknown 2-D task '${task}'; use one of ${TOY_2D_TASKS.join(', ')}`);
  return make(opts);
}
