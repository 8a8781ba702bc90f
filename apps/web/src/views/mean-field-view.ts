/**
 * What the phase-diagram view computes, apart from drawing: the chi_1 grid over the
 * (sigma_w^2, sigma_b^2) plane, the critical line read off it, each run's effective (sigma_w, sigma_b),
 * and the singular values of a run's hidden stack at init. All of it comes from @vgp/nn's mean-field
 * module (the same code as `vgp theory` and `vgp spectrum`).
 */
import { type ActivationKind, TsBackend } from '@vgp/core';
import { buildModel, criticalSigmaW, jacobianSpectrum, meanField, Rng } from '@vgp/nn';
import { toExperimentConfig } from '../state/experiment-config.js';
import type { RunSpec, SharedSettings } from '../state/state.js';

/** The plane drawn: sigma_w^2 in [0, SW2_MAX] across, sigma_b^2 in [0, SB2_MAX] up. */
export const SW2_MAX = 4;
export const SB2_MAX = 0.5;
/** Cells per side of the grid (cell centres are evaluated). */
export const GRID = 24;

/** chi_1 at each cell centre, row-major with row 0 at sigma_b^2 = 0 (bottom). */
export interface PhaseGrid {
  activation: ActivationKind;
  chi1: Float64Array;
  /** The critical sigma_w^2 at sigma_b = 0 (solved exactly), or null where there is none. */
  edgeAtZero: number | null;
}

/** The centre of cell (i, j): [sigma_w^2, sigma_b^2]. */
export function cellCentre(i: number, j: number): [number, number] {
  return [((i + 0.5) / GRID) * SW2_MAX, ((j + 0.5) / GRID) * SB2_MAX];
}

/** The grid for one activation, one row per macrotask so the page stays responsive. */
export async function phaseGrid(activation: ActivationKind): Promise<PhaseGrid> {
  const chi1 = new Float64Array(GRID * GRID);
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i < GRID; i++) {
      const [sw2, sb2] = cellCentre(i, j);
      chi1[j * GRID + i] = meanField({ activation, sigmaW: Math.sqrt(sw2), sigmaB: Math.sqrt(sb2) }).chi1;
    }
    await new Promise((r) => setTimeout(r, 0));
  }
  let edgeAtZero: number | null = null;
  try {
    edgeAtZero = criticalSigmaW(activation, 0) ** 2;
  } catch {
    // No edge of chaos at sigma_b = 0 for this activation (chi_1 jumps over 1): the line starts higher.
  }
  return { activation, chi1, edgeAtZero };
}

/**
 * The critical line: the exact point at sigma_b = 0, then per row the sigma_w^2 where ln chi_1 crosses 0
 * between two cell centres (linear interpolation); rows without a crossing are left out.
 */
export function criticalLine(grid: PhaseGrid): Array<[number, number]> {
  const out: Array<[number, number]> =
    grid.edgeAtZero !== null && grid.edgeAtZero <= SW2_MAX ? [[grid.edgeAtZero, 0]] : [];
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i + 1 < GRID; i++) {
      const a = Math.log(grid.chi1[j * GRID + i] as number);
      const b = Math.log(grid.chi1[j * GRID + i + 1] as number);
      if (a < 0 && b >= 0) {
        const [x0, y] = cellCentre(i, j);
        const [x1] = cellCentre(i + 1, j);
        out.push([x0 + ((x1 - x0) * -a) / (b - a), y]);
        break;
      }
    }
  }
  return out;
}

/**
 * A run's weight scale as mean-field sees it: std x sqrt(fan_in) of its hidden square layers.
 * He normal is sqrt 2; Glorot (in = out) is 1; small and large are N(0, 0.01^2) and N(0, 1), so
 * 0.01 sqrt(width) and sqrt(width); scaled and orthogonal take the run's sigma_w.
 */
export function effectiveSigmaW(run: RunSpec, width: number): number {
  switch (run.init) {
    case 'he':
      return Math.SQRT2;
    case 'glorot':
      return 1;
    case 'small':
      return 0.01 * Math.sqrt(width);
    case 'large':
      return Math.sqrt(width);
    default:
      return run.sigmaW;
  }
}

/** Largest depth x width^3 (multiply-adds of one Jacobian) computed in the page. */
export const SPECTRUM_BUDGET = 2e7;
/** Per-unit variance of the input at which the Jacobian is taken (as `vgp spectrum`'s default). */
export const INPUT_VARIANCE = 1e-3;

let backend: TsBackend | null = null;

/**
 * Singular values of the run's hidden stack at init: the run's mlp with input and output as wide as
 * the hidden layers, at one Gaussian input of per-unit variance 1e-3; null above the budget.
 */
export async function runSpectrum(run: RunSpec, shared: SharedSettings): Promise<number[] | null> {
  if (shared.depth * shared.width ** 3 > SPECTRUM_BUDGET) return null;
  const model = toExperimentConfig(run, shared).model;
  if (model.kind !== 'mlp') return null;
  backend ??= new TsBackend({ precision: 'f64' });
  const net = buildModel(
    { ...model, input: shared.width, output: shared.width },
    { backend, seed: shared.seed },
  );
  try {
    const rng = new Rng(shared.seed).fork('inputs');
    const x = Float64Array.from({ length: shared.width }, () => Math.sqrt(INPUT_VARIANCE) * rng.normal());
    return (await jacobianSpectrum(net, [x])).singularValues;
  } finally {
    net.dispose();
  }
}

/** Counts of log10(values) in `bins` equal bins over [lo, hi] (values outside go to the end bins). */
export function logHistogram(values: readonly number[], lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const l = v > 0 ? Math.log10(v) : lo;
    const k = Math.min(bins - 1, Math.max(0, Math.floor(((l - lo) / (hi - lo)) * bins)));
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}
