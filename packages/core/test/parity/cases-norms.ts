import type { Backend, Buf } from '../../src/backend.js';
import { type Case, type Kit, SHAPES, U32 } from './helpers.js';
import type { KernelCases } from './table-types.js';

const EPS = Math.fround(1e-5);
const MOMENTUM = Math.fround(0.1);
/** Batch norm in training needs two rows (the running variance divides by rows - 1, as PyTorch refuses batch 1). */
const BN_SHAPES = SHAPES.map(([r, c]): [number, number] => [Math.max(r, 2), c]);

/**
 * Statistics are sums over the normalized axis (n terms: ~n*U32 when accumulated in f32), and
 * y = gamma*(x - mean)*invStd + beta adds a few roundings; compared normwise per output.
 */
const statTol = (n: number) => (n + 32) * U32;

interface Norm {
  x: Buf;
  gamma: Buf;
  beta: Buf;
}

/** x with a non-zero mean (offset 3) so a kernel that forgets to centre shows; gamma, beta random. */
function normInputs(k: Kit, rows: number, cols: number, paramLen: number): Norm {
  return {
    x: k.buf(k.rng.normals(rows * cols, 2, 3)),
    gamma: k.buf(k.rng.normals(paramLen, 1, 1)),
    beta: k.buf(k.rng.normals(paramLen)),
  };
}

function bnForward(k: Kit, rows: number, cols: number) {
  const { x, gamma, beta } = normInputs(k, rows, cols, cols);
  const runningMean = k.buf(k.rng.normals(cols));
  const runningVar = k.buf(k.rng.uniforms(cols, 0.5, 2));
  const y = k.poisoned(rows * cols);
  const mean = k.poisoned(cols);
  const invStd = k.poisoned(cols);
  k.be.batchNormForward(x, rows, cols, gamma, beta, EPS, MOMENTUM, runningMean, runningVar, y, mean, invStd);
  return { x, gamma, y, mean, invStd, runningMean, runningVar };
}

function lnForward(k: Kit, rows: number, cols: number) {
  const { x, gamma, beta } = normInputs(k, rows, cols, cols);
  const y = k.poisoned(rows * cols);
  const mean = k.poisoned(rows);
  const invStd = k.poisoned(rows);
  k.be.layerNormForward(x, rows, cols, gamma, beta, EPS, y, mean, invStd);
  return { x, gamma, y, mean, invStd };
}

/**
 * The magnitude of the terms of dx = gamma*invStd/N * (N*dy - sum dy - xhat * sum dy*xhat), largest
 * over the buffer, with xhat = (x - mean)*invStd measured by its operands, (|x| + |mean|)*invStd.
 * Those terms cancel (exactly, when N = 2 and eps = 0), and x - mean cancels when rows are close,
 * so dx is compared with the operands' size as the floor: the scale at which f32 rounding shows
 * (Higham's rule: a sum's error is bounded by the sum of its terms' magnitudes).
 * `rowwise` picks the axis the statistics run over (layer norm: rows; batch norm: columns).
 */
function dxScale(
  k: Kit,
  b: Record<'x' | 'dy' | 'gamma' | 'mean' | 'invStd', Buf>,
  rows: number,
  cols: number,
  rowwise: boolean,
) {
  const [x, dy, gamma, mean, invStd] = [b.x, b.dy, b.gamma, b.mean, b.invStd].map((v) => k.read(v));
  const groups = rowwise ? rows : cols;
  const n = rowwise ? cols : rows;
  const at = (g: number, j: number) => (rowwise ? g * cols + j : j * cols + g);
  let worst = 0;
  for (let g = 0; g < groups; g++) {
    let sumDy = 0;
    let sumDyXhat = 0;
    let gmax = 0;
    for (let j = 0; j < n; j++) {
      const i = at(g, j);
      const gi = rowwise ? Math.abs(gamma[j]) : 1;
      sumDy += gi * Math.abs(dy[i]);
      sumDyXhat += gi * Math.abs(dy[i]) * (Math.abs(x[i]) + Math.abs(mean[g])) * invStd[g];
      gmax = Math.max(gmax, gi * Math.abs(dy[i]));
    }
    const gs = rowwise ? 1 : Math.abs(gamma[g]);
    for (let j = 0; j < n; j++) {
      const xhat = (Math.abs(x[at(g, j)]) + Math.abs(mean[g])) * invStd[g];
      worst = Math.max(worst, ((gs * invStd[g]) / n) * (n * gmax + sumDy + xhat * sumDyXhat));
    }
  }
  return worst;
}

const reads = (be: Backend, bufs: Record<string, Buf>) =>
  Object.fromEntries(Object.entries(bufs).map(([name, b]) => [name, be.read(b)]));

export const normCases = {
  batchNormForward: BN_SHAPES.map(
    ([rows, cols]): Case => ({
      name: `rows=${rows} cols=${cols}`,
      tol: statTol(rows),
      run: (k) => {
        const { y, mean, invStd, runningMean, runningVar } = bnForward(k, rows, cols);
        return reads(k.be, { y, mean, invStd, runningMean, runningVar });
      },
    }),
  ),
  batchNormInference: SHAPES.map(
    ([rows, cols]): Case => ({
      name: `rows=${rows} cols=${cols}`,
      tol: 16 * U32, // no sums: a few roundings per element
      run: (k) => {
        const { x, gamma, beta } = normInputs(k, rows, cols, cols);
        const y = k.poisoned(rows * cols);
        const rm = k.buf(k.rng.normals(cols, 1, 3));
        const rv = k.buf(k.rng.uniforms(cols, 0.5, 5));
        k.be.batchNormInference(x, rows, cols, gamma, beta, rm, rv, EPS, y);
        return { y: k.read(y) };
      },
    }),
  ),
  batchNormBackward: BN_SHAPES.map(
    ([rows, cols]): Case => ({
      name: `rows=${rows} cols=${cols}`,
      // Sums over rows, then N*dy - dbeta - xhat*dgamma cancels: normwise, rows-term sums twice over.
      tol: 2 * statTol(rows),
      run: (k) => {
        const { x, gamma, mean, invStd } = bnForward(k, rows, cols);
        const dx = k.poisoned(rows * cols);
        const dgamma = k.poisoned(cols);
        const dbeta = k.poisoned(cols);
        const dy = k.buf(k.rng.normals(rows * cols));
        k.be.batchNormBackward(dy, x, rows, cols, gamma, mean, invStd, dx, dgamma, dbeta);
        const floor = dxScale(k, { x, dy, gamma, mean, invStd }, rows, cols, false);
        return { ...reads(k.be, { dgamma, dbeta }), dx: { v: k.read(dx), floor } };
      },
    }),
  ),
  layerNormForward: SHAPES.map(
    ([rows, cols]): Case => ({
      name: `rows=${rows} cols=${cols}`,
      tol: statTol(cols),
      run: (k) => {
        const { y, mean, invStd } = lnForward(k, rows, cols);
        return reads(k.be, { y, mean, invStd });
      },
    }),
  ),
  layerNormBackward: SHAPES.map(
    ([rows, cols]): Case => ({
      name: `rows=${rows} cols=${cols}`,
      // As batch norm's backward, with sums over cols for dx and over rows for dgamma, dbeta.
      tol: 2 * statTol(Math.max(rows, cols)),
      run: (k) => {
        const { x, gamma, mean, invStd } = lnForward(k, rows, cols);
        const dx = k.poisoned(rows * cols);
        const dgamma = k.poisoned(cols);
        const dbeta = k.poisoned(cols);
        const dy = k.buf(k.rng.normals(rows * cols));
        k.be.layerNormBackward(dy, x, rows, cols, gamma, mean, invStd, dx, dgamma, dbeta);
        const floor = dxScale(k, { x, dy, gamma, mean, invStd }, rows, cols, true);
        return { ...reads(k.be, { dgamma, dbeta }), dx: { v: k.read(dx), floor } };
      },
    }),
  ),
} satisfies KernelCases;
