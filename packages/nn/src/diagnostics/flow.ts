import type { LayerSlot, ParamSlot } from './record-log.js';
import { type RecordRange, type RecordSource, recordsOf } from './record-range.js';
import {
  compact,
  describeShrink,
  formatFraction,
  layersToHalve,
  MAX_DERIVATIVE,
  perLayerGain,
  remaining,
  weightGain,
} from './theory.js';
import { analysisWindow, median, medianArray } from './window.js';

/**
 * What a gradient of exactly 0 is, said in words. The f32 backends flush results below float32's
 * smallest normal to zero (x86 computes on such subnormals through a slow path; see `Backend` in
 * @vgp/core), so a zero gradient is one that vanished below 1.2e-38, not a measured 0, and a ratio
 * with it on top would be made up.
 */
export const FLUSHED_TO_ZERO = "below 1.2e-38 (float32's smallest normal), flushed to zero";

/** Gradient flow through depth: measured over the analysis window, beside theory's estimate. */
export interface DepthFlow {
  /** Layers that own a weight matrix, in forward order. */
  weightLayers: string[];
  /** Median gradient RMS of each of their weights. */
  weightGradRms: number[];
  /** weightGradRms[first] / weightGradRms[last]: the "first/last layer gradient ratio". */
  firstLastRatio: number;
  /** ||dL/dh|| at the input boundary of each weight layer (that of its enclosing block for nested ones). */
  weightSignal: number[];
  /** Model-level boundaries (the model's direct children) and the median ||dL/dh|| at each input. */
  boundaries: string[];
  /** The median ||dL/dh|| at each of `boundaries`. */
  signal: number[];
  /** ||dL/dh|| at the first weight layer's input over that at the last weight layer's input. */
  signalRatio: number;
  /** Number of weight-layer steps the signal crossed between those two boundaries. */
  blocks: number;
  /** signalRatio^(1/blocks): the measured per-layer gain (geometric mean of adjacent ratios). */
  measuredGain: number;
  /** Layers over which the measured signal halves (Infinity when it does not shrink). */
  layersToHalve: number;
  /** The hidden activation (most frequent), its max |f'|, the median weight gain ||W||_F/sqrt(out). */
  activation: string | null;
  /** The max |f'| of that activation (e.g. 0.25 for sigmoid), or null when unknown. */
  derivativeBound: number | null;
  /** The median weight gain ||W||_F / sqrt(out) of the hidden weight layers (first and last excluded). */
  weightGain: number;
  /**
   * derivativeBound * weightGain: an estimate of the per-layer gain for a gradient in a random direction
   * with every unit at its steepest slope. Not a limit: it leaves out the first and last layers, how the
   * gradient lines up with each W's largest singular directions (the operator norm exceeds ||W||_F/sqrt(out)),
   * and which slopes the units actually take, so the measurement can exceed it.
   */
  estimatedGain: number | null;
  /** derivativeBound^blocks: the most the activation derivatives alone can pass back over the depth (weights aside). */
  activationOnly: number | null;
  /**
   * For the ReLU family at initialization: the expected gain, the weight gain times sqrt(E[f'^2]) with
   * half the pre-activations negative (He et al. 2015): wGain/sqrt(2) for ReLU. Null for other activations.
   */
  typicalGain: number | null;
  /**
   * The forward view at the first record (the initialization): std of each hidden activation layer's
   * output, and last/first, e.g. how much of the activation scale survives 30 ReLU layers.
   */
  activationStd: number[];
  /** `activationStd` last over first. */
  activationRatio: number;
  /** The same facts as sentences. */
  summary: string[];
}

/** Gradient flow through time for one recurrent layer. */
export interface TimeFlow {
  /** The recurrent layer's name. */
  layer: string;
  /** Median ||dL/dh_t|| for t = 1..T over the analysis window. */
  norms: number[];
  /** norms[0] / norms[T-1]: the "||dL/dh_1|| / ||dL/dh_T||" ratio. */
  ratio: number;
  /** ratio^(1/(T-1)): the measured per-step gain, and the steps over which it halves. */
  measuredGain: number;
  /** Steps over which the gradient halves at `measuredGain` (Infinity when it does not shrink). */
  stepsToHalve: number;
  /** The same facts as a sentence. */
  summary: string;
}

/** Indices of the weight matrices (not biases, norm gains or recurrent matrices) in forward order, one per owning layer. */
function weightParams(r: RecordRange): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  r.params.forEach((p, i) => {
    if (p.role !== 'weight' || seen.has(p.layer)) return;
    seen.add(p.layer);
    out.push(i);
  });
  return out;
}

/** The depth analysis, or null when the model has fewer than 3 weight layers (no depth to speak of). */
export function depthFlow(history: RecordSource): DepthFlow | null {
  const recs = recordsOf(history);
  const win = analysisWindow(recs);
  if (win.length === 0) return null;
  const weights = weightParams(win);
  if (weights.length < 3) return null;
  const weightGradRms = weights.map((w) => median(win.paramSeries(w, 'gradRms')));
  const firstLastRatio = (weightGradRms[0] as number) / (weightGradRms[weightGradRms.length - 1] as number);

  const layers = win.layers;
  const top = win.layersWhere((l) => l.level === 0);
  const boundaries = top.map((j) => (layers[j] as LayerSlot).name);
  const signal = top.map((j) => median(win.layerSeries(j, 'gradIn')));
  // The boundary of a weight layer is the model-level layer that contains it (itself, or e.g. a Residual).
  const boundaryOf = (layer: string) => {
    const idx = layers.findIndex((l) => l.name === layer);
    for (let i = idx; i >= 0; i--) if (layers[i]?.level === 0) return layers[i]?.name ?? null;
    return null;
  };
  const weightLayers = weights.map((w) => (win.params[w] as ParamSlot).layer);
  const weightBoundaries = [...new Set(weightLayers.map(boundaryOf).filter((b) => b !== null))];
  const weightSignal = weightLayers.map(
    (layer) => signal[boundaries.indexOf(boundaryOf(layer) ?? '')] ?? Number.NaN,
  );
  const firstIdx = boundaries.indexOf(weightBoundaries[0] ?? '');
  const lastIdx = boundaries.indexOf(weightBoundaries[weightBoundaries.length - 1] ?? '');
  const blocks = weightBoundaries.length - 1;
  const signalRatio =
    firstIdx >= 0 && lastIdx > firstIdx
      ? (signal[firstIdx] as number) / (signal[lastIdx] as number)
      : Number.NaN;
  const measuredGain = perLayerGain(signalRatio, blocks);

  const activation = dominantActivation(layers);
  const derivativeBound = activation !== null ? (MAX_DERIVATIVE[activation] ?? null) : null;
  // Hidden layers only: the first and last layers have unusual fan shapes (input 2, output 1).
  const hidden = weights.slice(1, -1);
  const wGain = median(
    hidden.map((w) =>
      weightGain(median(win.paramSeries(w, 'weightNorm')), (win.params[w] as ParamSlot).shape),
    ),
  );
  const estimatedGain = derivativeBound !== null ? derivativeBound * wGain : null;
  const activationOnly = derivativeBound !== null ? remaining(derivativeBound, blocks) : null;
  const typicalGain = activation === 'relu' ? wGain * Math.SQRT1_2 : null;

  // The first record of all, not of the window.
  const activationStd = layers.flatMap((l, j) => {
    const std = l.activation !== null ? recs.layer(0, j, 'actStd') : null;
    return std !== null ? [std] : [];
  });
  const activationRatio =
    activationStd.length >= 2
      ? (activationStd[activationStd.length - 1] as number) / (activationStd[0] as number)
      : Number.NaN;

  const summary = [
    firstLastRatio === 0
      ? `the first layer's weight gradient is ${FLUSHED_TO_ZERO}, over ${weights.length} weight layers`
      : `first/last layer gradient ratio ${compact(firstLastRatio)} over ${weights.length} weight layers`,
    signalRatio === 0
      ? `no measured backward gain: the first layer's backward signal is ${FLUSHED_TO_ZERO}`
      : Number.isFinite(measuredGain)
        ? `measured backward gain ${compact(measuredGain)} per layer (${describeShrink(measuredGain, blocks)}), ` +
          (measuredGain < 1
            ? `halving every ${compact(layersToHalve(measuredGain))} layers`
            : 'not shrinking')
        : 'backward signal not measured',
  ];
  if (activation !== null && derivativeBound !== null) {
    // Skip paths add an identity term to every block's Jacobian and normalization divides by a measured
    // spread, so the product of slopes describes plain stacks only.
    const plain = !layers.some(
      (l) => l.type === 'Residual' || l.type === 'BatchNorm' || l.type === 'LayerNorm',
    );
    summary.push(
      `theory${plain ? '' : ' for a plain stack (residual paths and normalization change it)'}: ` +
        `${activation}' is at most ${derivativeBound === 1 ? 1 : compact(derivativeBound)}, so over ${blocks} layers ` +
        `the derivatives alone pass back at most ${describeShrink(derivativeBound, blocks)} (the weights scale it further); ` +
        `with weight gain ${compact(wGain)} (||W||_F/sqrt(out), median of the hidden layers) the estimated gain is ` +
        `${compact(estimatedGain ?? Number.NaN)} per layer, an estimate for a random direction that leaves out ` +
        `how the gradient aligns with each W`,
    );
  }
  if (typicalGain !== null) {
    summary.push(
      `ReLU zeroes about half the units, so at init the expected gain is ${compact(wGain)}/sqrt(2) = ${compact(typicalGain)} ` +
        `per layer (${describeShrink(typicalGain, blocks)})`,
    );
  }
  if (Number.isFinite(activationRatio)) {
    summary.push(
      `at the first step the last hidden activations have ${formatFraction(activationRatio)} of the first layer's scale ` +
        `(std ${compact(activationStd[activationStd.length - 1] as number)} vs ${compact(activationStd[0] as number)})`,
    );
  }
  return {
    weightLayers,
    weightGradRms,
    weightSignal,
    firstLastRatio,
    boundaries,
    signal,
    signalRatio,
    blocks,
    measuredGain,
    layersToHalve: layersToHalve(measuredGain),
    activation,
    derivativeBound,
    weightGain: wGain,
    estimatedGain,
    activationOnly,
    typicalGain,
    activationStd,
    activationRatio,
    summary,
  };
}

/** The activation most hidden layers use (Activation layers and plain RNN cells), or null. */
function dominantActivation(layers: readonly LayerSlot[]): string | null {
  const counts = new Map<string, number>();
  for (const l of layers)
    if (l.activation !== null) counts.set(l.activation, (counts.get(l.activation) ?? 0) + 1);
  let best: string | null = null;
  for (const [k, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = k;
  return best;
}

/** The time analysis of every recurrent layer that recorded ||dL/dh_t||. */
export function timeFlows(history: RecordSource): TimeFlow[] {
  const win = analysisWindow(recordsOf(history));
  const last = win.length - 1;
  if (last < 0) return [];
  const flows: TimeFlow[] = [];
  win.layers.forEach((layer, j) => {
    const lastNorms = win.timeGradNorms(last, j);
    if (!lastNorms || lastNorms.length < 2) return;
    const norms = medianArray(win.map((i) => win.timeGradNorms(i, j)));
    const T = norms.length;
    const ratio = (norms[0] as number) / (norms[T - 1] as number);
    const measuredGain = perLayerGain(ratio, T - 1);
    const stepsToHalve = layersToHalve(measuredGain);
    // Exactly zero: the gradient fell below float32's smallest normal and was flushed (saturated tanh
    // units, whose derivative rounds to exactly 0 in float32, also pass nothing).
    const summary =
      ratio === 0
        ? `${layer.name}: no gradient at all reaches step 1 from step ${T} (dL/dh_1 is ${FLUSHED_TO_ZERO})`
        : `${layer.name}: ||dL/dh_1|| / ||dL/dh_${T}|| = ${compact(ratio)}; per step ${compact(measuredGain)}` +
          (measuredGain < 1 ? `, halving every ${compact(stepsToHalve)} steps` : '');
    flows.push({ layer: layer.name, norms, ratio, measuredGain, stepsToHalve, summary });
  });
  return flows;
}
