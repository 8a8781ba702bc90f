import { type ActivationKind, createBackend } from '@vgp/core';
import {
  buildModel,
  criticalSigmaW,
  jacobianSpectrum,
  meanField,
  NEAR_ONE,
  Rng,
  type SpectrumSummary,
  stringifyJson,
} from '@vgp/nn';
import { emit, type Io } from '../io.js';
import { fmt, phaseOf } from './theory.js';

/** Options of `vgp spectrum`. */
export interface SpectrumOptions {
  activation: ActivationKind;
  init: 'orthogonal' | 'normal';
  sigmaW?: number;
  sigmaB: number;
  depth: number;
  width: number;
  seed: number;
  inputVariance: number;
  inputs: number;
  backend: 'wasm' | 'ts';
  json?: boolean;
  out?: string;
}

/**
 * `vgp spectrum`: builds a width x width mlp of `depth` hidden layers at init (orthogonal or Gaussian
 * weights scaled by sigma_w, biases N(0, sigma_b^2)), takes the exact input-output Jacobian at
 * `inputs` Gaussian inputs of per-unit variance `inputVariance`, and prints its singular-value
 * distribution beside the theory's chi_1. sigma_w defaults to the edge of chaos for the activation and sigma_b.
 */
export async function spectrumCommand(io: Io, opts: SpectrumOptions): Promise<number> {
  const { activation, sigmaB, depth, width } = opts;
  const sigmaW = opts.sigmaW ?? criticalSigmaW(activation, sigmaB);
  const theory = meanField({ activation, sigmaW, sigmaB });
  const backend =
    opts.backend === 'ts' ? await createBackend('ts', { precision: 'f64' }) : await createBackend('wasm');
  const kind = opts.init === 'orthogonal' ? 'orthogonal' : 'varianceScaling';
  const model = buildModel(
    {
      kind: 'mlp',
      input: width,
      output: width,
      depth,
      width,
      activation,
      init: { kind, gain: sigmaW },
      biasStd: sigmaB,
    },
    { backend, seed: opts.seed },
  );
  const rng = new Rng(opts.seed).fork('inputs');
  const scale = Math.sqrt(opts.inputVariance);
  const inputs = Array.from({ length: opts.inputs }, () =>
    Float64Array.from({ length: width }, () => scale * rng.normal()),
  );
  let summary: SpectrumSummary;
  try {
    summary = (await jacobianSpectrum(model, inputs)).summary;
  } finally {
    model.dispose();
  }
  const config = { activation, init: opts.init, sigmaW, sigmaB, depth, width, seed: opts.seed };
  if (opts.json) {
    emit(
      io,
      stringifyJson({
        ...config,
        inputVariance: opts.inputVariance,
        inputs: opts.inputs,
        chi1: theory.chi1,
        qStar: theory.qStar,
        nearOne: NEAR_ONE,
        ...summary,
      }),
      opts.out,
    );
    return 0;
  }
  const [lo, hi] = NEAR_ONE;
  emit(
    io,
    [
      `Jacobian of a ${depth}-layer ${activation} net, width ${width}, ${opts.init} weights, sigma_w = ${fmt(sigmaW)}, sigma_b = ${fmt(sigmaB)}, seed ${opts.seed}`,
      `  ${summary.count} singular values at ${opts.inputs} input(s) of per-unit variance ${fmt(opts.inputVariance)}`,
      `  quantiles  ${summary.quantiles.map(({ q, value }) => `${q * 100}%: ${fmt(value)}`).join('  ')}`,
      `  in [${lo}, ${hi}]  ${fmt(summary.fractionNearOne * 100)}%`,
      `  max/min    ${fmt(summary.maxOverMin)}`,
      `  theory     chi_1 = ${fmt(theory.chi1)} (${phaseOf(theory.chi1)}), q* = ${fmt(theory.qStar)}`,
    ].join('\n'),
    opts.out,
  );
  return 0;
}
