import type { Floats } from '../backend.js';
import { sigmoid } from './activations.js';

export function mseLoss(pred: Floats, target: Floats, grad: Floats): number {
  const n = pred.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = pred[i] - target[i];
    sum += d * d;
    grad[i] = (2 * d) / n;
  }
  return sum / n;
}

export function softmaxCrossEntropy(
  logits: Floats,
  target: Floats,
  rows: number,
  cols: number,
  grad: Floats,
): number {
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, logits[o + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(logits[o + c] - max);
    // log-sum-exp: log sum e^z = max + log sum e^(z - max), every exponent <= 0.
    const lse = max + Math.log(sum);
    for (let c = 0; c < cols; c++) {
      const logP = logits[o + c] - lse;
      loss -= target[o + c] * logP;
      grad[o + c] = (Math.exp(logP) - target[o + c]) / rows;
    }
  }
  return loss / rows;
}

export function bceWithLogits(logits: Floats, target: Floats, grad: Floats): number {
  const n = logits.length;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const z = logits[i];
    const t = target[i];
    // max(z,0) - z*t + log(1+e^-|z|) equals -t*log(s(z)) - (1-t)*log(1-s(z)) without overflow.
    loss += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
    grad[i] = (sigmoid(z) - t) / n;
  }
  return loss / n;
}
