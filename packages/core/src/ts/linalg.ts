import type { Floats } from '../backend.js';

/**
 * C = alpha * op(A) * op(B) + beta * C. Each op is read through a pair of strides, so the four
 * transpose cases are one loop. The loop order i, p, j walks B and the accumulator row by row;
 * the row accumulates in float64 so the f32 backend rounds once per output, not once per term.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Floats,
  b: Floats,
  beta: number,
  c: Floats,
): void {
  // op(A)[i, p] = a[i * aRow + p * aCol]; op(B)[p, j] = b[p * bRow + j * bCol].
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = a[i * aRow + p * aCol];
      const bp = p * bRow;
      for (let j = 0; j < n; j++) acc[j] += aip * b[bp + j * bCol];
    }
    for (let j = 0; j < n; j++) {
      // beta = 0 ignores C's old contents, even NaN, as BLAS does.
      c[i * n + j] = beta === 0 ? alpha * acc[j] : alpha * acc[j] + beta * c[i * n + j];
    }
  }
}

export function biasAdd(y: Floats, bias: Floats, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) y[r * cols + c] += bias[c];
  }
}

export function biasGrad(dy: Floats, rows: number, cols: number, beta: number, dbias: Floats): void {
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += dy[r * cols + c];
    // As in gemm, beta = 0 overwrites without reading the old value.
    dbias[c] = beta === 0 ? s : beta * dbias[c] + s;
  }
}
