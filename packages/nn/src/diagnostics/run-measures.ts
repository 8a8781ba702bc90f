import { type DepthFlow, depthFlow, type TimeFlow, timeFlows } from './flow.js';
import { type RecordRange, type RecordSource, recordsOf } from './record-range.js';
import { ANALYSIS_WINDOW } from './thresholds.js';
import { analysisWindow, median } from './window.js';

/** The final loss is the median training loss over this last fraction of the recorded steps. */
export const FINAL_LOSS_WINDOW = 0.1;

/**
 * Every figure vgp prints about a run's gradients and loss, computed once from its history. The CLI
 * table, the verdict messages, the JSON summary and the playground read these; none recomputes its own.
 * A run that went non-finite is measured on its finite prefix (the records before the first NaN or
 * infinity anywhere): after it every norm is NaN.
 */
export interface RunMeasures {
  /** Records in the history, and of them the finite prefix that everything below is measured on. */
  records: number;
  /** Records before the first non-finite value (all of them when the run stayed finite). */
  finiteRecords: number;
  /** The first recorded step whose training loss is NaN or infinite, else null. */
  nonFiniteLossAt: number | null;
  /** The first recorded step whose gradient (its global norm, before clipping) is NaN or infinite, else null. */
  nonFiniteGradientAt: number | null;
  /** The first recorded step with any non-finite value (loss, gradient, weight or activation), else null. */
  nonFiniteAt: number | null;
  /** Median training loss over the last `FINAL_LOSS_WINDOW` of the recorded steps; NaN if the run went non-finite. */
  finalLoss: number;
  /** Steps of the analysis window (the last `ANALYSIS_WINDOW` of the finite records), first and last. */
  window: { from: number; to: number } | null;
  /** Gradient flow through depth over the analysis window (null below 3 weight layers). */
  depth: DepthFlow | null;
  /** Gradient flow through time per recurrent layer, over the analysis window. */
  time: TimeFlow[];
  /** ||dL/dh_1|| / ||dL/dh_T|| of the first recurrent layer at the first record (null without recurrence). */
  timeRatioStart: number | null;
  /** The same ratio over the analysis window: `time[0].ratio` (null without recurrence). */
  timeRatio: number | null;
  /** The words that name the analysis window where its figures are shown. */
  windowWords: string;
  /** The words that name the final-loss window. */
  finalLossWords: string;
}

/** Whether record `i` holds any NaN or infinity (loss, gradients, weights, activations). */
export function hasNonFinite(r: RecordRange, i: number): boolean {
  if (!Number.isFinite(r.loss(i)) || !Number.isFinite(r.rawGradNorm(i))) return true;
  for (let p = 0; p < r.params.length; p++) if ((r.param(i, p, 'nonFinite') ?? 0) > 0) return true;
  for (let j = 0; j < r.layers.length; j++) if ((r.layer(i, j, 'nonFinite') ?? 0) > 0) return true;
  return false;
}

/** The records before the first one that holds a non-finite value. */
export function finitePrefix(r: RecordRange): RecordRange {
  const bad = r.findIndex((i) => hasNonFinite(r, i));
  return bad < 0 ? r : r.slice(0, bad);
}

/** The step of the first record for which `bad` holds, else null. */
const firstStep = (r: RecordRange, bad: (i: number) => boolean) => {
  const i = r.findIndex(bad);
  return i < 0 ? null : r.step(i);
};

/** Events the training loop saw at every step, which a history sampled every n-th step may miss. */
export interface KnownEvents {
  /** The step at which the training loss stopped being finite (the loop stops there), else null. */
  nonFiniteLossAt?: number | null;
}

/**
 * Measures a run from its records (see {@link RunMeasures}): a monitor's `log`, or a plain history;
 * `known` overrides what sampling can miss.
 */
export function measureRun(history: RecordSource, known: KnownEvents = {}): RunMeasures {
  const all = recordsOf(history);
  const recs = finitePrefix(all);
  const win = analysisWindow(recs);
  const depth = recs.length > 0 ? depthFlow(recs) : null;
  const time = recs.length > 0 ? timeFlows(recs) : [];
  const nonFiniteLossAt =
    known.nonFiniteLossAt !== undefined
      ? known.nonFiniteLossAt
      : firstStep(all, (i) => !Number.isFinite(all.loss(i)));
  const tail = all.slice(-Math.max(1, Math.floor(all.length * FINAL_LOSS_WINDOW)));
  const window = win.length > 0 ? { from: win.step(0), to: win.step(win.length - 1) } : null;
  let startTime: readonly number[] | undefined;
  for (let j = 0; j < recs.layers.length && recs.length > 0 && !startTime; j++) {
    const t = recs.timeGradNorms(0, j);
    if (t && t.length > 1) startTime = t;
  }
  return {
    records: all.length,
    finiteRecords: recs.length,
    nonFiniteLossAt,
    nonFiniteGradientAt: firstStep(all, (i) => !Number.isFinite(all.rawGradNorm(i))),
    nonFiniteAt: firstStep(all, (i) => hasNonFinite(all, i)) ?? nonFiniteLossAt,
    finalLoss: nonFiniteLossAt !== null || all.length === 0 ? Number.NaN : median(tail.series('loss')),
    window,
    depth,
    time,
    timeRatioStart: startTime ? (startTime[0] as number) / (startTime[startTime.length - 1] as number) : null,
    timeRatio: time[0]?.ratio ?? null,
    windowWords: window
      ? `over the last ${ANALYSIS_WINDOW === 0.5 ? 'half' : `${ANALYSIS_WINDOW * 100}%`} of the ${
          recs.length < all.length ? 'finite ' : ''
        }recorded steps (steps ${window.from}-${window.to})`
      : 'no finite steps recorded',
    finalLossWords: `median over the last ${FINAL_LOSS_WINDOW * 100}% of the recorded steps`,
  };
}
