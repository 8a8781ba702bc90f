// The train suite end to end in quick mode without peers: it must train for real (its first loss is
// checked against the f64 reference inside the suite) and write train.json in the format of issue 3.
import { expect, it } from 'vitest';
import { QUICK } from '../src/harness.js';
import { machineInfo } from '../src/machine.js';
import { trainSuite } from '../src/suites/train.js';

it('writes train.json rows { backend, variant, model, stepsPerSec } for every vgp backend', async () => {
  const lines: string[] = [];
  const result = await trainSuite.run({
    quick: true,
    measure: QUICK,
    relaxed: false,
    peers: false,
    machine: await machineInfo(),
    log: (line) => lines.push(line),
  });
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
