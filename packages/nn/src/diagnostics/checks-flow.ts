import { FLUSHED_TO_ZERO } from './flow.js';
import type { ParamSlot } from './record-log.js';
import type { RecordRange } from './record-range.js';
import { type RemedyId, remedies } from './remedies.js';
import { hasNonFinite, type RunMeasures } from './run-measures.js';
import { compact, formatFraction } from './theory.js';
import {
  EXPLODING_GROWTH,
  EXPLODING_NORM,
  EXPLODING_SIGNAL_RATIO,
  NEAR_ZERO_FRAC,
  VANISHING_RATIO,
  VANISHING_RATIO_CRITICAL,
  VANISHING_TIME_RATIO,
  VANISHING_TIME_RATIO_CRITICAL,
} from './thresholds.js';
import type { Verdict } from './verdict.js';
import { analysisWindow, median } from './window.js';

/** NaN or Infinity anywhere: in the loss, a parameter, a gradient, an activation. */
export function checkNonFinite(history: RecordRange, m: RunMeasures): Verdict[] {
  if (m.nonFiniteAt === null) return [];
  const bad = history.findIndex((i) => hasNonFinite(history, i));
  const layers = new Set<string>();
  let count = 0;
  if (bad >= 0) {
    history.params.forEach((p, k) => {
      const n = history.param(bad, k, 'nonFinite') ?? 0;
      if (n > 0) layers.add(p.layer);
      count += n;
    });
    history.layers.forEach((l, j) => {
      const n = history.layer(bad, j, 'nonFinite') ?? 0;
      if (n > 0) layers.add(l.name);
      count += n;
    });
  }
  let lastBefore = -1;
  for (let i = 0; i < history.length; i++) if (history.step(i) < (m.nonFiniteAt as number)) lastBefore = i;
  const lastNorm = lastBefore >= 0 ? history.value(lastBefore, 'gradNormTotal') : null;
  // Two events, named apart: the gradient overflows first, the update carries it into the weights,
  // and the next step's loss is NaN.
  const events: string[] = [];
  if (m.nonFiniteGradientAt !== null)
    events.push(`first non-finite gradient at step ${m.nonFiniteGradientAt}`);
  if (m.nonFiniteLossAt !== null) events.push(`first non-finite loss at step ${m.nonFiniteLossAt}`);
  if (events.length === 0) events.push(`first non-finite weight or activation at step ${m.nonFiniteAt}`);
  return [
    {
      kind: 'non-finite',
      severity: 'critical',
      layers: [...layers],
      message:
        `${events.join(', ')}; training cannot continue from there, and the other verdicts judge the ` +
        `${m.finiteRecords} recorded step(s) before it`,
      evidence: {
        firstStep: m.nonFiniteAt,
        nonFiniteGradientAt: m.nonFiniteGradientAt,
        nonFiniteLossAt: m.nonFiniteLossAt,
        nonFiniteCount: count,
        gradNormBefore: lastNorm,
      },
      remedies: isRecurrent(history)
        ? remedies('clip-norm', 'lower-lr', 'orthogonal-init')
        : remedies('clip-norm', 'lower-lr', 'batch-norm'),
    },
  ];
}

/** Gradient norms past `EXPLODING_NORM`, growing 100x during the run, or growing backward through depth or time. */
export function checkExploding(history: RecordRange, m: RunMeasures): Verdict[] {
  const { depth, time } = m;
  const recs = history;
  if (recs.length === 0) return [];
  // Before clipping when clipping ran: the norm the network produced, not the one it was allowed to use.
  const norms = recs.map((i) => recs.rawGradNorm(i)).filter((x) => Number.isFinite(x));
  const maxNorm = norms.length > 0 ? Math.max(...norms) : Number.NaN;
  const k = Math.max(1, Math.floor(norms.length / 10));
  const growth = median(norms.slice(-k)) / median(norms.slice(0, k));
  const depthRatio = Math.max(depth?.firstLastRatio ?? Number.NaN, depth?.signalRatio ?? Number.NaN);
  const timeUp = time.filter((t) => t.ratio > EXPLODING_SIGNAL_RATIO);
  const reasons: string[] = [];
  const finiteSteps = `over the ${recs.length} ${m.nonFiniteAt !== null ? 'finite ' : ''}recorded steps`;
  if (maxNorm > EXPLODING_NORM) reasons.push(`gradient norm peaked at ${compact(maxNorm)} ${finiteSteps}`);
  const grew = norms.length >= 4 && growth > EXPLODING_GROWTH;
  if (grew) reasons.push(`gradient norm grew ${compact(growth)}x from the first to the last tenth of them`);
  const windowOfGrowth = maxNorm > EXPLODING_NORM || grew ? 'run' : 'analysis';
  if (depthRatio > EXPLODING_SIGNAL_RATIO)
    reasons.push(
      `the gradient at the first layer is ${compact(depthRatio)}x that at the last ${m.windowWords}`,
    );
  for (const t of timeUp)
    reasons.push(
      `${t.layer}'s gradient grows ${compact(t.ratio)}x from step T back to step 1 ${m.windowWords}`,
    );
  if (reasons.length === 0) return [];
  const clipped = recs.findIndex((i) => recs.value(i, 'preClipNorm') !== null) >= 0;
  const recurrent = time.length > 0;
  const ids: RemedyId[] = clipped ? ['lower-lr'] : ['clip-norm', 'lower-lr'];
  if (recurrent) ids.push('orthogonal-init', 'lstm');
  else ids.push('batch-norm', 'glorot-init');
  return [
    {
      kind: 'exploding',
      severity: !clipped && maxNorm > EXPLODING_NORM * EXPLODING_NORM ? 'critical' : 'warning',
      layers: timeUp.map((t) => t.layer),
      message: `exploding gradients: ${reasons.join('; ')}${clipped ? ' (clipping contained them)' : ''}`,
      evidence: {
        maxGradNorm: maxNorm,
        growth,
        firstLastRatio: depthRatio,
        timeRatios: time.map((t) => t.ratio),
        clipped: clipped ? 'yes' : 'no',
        windowOfGrowth,
      },
      remedies: remedies(...ids),
    },
  ];
}

/**
 * "the first layer gets 3e-12 of the last layer's weight gradient and ... of its backward signal"; a
 * share of exactly 0 is a gradient flushed to zero, said so rather than as a ratio (see FLUSHED_TO_ZERO).
 */
function firstLayerShare(weight: number, signal: number): string {
  const w = formatFraction(weight);
  const s = formatFraction(signal);
  if (weight === 0 && signal === 0) {
    return `the first layer's weight gradient and backward signal are ${FLUSHED_TO_ZERO}`;
  }
  if (weight === 0) {
    return `the first layer's weight gradient is ${FLUSHED_TO_ZERO}, and it gets ${s} of the last layer's backward signal`;
  }
  if (signal === 0) {
    return `the first layer gets ${w} of the last layer's weight gradient, and its backward signal is ${FLUSHED_TO_ZERO}`;
  }
  return `the first layer gets ${w} of the last layer's weight gradient and ${s} of its backward signal`;
}

/** Vanishing through depth (first/last gradient ratio), through time (||dL/dh_1||/||dL/dh_T||), and weights going to zero. */
export function checkVanishing(history: RecordRange, m: RunMeasures): Verdict[] {
  const { depth, time } = m;
  const out: Verdict[] = [];
  // Either view can show it: the weight gradients (what the optimizer sees) or the backward signal
  // ||dL/dh|| (what flows down). They differ when the activations shrink too: with Glorot init in a deep
  // ReLU net both the signal and the activations fade, and the last layer's weight gradient x^T delta
  // fades with its tiny inputs, hiding the problem from the weight ratio alone.
  const worst = depth
    ? Math.min(depth.firstLastRatio, Number.isFinite(depth.signalRatio) ? depth.signalRatio : 1)
    : 1;
  if (depth && worst < VANISHING_RATIO) {
    const lastRms = depth.weightGradRms[depth.weightGradRms.length - 1] as number;
    const lastSignal = depth.weightSignal[depth.weightSignal.length - 1] as number;
    const starved = depth.weightLayers.filter(
      (_, i) =>
        (depth.weightGradRms[i] as number) < VANISHING_RATIO * lastRms ||
        (depth.weightSignal[i] as number) < VANISHING_RATIO * lastSignal,
    );
    const saturating = depth.activation === 'sigmoid' || depth.activation === 'tanh';
    const ids: RemedyId[] = saturating
      ? ['relu-he', 'critical-init', 'residual', 'batch-norm', 'adam']
      : ['he-init', 'residual', 'batch-norm', 'adam'];
    out.push({
      kind: 'vanishing',
      severity: worst < VANISHING_RATIO_CRITICAL ? 'critical' : 'warning',
      layers: starved,
      message:
        `vanishing gradients through depth: ${firstLayerShare(depth.firstLastRatio, depth.signalRatio)} ` +
        `${m.windowWords}; ${depth.summary.slice(1, 3).join('; ')}`,
      evidence: {
        axis: 'depth',
        firstLastRatio: depth.firstLastRatio,
        weightGradRms: depth.weightGradRms,
        weightSignal: depth.weightSignal,
        signalRatio: depth.signalRatio,
        blocks: depth.blocks,
        measuredGain: depth.measuredGain,
        layersToHalve: depth.layersToHalve,
        activation: depth.activation,
        derivativeBound: depth.derivativeBound,
        weightGain: depth.weightGain,
        estimatedGain: depth.estimatedGain,
        activationOnly: depth.activationOnly,
      },
      remedies: remedies(...ids),
    });
  }
  for (const t of time) {
    if (!(t.ratio < VANISHING_TIME_RATIO)) continue;
    const layer = history.layers.find((l) => l.name === t.layer);
    const gated = layer?.type === 'LSTM' || layer?.type === 'GRU';
    out.push({
      kind: 'vanishing',
      severity: t.ratio < VANISHING_TIME_RATIO_CRITICAL ? 'critical' : 'warning',
      layers: [t.layer],
      message: `vanishing gradients through time: ${t.summary} ${m.windowWords}`,
      evidence: {
        axis: 'time',
        timeRatio: t.ratio,
        steps: t.norms.length,
        measuredGain: t.measuredGain,
        stepsToHalve: t.stepsToHalve,
        timeGradNorms: t.norms,
      },
      remedies: gated
        ? remedies('forget-bias', 'orthogonal-init', 'adam')
        : remedies('lstm', 'gru', 'orthogonal-init'),
    });
  }
  // "Weights go to zero": a sign of vanishing gradients in the lower layers (or of too much decay).
  const win = analysisWindow(history);
  if (win.length > 0) {
    const zeroed = win
      .paramsWhere((p) => p.role === 'weight')
      .map((k) => ({ p: win.params[k] as ParamSlot, frac: median(win.paramSeries(k, 'nearZeroFrac')) }))
      .filter(({ frac }) => frac > NEAR_ZERO_FRAC);
    if (zeroed.length > 0) {
      out.push({
        kind: 'vanishing',
        severity: 'warning',
        layers: zeroed.map(({ p }) => p.layer),
        message: `weights are going to zero in ${zeroed.length} layer(s): up to ${formatFraction(
          Math.max(...zeroed.map((z) => z.frac)),
        )} of their entries are below 1e-4`,
        evidence: { axis: 'weights', nearZeroFrac: zeroed.map((z) => z.frac) },
        remedies: remedies('less-weight-decay', 'he-init', 'leaky-relu'),
      });
    }
  }
  return out;
}

/** Whether the model has recurrent layers (remedies such as batch norm do not apply to them). */
export function isRecurrent(history: RecordRange): boolean {
  return history.layers.some((l) => l.type === 'RNN' || l.type === 'LSTM' || l.type === 'GRU');
}
