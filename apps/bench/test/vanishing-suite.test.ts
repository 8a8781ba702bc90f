// The vanishing suite end to end in quick mode: every case trains for real on each variant (flush on
// and off) and the report carries the rows and issue 17's target ratios, in the documented format.
import { expect, it } from 'vitest';
import { QUICK } from '../src/harness.js';
import { machineInfo } from '../src/machine.js';
import { vanishingSuite } from '../src/suites/vanishing.js';

it('writes vanishing.json rows { case, build, flush, early, late, overall, finalLoss } for every case and variant', async () => {
  const lines: string[] = [];
  const result = await vanishingSuite.run({
    quick: true,
    measure: QUICK,
    relaxed: false,
    peers: false,
    machine: await machineInfo(),
    log: (line) => lines.push(line),
  });
  const rows = result.files['vanishing.json'] as Array<Record<string, unknown>>;
  const cases = ['mlp60-tanh', 'mlp60-sigmoid', 'mlp60-relu', 'rnn-tanh', 'lstm', 'gru'];
  expect(rows.map((r) => [r.case, r.build, r.flush])).toEqual(
    cases.flatMap((c) => [
      [c, 'simd', true],
      [c, 'simd', false],
    ]),
  );
  for (const r of rows) {
    expect(Object.keys(r).sort()).toEqual([
      'build',
      'case',
      'early',
      'finalLoss',
      'flush',
      'late',
      'overall',
    ]);
    for (const k of ['early', 'late', 'overall']) expect(r[k]).toBeGreaterThan(0);
    expect(Number.isFinite(r.finalLoss)).toBe(true);
  }
  const report = result.files['vanishing-report.json'] as { ratios: Array<Record<string, unknown>> };
  expect(report.ratios.map((r) => [r.build, r.target, r.goal])).toEqual([
    ['simd', 'sigmoid MLP / tanh MLP, whole run', 0.8],
    ['simd', 'sigmoid MLP / tanh MLP, late', 0.8],
    ['simd', 'tanh RNN late / early', 0.8],
    ['simd', 'tanh RNN late / LSTM late', 2],
  ]);
  for (const r of report.ratios) expect(r.x).toBeGreaterThan(0);
  expect(result.markdown).toContain('| mlp60-sigmoid | simd (IEEE) |');
  expect(lines.filter((l) => l.startsWith('vanishing ')).length).toBe(12);
}, 120_000);
