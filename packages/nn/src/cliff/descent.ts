import { ConfigError } from '@vgp/core';
import { cliffPoint, type OneUnitNet, oneUnitNet } from './one-unit.js';

/** Gradient descent on the one-unit net. */
export interface CliffDescentOptions {
  /** Where descent starts, [w, b] (default [6, -3]: just above the wall). */
  start?: [number, number];
  /** Learning rate, > 0 (default 0.05). */
  lr?: number;
  /** Updates, an integer >= 1 (default 400). */
  steps?: number;
  /**
   * Clip the gradient to this L2 norm before each update (as `clipGradNorm` and PyTorch's
   * `clip_grad_norm_` do: g * min(1, clip / ||g||)); null for plain descent (the default).
   */
  clip?: number | null;
}

/** One descent run: the path and the numbers that tell the two runs apart. */
export interface CliffTrajectory {
  /** The clipping threshold used, or null. */
  clip: number | null;
  /** The learning rate used. */
  lr: number;
  /** w at steps 0..n (the start first): n + 1 points, fewer if the loss stopped being finite. */
  w: number[];
  /** b at the same points. */
  b: number[];
  /** Loss at the same points. */
  loss: number[];
  /** Gradient norm (before clipping) at the same points. */
  gradNorm: number[];
  /** Length of every update ||(w, b)_{k+1} - (w, b)_k||, one per step. */
  stepSizes: number[];
  /** The largest single update: the jump off the wall without clipping, at most lr * clip with it. */
  largestStep: number;
  /** The step (1-based) that made the largest update. */
  largestStepAt: number;
  /** Loss at the last point. */
  finalLoss: number;
}

function positive(v: number, name: string): number {
  if (!(Number.isFinite(v) && v > 0)) throw new ConfigError(`cliff: ${name} must be a number > 0, got ${v}`);
  return v;
}

/** Runs gradient descent with exact float64 gradients from `opts.start`. */
export function cliffDescent(opts: CliffDescentOptions = {}, net: OneUnitNet = {}): CliffTrajectory {
  const full = oneUnitNet(net);
  const [w0, b0] = opts.start ?? [6, -3];
  if (!(Number.isFinite(w0) && Number.isFinite(b0)))
    throw new ConfigError(`cliff: start must be two finite numbers w,b; got ${w0}, ${b0}`);
  const lr = positive(opts.lr ?? 0.05, 'lr');
  const steps = opts.steps ?? 400;
  if (!(Number.isInteger(steps) && steps >= 1))
    throw new ConfigError(`cliff: steps must be an integer >= 1, got ${steps}`);
  const clip = opts.clip === undefined || opts.clip === null ? null : positive(opts.clip, 'clip');
  let w = w0;
  let b = b0;
  let p = cliffPoint(w, b, full);
  const t: CliffTrajectory = {
    clip,
    lr,
    w: [w],
    b: [b],
    loss: [p.loss],
    gradNorm: [p.gradNorm],
    stepSizes: [],
    largestStep: 0,
    largestStepAt: 0,
    finalLoss: p.loss,
  };
  for (let k = 1; k <= steps && Number.isFinite(p.loss); k++) {
    const scale = lr * (clip !== null && p.gradNorm > clip ? clip / p.gradNorm : 1);
    const dw = scale * p.gw;
    const db = scale * p.gb;
    w -= dw;
    b -= db;
    const size = Math.hypot(dw, db);
    t.stepSizes.push(size);
    if (size > t.largestStep) {
      t.largestStep = size;
      t.largestStepAt = k;
    }
    p = cliffPoint(w, b, full);
    t.w.push(w);
    t.b.push(b);
    t.loss.push(p.loss);
    t.gradNorm.push(p.gradNorm);
  }
  t.finalLoss = p.loss;
  return t;
}
