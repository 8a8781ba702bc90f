import { isRecurrent } from './checks-flow.js';
import type { ParamSlot } from './record-log.js';
import type { RecordRange } from './record-range.js';
import { type RemedyId, remedies } from './remedies.js';
import { compact, formatFraction } from './theory.js';
import {
  DEAD_FRAC,
  DEAD_FRAC_CRITICAL,
  FROZEN_ABSOLUTE,
  FROZEN_UPDATE_RATIO,
  MIN_RECORDS_FOR_TREND,
  SATURATION_FRAC,
  SATURATION_FRAC_CRITICAL,
  STAGNATION_FAR_FRACTION,
  STAGNATION_MIN_IMPROVEMENT,
} from './thresholds.js';
import type { Verdict } from './verdict.js';
import { analysisWindow, median } from './window.js';

/** Layers whose median over the window of `pick` exceeds `limit`. */
function layersOver(history: RecordRange, pick: 'saturatedFrac' | 'deadFrac', limit: number) {
  const win = analysisWindow(history);
  const last = win.length - 1;
  if (last < 0) return [];
  return win.layers
    .flatMap((l, j) =>
      win.layer(last, j, pick) !== null ? [{ name: l.name, frac: median(win.layerSeries(j, pick)) }] : [],
    )
    .filter((x) => x.frac > limit);
}

/** Sigmoid/tanh layers with most units in the flat tails. */
export function checkSaturation(history: RecordRange): Verdict[] {
  const hit = layersOver(history, 'saturatedFrac', SATURATION_FRAC);
  if (hit.length === 0) return [];
  const worst = Math.max(...hit.map((h) => h.frac));
  return [
    {
      kind: 'saturation',
      severity: worst > SATURATION_FRAC_CRITICAL ? 'critical' : 'warning',
      layers: hit.map((h) => h.name),
      message: `${hit.length} layer(s) saturated: up to ${formatFraction(worst)} of units sit where the derivative is below 0.02`,
      evidence: { saturatedFrac: hit.map((h) => h.frac), worst },
      // A saturated recurrent state comes from large recurrent weights or large steps, not from a missing norm.
      remedies: isRecurrent(history)
        ? remedies('clip-norm', 'lower-lr', 'orthogonal-init', 'lstm')
        : remedies('batch-norm', 'glorot-init', 'relu-he', 'lower-lr'),
    },
  ];
}

/** ReLU layers with many units that are zero on the whole batch. */
export function checkDeadUnits(history: RecordRange): Verdict[] {
  const hit = layersOver(history, 'deadFrac', DEAD_FRAC);
  if (hit.length === 0) return [];
  const worst = Math.max(...hit.map((h) => h.frac));
  return [
    {
      kind: 'dead-units',
      severity: worst > DEAD_FRAC_CRITICAL ? 'critical' : 'warning',
      layers: hit.map((h) => h.name),
      message: `${hit.length} ReLU layer(s) have dead units: up to ${formatFraction(worst)} output zero on every example`,
      evidence: { deadFrac: hit.map((h) => h.frac), worst },
      remedies: remedies('leaky-relu', 'he-init', 'lower-lr', 'batch-norm'),
    },
  ];
}

/** The lowest weight layer's update ratio orders of magnitude below the layers above it. */
export function checkFrozenLowerLayers(history: RecordRange): Verdict[] {
  const win = analysisWindow(history);
  if (win.length === 0) return [];
  const weights = win.paramsWhere((p) => p.role === 'weight');
  if (weights.length < 3) return [];
  const ratios = weights.map((k) => median(win.paramSeries(k, 'updateRatio')));
  if (ratios.some((r) => Number.isNaN(r))) return [];
  const upper = median(ratios.slice(Math.ceil(ratios.length / 2)));
  const lowest = ratios[0] as number;
  if (!(lowest < FROZEN_UPDATE_RATIO * upper && lowest < FROZEN_ABSOLUTE)) return [];
  const frozen = weights
    .filter((_, i) => (ratios[i] as number) < FROZEN_UPDATE_RATIO * upper)
    .map((k) => (win.params[k] as ParamSlot).layer);
  return [
    {
      kind: 'frozen-lower-layers',
      severity: 'warning',
      layers: frozen,
      message:
        lowest === 0
          ? `the lowest layers do not change at all (updates of zero or below float32 resolution), while the upper half moves at ${compact(upper)} per step (healthy is near 1e-3)`
          : `the lower layers barely change: update ratio ${compact(lowest)} at the first layer vs ${compact(upper)} in the upper half (healthy is near 1e-3)`,
      evidence: { updateRatios: ratios, lowest, upperMedian: upper },
      remedies: remedies('relu-he', 'residual', 'batch-norm', 'adam'),
    },
  ];
}

/**
 * The loss no longer improving while still far from its floor. `others` are the verdicts found so
 * far: when a cause is named, fixing it comes first.
 */
export function checkStagnation(history: RecordRange, others: readonly Verdict[]): Verdict[] {
  const losses = analysisWindow(history)
    .series('loss')
    .filter((x): x is number => x !== null && Number.isFinite(x));
  if (losses.length < MIN_RECORDS_FOR_TREND) return [];
  const q = Math.max(1, Math.floor(losses.length / 4));
  const start = median(losses.slice(0, q));
  const end = median(losses.slice(-q));
  const improvement = (start - end) / Math.abs(start);
  const floor = history.meta.lossFloor ?? 0;
  const first = median(history.slice(0, q).series('loss'));
  const reference = history.meta.chanceLoss ?? first;
  const far = end - floor > STAGNATION_FAR_FRACTION * (reference - floor);
  // Worse than predicting a constant is not learning, however the curve moves (e.g. a loss climbing down from 20).
  const aboveChance = history.meta.chanceLoss !== undefined && end > history.meta.chanceLoss;
  if (!((improvement < STAGNATION_MIN_IMPROVEMENT && far) || aboveChance)) return [];
  // When a cause is named, its remedies come first: a higher learning rate does not bring back a
  // gradient that vanishes, and a loss stuck because the gradient explodes needs smaller steps.
  const cause = others.find((v) => v.kind === 'vanishing' || v.kind === 'frozen-lower-layers');
  const ids: RemedyId[] = others.some((v) => v.kind === 'exploding')
    ? ['clip-norm', 'lower-lr']
    : cause
      ? [...cause.remedies.map((r) => r.id), 'adam']
      : isRecurrent(history)
        ? ['lstm', 'gru', 'adam', 'higher-lr']
        : ['adam', 'higher-lr'];
  return [
    {
      kind: 'stagnation',
      severity: 'warning',
      layers: [],
      message: aboveChance
        ? `no learning: the loss ${apart(end, reference)[0]} is above ${apart(end, reference)[1]}, what an input-blind constant prediction scores`
        : `training stagnates: loss went from ${compact(start)} to ${compact(end)} over the last ${losses.length} records ` +
          `(${improvement > 0 ? `${formatFraction(improvement)} better` : 'no better'}), far above its floor ${compact(floor)}`,
      evidence: {
        lossStart: start,
        lossEnd: end,
        improvement,
        floor,
        reference,
        aboveChance: aboveChance ? 'yes' : 'no',
      },
      remedies: remedies(...new Set(ids)),
    },
  ];
}

/** Two numbers with as many digits (3 to 6) as it takes for them to print differently: 0.6932 vs 0.6931. */
function apart(a: number, b: number): [string, string] {
  for (let d = 3; d < 6; d++) {
    const [x, y] = [String(Number(a.toPrecision(d))), String(Number(b.toPrecision(d)))];
    if (x !== y) return [x, y];
  }
  return [String(Number(a.toPrecision(6))), String(Number(b.toPrecision(6)))];
}
