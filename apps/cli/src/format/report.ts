import type { RunResult, Verdict } from '@vgp/nn';
import Table from 'cli-table3';

/** A number for a table cell: NaN and missing values show as '-' and 'NaN' honestly. */
function num(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined) return '-';
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(1);
  return String(Number(x.toPrecision(digits)));
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One row per run: losses, the gradient-flow ratios, speed, and the verdict kinds. */
export function runsTable(runs: readonly RunResult[]): string {
  const recurrent = runs.some((r) => r.summary.timeRatio !== null);
  const head = ['run', 'final loss', 'test loss', 'test acc', 'first/last grad', 'signal ratio'];
  if (recurrent) head.push('dL/dh_1 / dL/dh_T\nstart -> end');
  head.push('steps/s', 'time', 'verdicts');
  // No colours: the table must read the same in a pipe, a file and a terminal.
  const table = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const r of runs) {
    const s = r.summary;
    const row = [
      r.label,
      s.nonFiniteAt !== null ? `NaN at step ${s.nonFiniteAt}` : num(s.finalLoss),
      num(s.testLoss),
      s.testAccuracy === null ? '-' : `${(100 * s.testAccuracy).toFixed(1)}%`,
      num(s.firstLastRatio),
      num(r.depth?.signalRatio ?? null),
    ];
    if (recurrent) row.push(`${num(s.timeRatioStart)} -> ${num(s.timeRatio)}`);
    row.push(
      String(Math.round(s.stepsPerSec)),
      seconds(s.wallMs),
      r.verdicts.map((v) => (v.severity === 'critical' ? `${v.kind}!` : v.kind)).join(', '),
    );
    table.push(row);
  }
  return table.toString();
}

/** The verdicts of a run in words: what was measured, then the remedies in order with their reasons. */
export function verdictText(label: string, verdicts: readonly Verdict[], maxRemedies = 3): string {
  const lines = [`${label}:`];
  const shown = new Set<string>();
  for (const v of verdicts) {
    lines.push(
      `  [${v.severity}] ${v.kind}${v.layers.length > 0 ? ` (${layerList(v.layers)})` : ''}: ${v.message}`,
    );
    const top = v.remedies.slice(0, maxRemedies);
    // Verdicts of one cause often share remedies: list them once.
    const key = top.map((r) => r.id).join(',');
    if (top.length === 0) continue;
    if (shown.has(key)) {
      lines.push('      (remedies as above)');
      continue;
    }
    shown.add(key);
    top.forEach((r, i) => {
      lines.push(`      ${i + 1}. ${r.action}: ${r.reason}`);
    });
  }
  return lines.join('\n');
}

function layerList(layers: readonly string[]): string {
  return layers.length <= 4
    ? layers.join(', ')
    : `${layers.slice(0, 3).join(', ')} ... ${layers[layers.length - 1]}, ${layers.length} layers`;
}

/** Measured gradient flow beside the theory, for the runs that have a depth or time axis. */
export function flowText(runs: readonly RunResult[]): string {
  const lines: string[] = [];
  for (const r of runs) {
    const parts = [...(r.depth?.summary ?? []), ...r.time.map((t) => t.summary)];
    if (parts.length === 0) continue;
    lines.push(`${r.label}:`);
    for (const p of parts) lines.push(`  ${p}`);
  }
  return lines.join('\n');
}

/** The full human-readable report of one or more runs. */
export function report(runs: readonly RunResult[], title?: string): string {
  const blocks = [];
  if (title) blocks.push(title);
  blocks.push(runsTable(runs));
  blocks.push(`Verdicts\n${runs.map((r) => verdictText(r.label, r.verdicts)).join('\n')}`);
  const flow = flowText(runs);
  if (flow) blocks.push(`Gradient flow, measured beside theory\n${flow}`);
  return `${blocks.join('\n\n')}\n`;
}
