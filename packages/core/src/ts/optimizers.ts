import type { Floats } from '../backend.js';

// In order of increasing complexity; each follows torch.optim's update rule for one element.

export function sgdStep(w: Floats, g: Floats, lr: number, weightDecay: number): void {
  for (let i = 0; i < w.length; i++) w[i] -= lr * (g[i] + weightDecay * w[i]);
}

export function momentumStep(
  w: Floats,
  g: Floats,
  v: Floats,
  lr: number,
  momentum: number,
  weightDecay: number,
  nesterov: boolean,
): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] + weightDecay * w[i];
    const vi = momentum * v[i] + gi;
    v[i] = vi;
    w[i] -= lr * (nesterov ? gi + momentum * vi : vi);
  }
}

export function rmspropStep(
  w: Floats,
  g: Floats,
  sq: Floats,
  lr: number,
  alpha: number,
  eps: number,
  weightDecay: number,
): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] + weightDecay * w[i];
    const s = alpha * sq[i] + (1 - alpha) * gi * gi;
    sq[i] = s;
    w[i] -= (lr * gi) / (Math.sqrt(s) + eps);
  }
}

export function adamStep(
  w: Floats,
  g: Floats,
  m: Floats,
  v: Floats,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  weightDecay: number,
  step: number,
  decoupled: boolean,
): void {
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  for (let i = 0; i < w.length; i++) {
    let wi = w[i];
    let gi = g[i];
    // AdamW decays the weight directly; Adam folds the decay into the gradient (L2).
    if (decoupled) wi *= 1 - lr * weightDecay;
    else gi += weightDecay * wi;
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] = wi - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
  }
}
