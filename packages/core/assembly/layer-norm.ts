// Layer norm: statistics per row, over the columns of a row-major `rows x cols` x (contiguous), in
// float64 with two passes, as batch-norm.ts. dgamma and dbeta sum down columns: their pass walks the
// rows contiguously into the static scratch of columns.ts.
import { at, COL_BLOCK, colA, colB, get64, put, set64, zero64 } from './columns';

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
  const d = <f64>cols;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s: f64 = 0;
    for (let c = 0; c < cols; c++) s += at(x, o + c);
    const mu = s / d;
    let sq: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const e = at(x, o + c) - mu;
      sq += e * e;
    }
    const inv = 1 / Math.sqrt(sq / d + eps);
    put(mean, r, mu);
    put(invStd, r, inv);
    for (let c = 0; c < cols; c++) put(y, o + c, at(gamma, c) * (at(x, o + c) - mu) * inv + at(beta, c));
  }
}

/**
 * With g = dy*gamma per row: dx = invStd/D * (D*g - sum g - xhat*sum(g*xhat)); dgamma = sum_r dy*xhat,
 * dbeta = sum_r dy. The column sums run first, so dx may alias dy.
 */
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
  for (let c0 = 0; c0 < cols; c0 += COL_BLOCK) {
    const cb = min(COL_BLOCK, cols - c0);
    zero64(colA, cb);
    zero64(colB, cb);
    for (let r = 0; r < rows; r++) {
      const o = r * cols + c0;
      const mu = at(mean, r);
      const inv = at(invStd, r);
      for (let j = 0; j < cb; j++) {
        const g = at(dy, o + j);
        set64(colA, j, get64(colA, j) + g);
        set64(colB, j, get64(colB, j) + g * (at(x, o + j) - mu) * inv);
      }
    }
    for (let j = 0; j < cb; j++) {
      put(dbeta, c0 + j, get64(colA, j));
      put(dgamma, c0 + j, get64(colB, j));
    }
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
    const k = inv / d; // hoisted: neither binaryen nor V8 moves a division out of the loop
    for (let c = 0; c < cols; c++) {
      const xhat = (at(x, o + c) - mu) * inv;
      put(dx, o + c, k * (d * at(dy, o + c) * at(gamma, c) - sumG - xhat * sumGXhat));
    }
  }
}
