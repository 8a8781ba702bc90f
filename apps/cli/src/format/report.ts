import {
  compact,
  FINAL_LOSS_WINDOW,
  type RunAggregate,
  type RunResult,
  type Spread,
  type Verdict,
} from '@vgp/nn';
import Table from 'cli-table3';

// Every number below is printed with `compact` from @vgp/nn, the function the verdict messages use, so a
// figure that appears in the table and in a verdict reads the same in both.

/** A table cell: '-' when the figure does not apply (null), NaN and Infinity as such. */
function num(x: number | null | undefined): string {
  if (x === null || x === undefined) return '-';
  return compact(x);
}

function percent(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '-' : `${(100 * x).toFixed(1)}%`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A table without the columns that read '-' on every row (a figure that applies to no run says nothing). */
function table(head: string[], rows: string[][]): string {
  const keep = head.map((_, c) => c === 0 || rows.some((r) => r[c] !== '-'));
  // No colours: the table must read the same in a pipe, a file and a terminal.
  const t = new Table({
    head: head.filter((_, c) => keep[c]),
    style: { head: [], border: [], compact: true },
  });
  for (const r of rows) t.push(r.filter((_, c) => keep[c]));
  return t.toString();
}

/** The time-ratio column's header, with the sequence length the runs measured it over. */
function timeHeader(runs: readonly RunResult[]): string {
  const T = runs.find((r) => r.time.length > 0)?.time[0]?.norms.length;
  return `||dL/dh_1||/||dL/dh_${T ?? 'T'}||\nfirst step -> window`;
}

/** The words under a table that name the windows of its figures. */
function legend(recurrent: boolean, start = true): string {
  return (
    `final loss: median training loss over the last ${FINAL_LOSS_WINDOW * 100}% of the recorded steps (finite ` +
    'runs only). Gradient ratios: over the last half of the recorded steps before any non-finite value, the ' +
    `window the verdicts judge${recurrent && start ? '; the time ratio also at the first recorded step' : ''}.`
  );
}

/** One row per run: losses, the gradient-flow ratios, speed, and the verdict kinds. */
export function runsTable(runs: readonly RunResult[]): string {
  const recurrent = runs.some((r) => r.summary.timeRatio !== null);
  const head = ['run', 'final loss', 'test loss', 'test acc', 'first/last grad', 'signal ratio'];
  if (recurrent) head.push(timeHeader(runs));
  head.push('steps/s', 'time', 'verdicts');
  const rows: string[][] = [];
  for (const r of runs) {
    const s = r.summary;
    const row = [
      r.label,
      s.nonFiniteAt !== null ? `non-finite loss at step ${s.nonFiniteAt}` : num(s.finalLoss),
      num(s.testLoss),
      percent(s.testAccuracy),
      num(s.firstLastRatio),
      num(s.signalRatio),
    ];
    if (recurrent) row.push(`${num(s.timeRatioStart)} -> ${num(s.timeRatio)}`);
    row.push(
      String(Math.round(s.stepsPerSec)),
      seconds(s.wallMs),
      r.verdicts.map((v) => (v.severity === 'critical' ? `${v.kind}!` : v.kind)).join(', '),
    );
    rows.push(row);
  }
  return `${table(head, rows)}\n${legend(recurrent)}`;
}

/** "median [min, max]" of a spread, with how many seeds gave no finite value. */
function spread(s: Spread | undefined, asPercent = false): string {
  if (!s) return '-';
  const f = (x: number) => (asPercent ? percent(x) : compact(x));
  const body = s.n === 0 ? 'NaN' : s.n === 1 ? f(s.median) : `${f(s.median)} [${f(s.min)}, ${f(s.max)}]`;
  return s.nonFinite > 0 ? `${body} (NaN on ${s.nonFinite})` : body;
}

/** One row per config over seeds: the median [min, max] of each summary number and k/N per verdict. */
export function aggregateTable(aggregates: readonly RunAggregate[]): string {
  const recurrent = aggregates.some((a) => a.summary.timeRatio !== undefined);
  const head = ['run', 'seeds', 'final loss', 'test loss', 'test acc', 'first/last grad', 'signal ratio'];
  if (recurrent) head.push('||dL/dh_1||/||dL/dh_T||\n(window)');
  // A column of dashes says nothing: the non-finite step only when some seed went non-finite.
  const blewUp = aggregates.some((a) => a.summary.nonFiniteAt !== undefined);
  if (blewUp) head.push('non-finite loss\nat step');
  head.push('verdicts (seeds)');
  const rows: string[][] = [];
  for (const a of aggregates) {
    const s = a.summary;
    const row = [
      a.label,
      String(a.seeds.length),
      spread(s.finalLoss),
      spread(s.testLoss),
      spread(s.testAccuracy, true),
      spread(s.firstLastRatio),
      spread(s.signalRatio),
    ];
    if (recurrent) row.push(spread(s.timeRatio));
    if (blewUp)
      row.push(s.nonFiniteAt ? `${spread(s.nonFiniteAt)} on ${s.nonFiniteAt.n}/${a.seeds.length}` : '-');
    row.push(a.verdicts.map((v) => `${v.kind} ${v.count}/${v.of}`).join(', '));
    rows.push(row);
  }
  return (
    `${table(head, rows)}\nEach cell: median [min, max] over the seeds ${aggregates[0]?.seeds.join(', ') ?? ''}; ` +
    `verdicts: on how many seeds diagnosis named each. ${legend(recurrent, false)}`
  );
}

/** The verdicts of a run in words: what was measured, then the remedies in order with their reasons. */
export function verdictText(label: string, verdicts: readonly Verdict[], maxRemedies = 3): string {
  const lines = [`${label}:`];
  const shown = new Set<string>();
  for (const v of verdicts) {
    lines.push(
      `  [${v.severity}] ${v.kind}${v.layers.length > 0 ? ` (${layerList(v.layers)})` : ''}: ${v.message}`,
    );
    if (v.noRemedy) lines.push(`      (${v.noRemedy})`);
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
    lines.push(`${r.label}, ${r.summary.window}:`);
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

/** The report of a comparison over several seeds: the spread table, then the first seed's full report. */
export function seedsReport(
  aggregates: readonly RunAggregate[],
  firstSeed: readonly RunResult[],
  title?: string,
): string {
  const blocks = [];
  if (title) blocks.push(title);
  blocks.push(aggregateTable(aggregates));
  blocks.push(`Seed ${firstSeed[0]?.config.seed ?? ''} in full\n\n${report(firstSeed).trimEnd()}`);
  return `${blocks.join('\n\n')}\n`;
}
