// Losses fused with their gradient: one pass reads the prediction once and writes the gradient.
// Sums run in float64 so the loss of a large batch is not dominated by rounding.
import { sigmoid64 } from './math';

export function mseLoss(pred: usize, target: usize, grad: usize, n: i32): f64 {
  let sum: f64 = 0;
  const k = 2 / <f64>n;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const d = <f64>load<f32>(pred + o) - <f64>load<f32>(target + o);
    sum += d * d;
    store<f32>(grad + o, <f32>(k * d));
  }
  return sum / <f64>n;
}

/** Log-sum-exp per row (max subtracted, every exponent <= 0); grad = (softmax - t)/rows. */
export function softmaxCrossEntropy(logits: usize, target: usize, rows: i32, cols: i32, grad: usize): f64 {
  let loss: f64 = 0;
  const invRows = 1 / <f64>rows;
  for (let r = 0; r < rows; r++) {
    const base = (<usize>r * <usize>cols) << 2;
    let m: f64 = -Infinity;
    for (let c = 0; c < cols; c++) m = max(m, <f64>load<f32>(logits + base + ((<usize>c) << 2)));
    let s: f64 = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(<f64>load<f32>(logits + base + ((<usize>c) << 2)) - m);
    const lse = m + Math.log(s);
    for (let c = 0; c < cols; c++) {
      const o = base + ((<usize>c) << 2);
      const logP = <f64>load<f32>(logits + o) - lse;
      const t = <f64>load<f32>(target + o);
      loss -= t * logP;
      store<f32>(grad + o, <f32>((Math.exp(logP) - t) * invRows));
    }
  }
  return loss * invRows;
}

/** max(z,0) - z*t + log1p(e^-|z|) is the cross-entropy of sigmoid(z) without overflow. */
export function bceWithLogits(logits: usize, target: usize, grad: usize, n: i32): f64 {
  let loss: f64 = 0;
  const invN = 1 / <f64>n;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const z = <f64>load<f32>(logits + o);
    const t = <f64>load<f32>(target + o);
    loss += max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
    store<f32>(grad + o, <f32>((sigmoid64(z) - t) * invN));
  }
  return loss * invN;
}
