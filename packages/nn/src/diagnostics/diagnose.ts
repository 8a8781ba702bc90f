import { checkExploding, checkNonFinite, checkVanishing } from './checks-flow.js';
import { checkDeadUnits, checkFrozenLowerLayers, checkSaturation, checkStagnation } from './checks-units.js';
import { depthFlow, timeFlows } from './flow.js';
import type { History } from './records.js';
import { compact } from './theory.js';
import { sortVerdicts, type Verdict } from './verdict.js';
import { analysisWindow, median } from './window.js';

/**
 * Names what is wrong with a run from its recorded history: verdicts with the numbers that show each
 * problem and ordered remedies, most severe first. A run with nothing wrong gets one `healthy` verdict.
 * Judgement uses the last half of the records (see `ANALYSIS_WINDOW`), so a problem must be sustained.
 */
export function diagnose(history: History): Verdict[] {
  if (history.records.length === 0) return [];
  const nonFinite = checkNonFinite(history);
  // Once NaN appears every later number is NaN: judge the rest on the steps before it.
  const finite = nonFinite.length > 0 ? finitePrefix(history) : history;
  if (finite.records.length === 0) return nonFinite;
  return sortVerdicts([...nonFinite, ...judge(finite, nonFinite.length > 0)]);
}

/** The records before the first one with a non-finite loss, parameter or activation. */
function finitePrefix(history: History): History {
  const bad = history.records.findIndex(
    (r) =>
      !Number.isFinite(r.loss) ||
      r.params.some((p) => p.nonFinite > 0) ||
      r.layers.some((l) => l.nonFinite > 0),
  );
  return { ...history, records: history.records.slice(0, bad < 0 ? history.records.length : bad) };
}

function judge(history: History, blewUp: boolean): Verdict[] {
  const depth = depthFlow(history);
  const time = timeFlows(history);
  const found: Verdict[] = [
    ...checkExploding(history, depth, time),
    ...checkVanishing(history, depth, time),
    ...checkSaturation(history),
    ...checkDeadUnits(history),
    ...checkFrozenLowerLayers(history),
  ];
  // A run that ended in NaN did not stagnate; and it is not healthy, whatever came before.
  if (!blewUp) found.push(...checkStagnation(history, found));
  if (!blewUp && !found.some((v) => v.severity !== 'info')) found.push(healthy(history));
  return found;
}

function healthy(history: History): Verdict {
  const win = analysisWindow(history.records);
  const depth = depthFlow(history);
  const update = median(
    win.flatMap((r) => r.params.filter((p) => p.role === 'weight').map((p) => p.updateRatio)),
  );
  const loss = median(win.slice(-Math.max(1, Math.floor(win.length / 4))).map((r) => r.loss));
  const ratio = depth?.firstLastRatio ?? Number.NaN;
  const parts = [`final loss ${compact(loss)}`];
  if (Number.isFinite(ratio)) parts.push(`first/last gradient ratio ${compact(ratio)}`);
  if (Number.isFinite(update)) parts.push(`median update ratio ${compact(update)}`);
  return {
    kind: 'healthy',
    severity: 'info',
    layers: [],
    message: `gradients flow: ${parts.join(', ')}`,
    evidence: { loss, firstLastRatio: ratio, medianUpdateRatio: update },
    remedies: [],
  };
}
