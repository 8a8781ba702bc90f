import { ConfigError, ShapeError } from '@vgp/core';
import { loadMatrix } from '../libraries.js';
import { Tensor } from '../tensor.js';
import type { Model } from '../training/build-model.js';

/** The singular values of an mlp's input-output Jacobian at some inputs, pooled and per input. */
export interface JacobianSpectrum {
  /** Every singular value of every input's Jacobian, descending. */
  singularValues: number[];
  /** Each input's singular values (min(output, input) of them), descending. */
  perInput: number[][];
  /** Figures computed once from `singularValues`. */
  summary: SpectrumSummary;
}

/** The figures every view of a spectrum reads (CLI table, JSON, playground). */
export interface SpectrumSummary {
  /** How many singular values. */
  count: number;
  /** Quantiles 0, 5, 25, 50, 75, 95, 100 %, by linear interpolation between sorted values. */
  quantiles: { q: number; value: number }[];
  /** Share of singular values in [0.5, 2]: near-isometry within a factor of 2 (the dynamical-isometry test). */
  fractionNearOne: number;
  /** The largest singular value over the smallest (Infinity when the smallest is 0). */
  maxOverMin: number;
  /** Mean of the squared singular values, ||J||_F^2 / count: the average squared gain of a direction. */
  meanSquare: number;
}

/** The band `fractionNearOne` counts: [0.5, 2]. */
export const NEAR_ONE: readonly [number, number] = [0.5, 2];
const QUANTILES = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1];

/**
 * The exact input-output Jacobian J = dy/dx of an mlp `model` at each of `inputs`, and its singular
 * values (SVD from ml-matrix). For one input x the batch holds `output` copies of x and the backward pass
 * starts from the identity (row k of dL/dy is e_k), so row k of the input gradient is dy_k/dx: one
 * batched forward and backward per input gives the whole Jacobian. Runs in inference mode (dropout off,
 * batch norm on running statistics). Like any backward, it overwrites the parameters' gradients. Async
 * because ml-matrix loads on the first call.
 */
export async function jacobianSpectrum(
  model: Model,
  inputs: readonly ArrayLike<number>[],
): Promise<JacobianSpectrum> {
  if (model.spec.kind !== 'mlp') {
    throw new ConfigError(`jacobianSpectrum takes an mlp model; this one is ${model.spec.kind}`);
  }
  if (inputs.length === 0) throw new ConfigError('jacobianSpectrum needs at least one input');
  const { Matrix, SVD } = await loadMatrix();
  const { input: n, output: m } = model.spec;
  const backend = model.backend;
  const x = Tensor.zeros(backend, [m, n]);
  const eye = Tensor.zeros(backend, [m, m]);
  try {
    const identity = new Float64Array(m * m);
    for (let k = 0; k < m; k++) identity[k * m + k] = 1;
    backend.write(eye.buf, identity);
    const perInput = inputs.map((row, i) => {
      if (row.length !== n) {
        throw new ShapeError(`jacobianSpectrum: input ${i} has ${row.length} features, the model takes ${n}`);
      }
      const copies = new Float64Array(m * n);
      for (let k = 0; k < m; k++) for (let j = 0; j < n; j++) copies[k * n + j] = row[j];
      backend.write(x.buf, copies);
      model.forward(x, { training: false });
      const jac = model.backward(eye).read();
      const rows = Array.from({ length: m }, (_, k) => Array.from(jac.subarray(k * n, (k + 1) * n)));
      const svd = new SVD(new Matrix(rows), {
        computeLeftSingularVectors: false,
        computeRightSingularVectors: false,
        autoTranspose: true,
      });
      return [...svd.diagonal].sort((a, b) => b - a);
    });
    const singularValues = perInput.flat().sort((a, b) => b - a);
    return { singularValues, perInput, summary: summarizeSpectrum(singularValues) };
  } finally {
    x.dispose();
    eye.dispose();
  }
}

/** Quantiles, the share in [0.5, 2], max/min and mean square of a list of singular values. */
export function summarizeSpectrum(values: readonly number[]): SpectrumSummary {
  if (values.length === 0) throw new ConfigError('summarizeSpectrum needs at least one singular value');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    const pos = q * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  };
  const near = sorted.filter((s) => s >= NEAR_ONE[0] && s <= NEAR_ONE[1]).length;
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  return {
    count: sorted.length,
    quantiles: QUANTILES.map((q) => ({ q, value: at(q) })),
    fractionNearOne: near / sorted.length,
    maxOverMin: min === 0 ? Number.POSITIVE_INFINITY : max / min,
    meanSquare: sorted.reduce((s, v) => s + v * v, 0) / sorted.length,
  };
}
