// Batch norm: statistics per column, over the rows of a row-major `rows x cols` x. Two passes in
// float64 (mean, then squared deviations) stay accurate when |mean| >> std, and the unrounded f64
// mean and 1/std are used for y, as the reference does. Rows are walked contiguously over blocks of
// columns whose sums live in the static scratch of columns.ts.
import { at, COL_BLOCK, colA, colB, get64, put, set64, zero64 } from './columns';

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
  const n = <f64>rows;
  for (let c0 = 0; c0 < cols; c0 += COL_BLOCK) {
    const cb = min(COL_BLOCK, cols - c0);
    zero64(colA, cb);
    zero64(colB, cb);
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      for (let j = 0; j < cb; j++) set64(colA, j, get64(colA, j) + at(x, o + j));
    }
    for (let j = 0; j < cb; j++) set64(colA, j, get64(colA, j) / n); // colA: mean
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      for (let j = 0; j < cb; j++) {
        const d = at(x, o + j) - get64(colA, j);
        set64(colB, j, get64(colB, j) + d * d);
      }
    }
    for (let j = 0; j < cb; j++) {
      const c = c0 + j;
      const mu = get64(colA, j);
      const v = get64(colB, j) / n;
      const inv = 1 / Math.sqrt(v + eps);
      set64(colB, j, inv); // colB: 1/std from here on
      put(mean, c, mu);
      put(invStd, c, inv);
      // PyTorch keeps the unbiased variance in the running estimate (Bessel's correction).
      const unbiased = (v * n) / <f64>(rows - 1);
      put(runningMean, c, (1 - momentum) * at(runningMean, c) + momentum * mu);
      put(runningVar, c, (1 - momentum) * at(runningVar, c) + momentum * unbiased);
    }
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      for (let j = 0; j < cb; j++) {
        const c = c0 + j;
        put(y, o + j, at(gamma, c) * (at(x, o + j) - get64(colA, j)) * get64(colB, j) + at(beta, c));
      }
    }
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
  for (let c0 = 0; c0 < cols; c0 += COL_BLOCK) {
    const cb = min(COL_BLOCK, cols - c0);
    for (let j = 0; j < cb; j++) set64(colB, j, 1 / Math.sqrt(at(runningVar, c0 + j) + eps));
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      for (let j = 0; j < cb; j++) {
        const c = c0 + j;
        put(y, o + j, at(gamma, c) * (at(x, o + j) - at(runningMean, c)) * get64(colB, j) + at(beta, c));
      }
    }
  }
}

/** dbeta = sum dy; dgamma = sum dy*xhat; dx = gamma*invStd/N * (N*dy - dbeta - xhat*dgamma). dx may alias dy. */
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
  const invN = 1 / n;
  for (let c0 = 0; c0 < cols; c0 += COL_BLOCK) {
    const cb = min(COL_BLOCK, cols - c0);
    zero64(colA, cb);
    zero64(colB, cb);
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      for (let j = 0; j < cb; j++) {
        const c = c0 + j;
        const d = at(dy, o + j);
        set64(colA, j, get64(colA, j) + d);
        set64(colB, j, get64(colB, j) + d * (at(x, o + j) - at(mean, c)) * at(invStd, c));
      }
    }
    for (let j = 0; j < cb; j++) {
      put(dbeta, c0 + j, get64(colA, j));
      put(dgamma, c0 + j, get64(colB, j));
    }
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      for (let j = 0; j < cb; j++) {
        const c = c0 + j;
        const inv = at(invStd, c);
        const xhat = (at(x, o + j) - at(mean, c)) * inv;
        const k = at(gamma, c) * inv * invN; // a multiply: a division per element costs ~4x more
        put(dx, o + j, k * (n * at(dy, o + j) - get64(colA, j) - xhat * get64(colB, j)));
      }
    }
  }
}
