import { compact, formatFraction, PRESETS, parseJson } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { vgp } from './helpers.js';

// Every number the table and the verdict messages print about a run must be the JSON summary's number,
// printed by the one formatting function (`compact`, or `formatFraction` for shares). The presets run on
// short budgets here (the check is about printing, not about the outcome); exploding-rnn runs long
// enough to go non-finite, so the events are checked too.

interface Summary {
  nonFiniteAt: number | null;
  nonFiniteGradientAt: number | null;
  finalLoss: number;
  testLoss: number;
  firstLastRatio: number | null;
  signalRatio: number | null;
  timeRatioStart: number | null;
  timeRatio: number | null;
}
interface JsonRun {
  label: string;
  summary: Summary;
  verdicts: { kind: string; message: string }[];
}

/** The table's cells by column header (multi-line headers joined by a space), one record per run. */
export function parseTable(text: string): Record<string, string>[] {
  const lines = text.split('\n');
  const top = lines.findIndex((l) => l.startsWith('┌'));
  const mid = lines.findIndex((l, i) => i > top && l.startsWith('├'));
  const end = lines.findIndex((l, i) => i > mid && l.startsWith('└'));
  const cells = (l: string) =>
    l
      .split('│')
      .slice(1, -1)
      .map((c) => c.trim());
  const headRows = lines.slice(top + 1, mid).map(cells);
  const head = (headRows[0] ?? []).map((_, c) =>
    headRows
      .map((r) => r[c])
      .filter((x) => x)
      .join(' '),
  );
  return lines.slice(mid + 1, end).map((l) => Object.fromEntries(cells(l).map((v, c) => [head[c], v])));
}

/** Verdict messages by run label, from the "Verdicts" block. */
export function parseVerdicts(text: string): Map<string, { kind: string; message: string }[]> {
  const block = text.split('\nVerdicts\n')[1]?.split('\n\n')[0] ?? '';
  const out = new Map<string, { kind: string; message: string }[]>();
  let current: { kind: string; message: string }[] = [];
  for (const line of block.split('\n')) {
    const run = /^(\S.*):$/.exec(line);
    if (run) {
      current = [];
      out.set(run[1] as string, current);
      continue;
    }
    const v = /^ {2}\[\w+\] ([\w-]+)(?: \([^)]*\))?: (.*)$/.exec(line);
    if (v) current.push({ kind: v[1] as string, message: v[2] as string });
  }
  return out;
}

const NUM = '(-?[0-9.]+(?:e-?[0-9]+)?%?x?|NaN|Infinity|0)';

/** What each verdict phrase prints, and the summary field it must come from. */
const PHRASES: { re: RegExp; field: keyof Summary; fraction?: boolean }[] = [
  { re: new RegExp(`final loss ${NUM} \\(median`), field: 'finalLoss' },
  { re: new RegExp(`first/last gradient ratio ${NUM}`), field: 'firstLastRatio' },
  { re: new RegExp(`the first layer gets ${NUM} of the`), field: 'firstLastRatio', fraction: true },
  {
    re: new RegExp(`weight gradient and ${NUM} of its backward signal`),
    field: 'signalRatio',
    fraction: true,
  },
  { re: new RegExp(`\\|\\|dL/dh_1\\|\\| / \\|\\|dL/dh_\\d+\\|\\|(?: =)? ${NUM}`), field: 'timeRatio' },
  { re: /first non-finite gradient at step (\d+)/, field: 'nonFiniteGradientAt' },
  { re: /first non-finite loss at step (\d+)/, field: 'nonFiniteAt' },
];

/** Verdict numbers compared over all presets (each preset's table numbers are always compared). */
let verdictNumbers = 0;

const shown = (x: number | null, fraction = false) =>
  x === null ? '-' : fraction ? formatFraction(x) : compact(x);

describe('the table, the verdicts and the JSON print the same numbers', () => {
  it.each(
    PRESETS.map((p) => [p.name, p.name === 'exploding-rnn' ? 120 : Math.min(60, p.base.steps)] as const),
  )(
    '%s (%i steps)',
    async (name, steps) => {
      const args = ['compare', '--preset', name, '--steps', String(steps)];
      const [text, json] = [await vgp(...args), await vgp(...args, '--json')];
      expect(text.code).toBe(0);
      expect(json.code).toBe(0);
      const runs = (parseJson(json.out) as { runs: JsonRun[] }).runs;
      const table = parseTable(text.out);
      const verdicts = parseVerdicts(text.out);
      expect(table.map((r) => r.run)).toEqual(runs.map((r) => r.label));
      let compared = 0;
      for (const run of runs) {
        const s = run.summary;
        const row = table.find((r) => r.run === run.label) as Record<string, string>;
        expect(row['final loss']).toBe(
          s.nonFiniteAt !== null ? `non-finite loss at step ${s.nonFiniteAt}` : shown(s.finalLoss),
        );
        // A column that reads '-' on every row is left out of the table.
        expect(row['test loss']).toBe(shown(s.testLoss));
        expect(row['first/last grad'] ?? '-').toBe(shown(s.firstLastRatio));
        expect(row['signal ratio'] ?? '-').toBe(shown(s.signalRatio));
        const timeCol = Object.keys(row).find((k) => k.startsWith('||dL/dh_1||'));
        if (timeCol) expect(row[timeCol]).toBe(`${shown(s.timeRatioStart)} -> ${shown(s.timeRatio)}`);
        compared += 4;
        // The verdict messages of the text are those of the JSON, and each number they print is the summary's.
        const texts = verdicts.get(run.label) ?? [];
        expect(texts.map((v) => v.message)).toEqual(run.verdicts.map((v) => v.message));
        for (const v of texts) {
          for (const p of PHRASES) {
            const m = p.re.exec(v.message);
            if (!m) continue;
            const value = s[p.field];
            expect(value, `${run.label}: '${m[0]}' in a ${v.kind} verdict`).not.toBeNull();
            if (p.field === 'nonFiniteAt' || p.field === 'nonFiniteGradientAt')
              expect(Number(m[1])).toBe(value);
            else expect(m[1]).toBe(shown(value, p.fraction));
            compared++;
            verdictNumbers++;
          }
        }
      }
      expect(compared).toBeGreaterThanOrEqual(4 * runs.length);
    },
    120_000,
  );

  it('compared numbers printed inside verdict messages too (final loss, ratios, non-finite steps)', () => {
    expect(verdictNumbers).toBeGreaterThan(10);
  });
});
