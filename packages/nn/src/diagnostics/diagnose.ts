import { checkExploding, checkNonFinite, checkVanishing } from './checks-flow.js';
import { checkDeadUnits, checkFrozenLowerLayers, checkSaturation, checkStagnation } from './checks-units.js';
import { type RecordRange, type RecordSource, recordsOf } from './record-range.js';
import { finitePrefix, type KnownEvents, measureRun, type RunMeasures } from './run-measures.js';
import { compact } from './theory.js';
import { sortVerdicts, type Verdict } from './verdict.js';
import { analysisWindow, median } from './window.js';

/**
 * Names what is wrong with a run from its recorded history: verdicts with the numbers that show each
 * problem and ordered remedies, most severe first. A run with nothing wrong gets one `healthy` verdict.
 * Judgement uses the last half of the records (see `ANALYSIS_WINDOW`), so a problem must be sustained.
 * Every number a message shows comes from `measures` (by default `measureRun(history, known)`), the
 * same figures a run's summary holds. A run that went non-finite is judged on its finite prefix.
 */
export function diagnose(history: RecordSource, measures?: RunMeasures, known?: KnownEvents): Verdict[] {
  const all = recordsOf(history);
  if (all.length === 0) return [];
  const m = measures ?? measureRun(all, known);
  const nonFinite = checkNonFinite(all, m);
  const finite = nonFinite.length > 0 ? finitePrefix(all) : all;
  if (finite.length === 0) return nonFinite;
  return sortVerdicts([...nonFinite, ...judge(finite, m, nonFinite.length > 0)]);
}

function judge(history: RecordRange, m: RunMeasures, blewUp: boolean): Verdict[] {
  const exploding = checkExploding(history, m);
  let vanishing = checkVanishing(history, m);
  // Growth over the run and shrinkage over its last half are measured over different windows: both at
  // once would read as a contradiction. The growth is the cause named; the shrinkage is told inside it.
  if (exploding.length > 0 && vanishing.length > 0) {
    const [e] = exploding as [Verdict];
    const shrink = vanishing.filter((v) => v.evidence.axis !== 'weights');
    if (shrink.length > 0 && e.evidence.windowOfGrowth === 'run') {
      const where = shrink.map((v) =>
        v.evidence.axis === 'time'
          ? `through time (||dL/dh_1|| / ||dL/dh_${v.evidence.steps}|| ${compact(v.evidence.timeRatio as number)})`
          : `through depth (first/last gradient ratio ${compact(v.evidence.firstLastRatio as number)})`,
      );
      e.message +=
        `; ${m.windowWords} the gradient also shrinks ${where.join(' and ')}, after the growth ` +
        '(one run, reported as exploding, not also as vanishing)';
      vanishing = vanishing.filter((v) => v.evidence.axis === 'weights');
    }
  }
  // These judge medians over the analysis window: say which steps.
  const units = [...checkSaturation(history), ...checkDeadUnits(history), ...checkFrozenLowerLayers(history)];
  for (const v of units) v.message += ` (medians ${m.windowWords})`;
  const found: Verdict[] = [...exploding, ...vanishing, ...units];
  // A run that ended in NaN did not stagnate; and it is not healthy, whatever came before.
  if (!blewUp) found.push(...checkStagnation(history, found));
  if (!blewUp && !found.some((v) => v.severity !== 'info')) found.push(healthy(history, m));
  return found;
}

function healthy(history: RecordRange, m: RunMeasures): Verdict {
  const win = analysisWindow(history);
  const weights = win.paramsWhere((p) => p.role === 'weight');
  const ratios: (number | null)[] = [];
  for (let i = 0; i < win.length; i++) for (const k of weights) ratios.push(win.param(i, k, 'updateRatio'));
  const update = median(ratios);
  const ratio = m.depth?.firstLastRatio ?? Number.NaN;
  const parts = [`final loss ${compact(m.finalLoss)} (${m.finalLossWords})`];
  if (Number.isFinite(ratio)) parts.push(`first/last gradient ratio ${compact(ratio)}`);
  if (m.timeRatio !== null)
    parts.push(`||dL/dh_1|| / ||dL/dh_${m.time[0]?.norms.length}|| ${compact(m.timeRatio)}`);
  if (Number.isFinite(update)) parts.push(`median update ratio ${compact(update)}`);
  const words =
    Number.isFinite(ratio) || Number.isFinite(update) || m.timeRatio !== null
      ? `; ratios ${m.windowWords}`
      : '';
  return {
    kind: 'healthy',
    severity: 'info',
    layers: [],
    message: `gradients flow: ${parts.join(', ')}${words}`,
    evidence: {
      finalLoss: m.finalLoss,
      firstLastRatio: ratio,
      timeRatio: m.timeRatio,
      medianUpdateRatio: update,
    },
    remedies: [],
  };
}
