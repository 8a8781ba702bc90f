// Batch norm (statistics per column, over rows) and layer norm (per row, over columns).
// Statistics use two passes in float64 (mean, then squared deviations), which stays accurate when
// |mean| >> std, and the unrounded float64 mean and 1/std are used for y, as the reference does.

function at(p: usize, i: i32): f64 {
  return <f64>load<f32>(p + ((<usize>i) << 2));
}

function put(p: usize, i: i32, v: f64): void {
  store<f32>(p + ((<usize>i) << 2), <f32>v);
}

/** Biased variance of `count` values at x[start], x[start + stride], ... around `mean`. */
function variance(x: usize, start: i32, stride: i32, count: i32, mean: f64): f64 {
  let sq: f64 = 0;
  for (let k = 0, i = start; k < count; k++, i += stride) {
    const d = at(x, i) - mean;
    sq += d * d;
  }
  return sq / <f64>count;
}

function average(x: usize, start: i32, stride: i32, count: i32): f64 {
  let s: f64 = 0;
  for (let k = 0, i = start; k < count; k++, i += stride) s += at(x, i);
  return s / <f64>count;
}

export function batchNormForward(
  x: usize,
  rows: i32,
  cols: i32,
  gamma: usize,
  beta: usize,
  eps: f64,
  momentum: f64,
  runningMean: usize,
  runningVar: usize,
  y: usize,
  mean: usize,
  invStd: usize,
): void {
  for (let c = 0; c < cols; c++) {
    const mu = average(x, c, cols, rows);
    const v = variance(x, c, cols, rows, mu);
    const inv = 1 / Math.sqrt(v + eps);
    put(mean, c, mu);
    put(invStd, c, inv);
    const g = at(gamma, c);
    const b = at(beta, c);
    for (let r = 0, i = c; r < rows; r++, i += cols) put(y, i, g * (at(x, i) - mu) * inv + b);
    // PyTorch keeps the unbiased variance in the running estimate (Bessel's correction).
    const unbiased = (v * <f64>rows) / <f64>(rows - 1);
    put(runningMean, c, (1 - momentum) * at(runningMean, c) + momentum * mu);
    put(runningVar, c, (1 - momentum) * at(runningVar, c) + momentum * unbiased);
  }
}

export function batchNormInference(
  x: usize,
  rows: i32,
  cols: i32,
  gamma: usize,
  beta: usize,
  runningMean: usize,
  runningVar: usize,
  eps: f64,
  y: usize,
): void {
  for (let c = 0; c < cols; c++) {
    const inv = 1 / Math.sqrt(at(runningVar, c) + eps);
    const mu = at(runningMean, c);
    const g = at(gamma, c);
    const b = at(beta, c);
    for (let r = 0, i = c; r < rows; r++, i += cols) put(y, i, g * (at(x, i) - mu) * inv + b);
  }
}

export function batchNormBackward(
  dy: usize,
  x: usize,
  rows: i32,
  cols: i32,
  gamma: usize,
  mean: usize,
  invStd: usize,
  dx: usize,
  dgamma: usize,
  dbeta: usize,
): void {
  const n = <f64>rows;
  for (let c = 0; c < cols; c++) {
    const mu = at(mean, c);
    const inv = at(invStd, c);
    let sumDy: f64 = 0;
    let sumDyXhat: f64 = 0;
    for (let r = 0, i = c; r < rows; r++, i += cols) {
      const d = at(dy, i);
      sumDy += d;
      sumDyXhat += d * (at(x, i) - mu) * inv;
    }
    put(dbeta, c, sumDy);
    put(dgamma, c, sumDyXhat);
    const k = (at(gamma, c) * inv) / n;
    for (let r = 0, i = c; r < rows; r++, i += cols) {
      const xhat = (at(x, i) - mu) * inv;
      put(dx, i, k * (n * at(dy, i) - sumDy - xhat * sumDyXhat));
    }
  }
}

export function layerNormForward(
  x: usize,
  rows: i32,
  cols: i32,
  gamma: usize,
  beta: usize,
  eps: f64,
  y: usize,
  mean: usize,
  invStd: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const mu = average(x, o, 1, cols);
    const inv = 1 / Math.sqrt(variance(x, o, 1, cols, mu) + eps);
    put(mean, r, mu);
    put(invStd, r, inv);
    for (let c = 0; c < cols; c++) put(y, o + c, at(gamma, c) * (at(x, o + c) - mu) * inv + at(beta, c));
  }
}

export function layerNormBackward(
  dy: usize,
  x: usize,
  rows: i32,
  cols: i32,
  gamma: usize,
  mean: usize,
  invStd: usize,
  dx: usize,
  dgamma: usize,
  dbeta: usize,
): void {
  // dgamma and dbeta sum down each column in float64: a column-wise pass needs no scratch memory
  // (kernels never allocate). It runs first so that dx may alias dy.
  for (let c = 0; c < cols; c++) {
    let sumDy: f64 = 0;
    let sumDyXhat: f64 = 0;
    for (let r = 0, i = c; r < rows; r++, i += cols) {
      const g = at(dy, i);
      sumDy += g;
      sumDyXhat += g * (at(x, i) - at(mean, r)) * at(invStd, r);
    }
    put(dgamma, c, sumDyXhat);
    put(dbeta, c, sumDy);
  }
  const d = <f64>cols;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const mu = at(mean, r);
    const inv = at(invStd, r);
    let sumG: f64 = 0;
    let sumGXhat: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const g = at(dy, o + c) * at(gamma, c);
      sumG += g;
      sumGXhat += g * (at(x, o + c) - mu) * inv;
    }
    for (let c = 0; c < cols; c++) {
      const xhat = (at(x, o + c) - mu) * inv;
      put(dx, o + c, (inv / d) * (d * at(dy, o + c) * at(gamma, c) - sumG - xhat * sumGXhat));
    }
  }
}
