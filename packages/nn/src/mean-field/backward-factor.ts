import { ConfigError } from '@vgp/core';
import { Activation } from '../layers/activation.js';
import { Rng } from '../rng.js';
import { Tensor } from '../tensor.js';
import type { Model } from '../training/build-model.js';
import { applyActivation, type MeanFieldInit } from './theory.js';

/** The measured per-layer factor of the squared backward signal, beside which chi_1 is the theory. */
export interface BackwardFactor {
  /** ||dL/dh_l||^2 summed over the batch, for the pre-activations h_1..h_depth (input side first). */
  squaredNorms: number[];
  /**
   * exp(-slope) of the least-squares line through ln ||dL/dh_l||^2 against l: the factor by which one
   * layer down multiplies the squared backward signal, fitted over every hidden layer.
   */
  factor: number;
}

/**
 * Measures the per-layer factor of ||dL/dh_l||^2 on an mlp at its current weights (at initialization,
 * the quantity chi_1 predicts): one forward of `inputs` ([batch, input], row-major) in inference mode,
 * one backward from a Gaussian output gradient drawn from `seed`, then the squared norm of the gradient
 * at each activation's input (the pre-activation h_l). Overwrites the parameters' gradients.
 */
export function backwardFactor(model: Model, inputs: ArrayLike<number>, seed: number): BackwardFactor {
  if (model.spec.kind !== 'mlp') {
    throw new ConfigError(`backwardFactor takes an mlp model; this one is ${model.spec.kind}`);
  }
  const { input, output } = model.spec;
  if (inputs.length === 0 || inputs.length % input !== 0) {
    throw new ConfigError(
      `backwardFactor: inputs hold ${inputs.length} values, not a whole number of ${input}-feature rows`,
    );
  }
  const batch = inputs.length / input;
  const activations = model.layers().filter((l): l is Activation => l instanceof Activation);
  if (activations.length < 2) {
    throw new ConfigError('backwardFactor needs at least 2 hidden layers to fit a per-layer factor');
  }
  const backend = model.backend;
  const x = Tensor.from(backend, [batch, input], inputs);
  const rng = new Rng(seed);
  const dy = Tensor.from(
    backend,
    [batch, output],
    Float64Array.from({ length: batch * output }, () => rng.normal()),
  );
  try {
    model.forward(x, { training: false });
    model.backward(dy);
    const squaredNorms = activations.map((a) => {
      const g = (a.inputGrad as Tensor).read();
      let s = 0;
      for (let i = 0; i < g.length; i++) s += g[i] * g[i];
      return s;
    });
    return { squaredNorms, factor: Math.exp(-slope(squaredNorms.map(Math.log))) };
  } finally {
    x.dispose();
    dy.dispose();
  }
}

/** Least-squares slope of y against 1..n. */
function slope(y: readonly number[]): number {
  const n = y.length;
  const mx = (n + 1) / 2;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i + 1 - mx) * (y[i] - my);
    den += (i + 1 - mx) ** 2;
  }
  return num / den;
}

/**
 * `rows` inputs of `features` values phi(sqrt(q) z), z ~ N(0, 1) from `seed`: fed to a Dense layer with
 * weights N(0, sigma_w^2 / fan_in) and biases N(0, sigma_b^2), they give pre-activations of variance
 * sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2, which is q itself when q = q*: the net starts at its fixed point.
 */
export function inputsAtQ(
  init: MeanFieldInit,
  q: number,
  rows: number,
  features: number,
  seed: number,
): Float64Array {
  if (!(Number.isFinite(q) && q >= 0))
    throw new ConfigError(`inputsAtQ: q must be finite and >= 0, got ${q}`);
  const rng = new Rng(seed);
  const s = Math.sqrt(q);
  return applyActivation(
    init.activation,
    Float64Array.from({ length: rows * features }, () => s * rng.normal()),
    init.alpha,
  );
}
