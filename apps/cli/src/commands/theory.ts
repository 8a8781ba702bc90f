import { ACTIVATIONS, type ActivationKind, createBackend } from '@vgp/core';
import {
  backwardFactor,
  buildModel,
  criticalSigmaW,
  inputsAtQ,
  type MeanFieldPoint,
  meanField,
  predictedGradientRatio,
  stringifyJson,
} from '@vgp/nn';
import { InvalidArgumentError } from 'commander';
import { emit, type Io } from '../io.js';

/** Options of `vgp theory`. */
export interface TheoryOptions {
  activation: ActivationKind;
  sigmaW?: number;
  sigmaB: number;
  depth: number;
  critical?: boolean;
  measure?: boolean;
  width: number;
  seeds: number;
  json?: boolean;
  out?: string;
}

/** A commander parser for a finite number >= min, with a message that names the option. */
export function realAtLeast(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!(value.trim() !== '' && Number.isFinite(n) && n >= min)) {
      throw new InvalidArgumentError(`${name} must be a number >= ${min}, got '${value}'.`);
    }
    return n;
  };
}

/** A commander parser for an activation name. */
export function activationName(value: string): ActivationKind {
  if (!(ACTIVATIONS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`--activation must be one of ${ACTIVATIONS.join(', ')}, got '${value}'.`);
  }
  return value as ActivationKind;
}

/** ordered / edge of chaos / chaotic, from chi_1 (within 1e-6 of 1 counts as the edge). */
export function phaseOf(chi1: number): string {
  if (Math.abs(chi1 - 1) <= 1e-6) return 'edge of chaos';
  return chi1 < 1 ? 'ordered (gradients vanish)' : 'chaotic (gradients explode)';
}

/**
 * `vgp theory`: q*, chi_1, the depth scale and the predicted gradient ratio over the depth for one
 * activation and (sigma_w, sigma_b); `--critical` solves for sigma_w; `--measure` builds the net at
 * init on several seeds and fits the per-layer factor of ||dL/dh_l||^2 beside chi_1.
 */
export async function theoryCommand(io: Io, opts: TheoryOptions): Promise<number> {
  const { activation, sigmaB, depth } = opts;
  let sigmaW = opts.sigmaW;
  if (opts.critical) sigmaW = criticalSigmaW(activation, sigmaB);
  if (sigmaW === undefined) {
    io.err('vgp theory: give --sigma-w S, or --critical to solve for the edge of chaos\n');
    return 1;
  }
  const point = meanField({ activation, sigmaW, sigmaB });
  const ratio = predictedGradientRatio(point.chi1, depth);
  const measured = opts.measure ? await measure(point, depth, opts.width, opts.seeds) : null;
  if (opts.json) {
    emit(
      io,
      stringifyJson({ ...point, phase: phaseOf(point.chi1), depth, predictedGradientRatio: ratio, measured }),
      opts.out,
    );
    return 0;
  }
  const lines = [
    `${activation}, sigma_w = ${fmt(sigmaW)}${opts.critical ? ' (critical: chi_1 = 1)' : ''}, sigma_b = ${fmt(sigmaB)}`,
    `  q*      ${fmt(point.qStar).padEnd(12)}fixed point of q -> sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2`,
    `  chi_1   ${fmt(point.chi1).padEnd(12)}per-layer factor of ||dL/dh||^2: ${phaseOf(point.chi1)}`,
    `  xi      ${fmt(point.depthScale).padEnd(12)}layers over which ||dL/dh||^2 changes by a factor e`,
    `  ||dL/dh_1|| / ||dL/dh_${depth}|| predicted: ${fmt(ratio)}  (chi_1^((depth - 1) / 2))`,
  ];
  if (measured) {
    lines.push(
      `  measured per-layer factor at init (width ${opts.width}, ${opts.seeds} seeds, inputs at q*): mean ${fmt(measured.mean)}, per seed ${measured.perSeed.map(fmt).join(', ')}`,
    );
  }
  emit(io, lines.join('\n'), opts.out);
  return 0;
}

/** Inputs per measurement: each adds an independent draw of the backward signal to the fit. */
const MEASURE_BATCH = 64;

/** Seeds 1..n of the net at init on WASM: the fitted factor of each, and their mean. */
async function measure(point: MeanFieldPoint, depth: number, width: number, seeds: number) {
  const backend = await createBackend('wasm');
  const perSeed: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const model = buildModel(
      {
        kind: 'mlp',
        input: width,
        output: width,
        depth,
        width,
        activation: point.activation,
        init: { kind: 'varianceScaling', gain: point.sigmaW },
        biasStd: point.sigmaB,
      },
      { backend, seed },
    );
    const q = Number.isFinite(point.qStar) ? point.qStar : 1;
    perSeed.push(backwardFactor(model, inputsAtQ(point, q, MEASURE_BATCH, width, seed), seed).factor);
    model.dispose();
  }
  return {
    width,
    seeds,
    batch: MEASURE_BATCH,
    perSeed,
    mean: perSeed.reduce((s, v) => s + v, 0) / perSeed.length,
  };
}

/** 6 significant digits, as the numbers are compared with papers. */
export function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v);
}
