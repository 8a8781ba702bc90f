import type { Floats } from '../backend.js';

/** Mean and biased variance of `count` values at `start`, `start + stride`, ... (two passes, float64). */
function meanVar(x: Floats, start: number, stride: number, count: number): [number, number] {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += x[start + i * stride];
  const mean = sum / count;
  let sq = 0;
  for (let i = 0; i < count; i++) {
    const d = x[start + i * stride] - mean;
    sq += d * d;
  }
  return [mean, sq / count];
}

export function batchNormForward(
  x: Floats,
  rows: number,
  cols: number,
  gamma: Floats,
  beta: Floats,
  eps: number,
  momentum: number,
  runningMean: Floats,
  runningVar: Floats,
  y: Floats,
  mean: Floats,
  invStd: Floats,
): void {
  for (let c = 0; c < cols; c++) {
    const [mu, variance] = meanVar(x, c, cols, rows);
    const inv = 1 / Math.sqrt(variance + eps);
    mean[c] = mu;
    invStd[c] = inv;
    for (let r = 0; r < rows; r++) {
      const i = r * cols + c;
      y[i] = gamma[c] * (x[i] - mu) * inv + beta[c];
    }
    // PyTorch keeps the unbiased variance in the running estimate (Bessel's correction).
    const unbiased = (variance * rows) / (rows - 1);
    runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mu;
    runningVar[c] = (1 - momentum) * runningVar[c] + momentum * unbiased;
  }
}

export function batchNormInference(
  x: Floats,
  rows: number,
  cols: number,
  gamma: Floats,
  beta: Floats,
  runningMean: Floats,
  runningVar: Floats,
  eps: number,
  y: Floats,
): void {
  for (let c = 0; c < cols; c++) {
    const inv = 1 / Math.sqrt(runningVar[c] + eps);
    for (let r = 0; r < rows; r++) {
      const i = r * cols + c;
      y[i] = gamma[c] * (x[i] - runningMean[c]) * inv + beta[c];
    }
  }
}

export function batchNormBackward(
  dy: Floats,
  x: Floats,
  rows: number,
  cols: number,
  gamma: Floats,
  mean: Floats,
  invStd: Floats,
  dx: Floats,
  dgamma: Floats,
  dbeta: Floats,
): void {
  const n = rows;
  for (let c = 0; c < cols; c++) {
    const mu = mean[c];
    const inv = invStd[c];
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let r = 0; r < n; r++) {
      const i = r * cols + c;
      sumDy += dy[i];
      sumDyXhat += dy[i] * (x[i] - mu) * inv;
    }
    dbeta[c] = sumDy;
    dgamma[c] = sumDyXhat;
    const k = (gamma[c] * inv) / n;
    for (let r = 0; r < n; r++) {
      const i = r * cols + c;
      const xhat = (x[i] - mu) * inv;
      dx[i] = k * (n * dy[i] - sumDy - xhat * sumDyXhat);
    }
  }
}

export function layerNormForward(
  x: Floats,
  rows: number,
  cols: number,
  gamma: Floats,
  beta: Floats,
  eps: number,
  y: Floats,
  mean: Floats,
  invStd: Floats,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const [mu, variance] = meanVar(x, o, 1, cols);
    const inv = 1 / Math.sqrt(variance + eps);
    mean[r] = mu;
    invStd[r] = inv;
    for (let c = 0; c < cols; c++) y[o + c] = gamma[c] * (x[o + c] - mu) * inv + beta[c];
  }
}

export function layerNormBackward(
  dy: Floats,
  x: Floats,
  rows: number,
  cols: number,
  gamma: Floats,
  mean: Floats,
  invStd: Floats,
  dx: Floats,
  dgamma: Floats,
  dbeta: Floats,
): void {
  const d = cols;
  // dgamma and dbeta sum over rows; accumulate them in float64 before the one store.
  const sumDyXhat = new Float64Array(cols);
  const sumDy = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const mu = mean[r];
    const inv = invStd[r];
    let sumG = 0;
    let sumGXhat = 0;
    for (let c = 0; c < cols; c++) {
      const xhat = (x[o + c] - mu) * inv;
      const g = dy[o + c] * gamma[c];
      sumG += g;
      sumGXhat += g * xhat;
      sumDyXhat[c] += dy[o + c] * xhat;
      sumDy[c] += dy[o + c];
    }
    for (let c = 0; c < cols; c++) {
      const xhat = (x[o + c] - mu) * inv;
      const g = dy[o + c] * gamma[c];
      dx[o + c] = (inv / d) * (d * g - sumG - xhat * sumGXhat);
    }
  }
  for (let c = 0; c < cols; c++) {
    dgamma[c] = sumDyXhat[c];
    dbeta[c] = sumDy[c];
  }
}
