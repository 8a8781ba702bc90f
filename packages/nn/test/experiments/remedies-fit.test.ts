import { describe, expect, it } from 'vitest';
import { compare, PRESETS } from '../../src/experiments/index.js';
import { expectRemediesFit, SEEDS } from './preset-seeds.js';

// Every preset and every variant on seeds 1..5, on a short budget (the property is about which remedies
// a verdict may list, not about the outcome, which presets-depth/presets-time check at full budget):
// no verdict lists a remedy the run already has, and each listed one changes the config when applied.

/** Remedies listed over every preset, variant and seed: the check must have had something to check. */
let listed = 0;

describe('remedies fit the run, for every preset and variant on seeds 1..5', () => {
  it.each(PRESETS.map((p) => [p.name, p] as const))(
    '%s',
    async (_name, p) => {
      const res = await compare({ ...p.base, steps: Math.min(p.base.steps, 24) }, p.variants, {
        seeds: SEEDS,
      });
      expect(res.runs).toHaveLength(SEEDS * (1 + p.variants.length));
      for (const run of res.runs) {
        expectRemediesFit(run);
        listed += run.verdicts.reduce((n, v) => n + v.remedies.length, 0);
      }
    },
    300_000,
  );

  it('checked the remedies of many verdicts', () => {
    expect(listed).toBeGreaterThan(50);
  });
});
