// The train suite end to end in quick mode without peers: it must train for real (its first loss is
// checked against the f64 reference inside the suite) and write train.json in the format of issue 3.
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadBaselineCore } from '../src/baseline.js';
import { QUICK } from '../src/harness.js';
import { machineInfo } from '../src/machine.js';
import type { SuiteContext } from '../src/suite.js';
import { trainSuite } from '../src/suites/train.js';

/** Quick mode, no peers, no relaxed build: the harness on the smallest model. */
async function quickContext(extra: Partial<SuiteContext> = {}): Promise<SuiteContext> {
  return {
    quick: true,
    measure: QUICK,
    relaxed: false,
    peers: false,
    machine: await machineInfo(),
    log: () => {},
    ...extra,
  };
}

it('writes train.json rows { backend, variant, model, stepsPerSec } for every vgp backend', async () => {
  const lines: string[] = [];
  const result = await trainSuite.run(await quickContext({ log: (line) => lines.push(line) }));
  const rows = result.files['train.json'] as Array<Record<string, unknown>>;
  expect(rows.map((r) => [r.backend, r.variant, r.model])).toEqual([
    ['wasm', 'simd', 'mlp20x64'],
    ['ts', 'scalar', 'mlp20x64'],
  ]);
  for (const r of rows) {
    expect(Object.keys(r).sort()).toEqual(['backend', 'model', 'stepsPerSec', 'variant']);
    expect(r.stepsPerSec).toBeGreaterThan(0);
  }
  expect(result.markdown).toContain('| mlp20x64 |');
  expect(lines.some((l) => l.startsWith('train mlp20x64:'))).toBe(true);
}, 120_000);

it('races a baseline core (--baseline) in the same rounds and reports this/baseline ratios', async () => {
  // This checkout's own built core stands in for another commit's: the wiring is under test here.
  const baseline = await loadBaselineCore(fileURLToPath(new URL('../../../packages/core', import.meta.url)));
  const result = await trainSuite.run(await quickContext({ baseline }));
  // Baseline contestants are not rows of train.json (its format is issue 3's)...
  const rows = result.files['train.json'] as Array<Record<string, unknown>>;
  expect(rows.map((r) => r.variant)).toEqual(['simd', 'scalar']);
  // ...but they were timed, and their ratio to this build is in the report and the markdown.
  const report = result.files['train-report.json'] as {
    baseline: string;
    ratios: Array<Record<string, unknown>>;
    samples: Array<{ id: string }>;
  };
  expect(report.baseline).toBe(baseline.dir);
  expect(report.samples.map((s) => s.id)).toContain('baseline-wasm-simd');
  const ratio = report.ratios.find((r) => r.slower === 'baseline-wasm-simd');
  expect(ratio?.faster).toBe('vgp-wasm-simd');
  expect(ratio?.speedup).toBeGreaterThan(0);
  expect(result.markdown).toMatch(/\| mlp20x64 \| [\d.]+ \/ [\d.]+ = [\d.]+ \| – \/ – = – \|/);
}, 120_000);

it('says how to build a baseline when --baseline names no built core', async () => {
  await expect(loadBaselineCore('/nonexistent-vgp-baseline')).rejects.toThrow(
    /no built @vgp\/core there .*build-baseline\.sh/,
  );
});
