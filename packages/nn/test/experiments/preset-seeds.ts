import { expect } from 'vitest';
import {
  applyRemedies,
  type CompareResult,
  compare,
  type Preset,
  type RunResult,
  remedyApplies,
} from '../../src/experiments/index.js';

// Shared by the preset acceptance tests (presets-depth, presets-time): each outcome a preset's text
// states, on seeds 1..5 (the preset's own seed and the next four), on the presets' own configs (WASM).
// Runs are deterministic for a seed and backend, so these do not flake. Each comparison also checks that no verdict suggests a remedy the run
// already has or one that would not change its config.

export const SEEDS = 5;

/**
 * The preset (only the variants named, to keep the budget small) on seeds 1..5; `every` records the
 * diagnostics on every n-th step only, where the outcome holds so (the long recurrent presets).
 */
export async function overSeeds(p: Preset, labels?: string[], every?: number): Promise<CompareResult> {
  const variants = labels ? p.variants.filter((v) => labels.includes(v.label)) : p.variants;
  const base = every ? { ...p.base, monitorEvery: every } : p.base;
  const res = await compare(base, variants, { seeds: SEEDS });
  expect(res.runs).toHaveLength(SEEDS * (1 + variants.length));
  for (const run of res.runs) expectRemediesFit(run);
  return res;
}

/** Every remedy of every verdict applies to the run's effective config and changes it. */
export function expectRemediesFit(run: RunResult): void {
  for (const v of run.verdicts) {
    for (const r of v.remedies) {
      const where = `${run.label}, seed ${run.config.seed}, ${v.kind}: ${r.id}`;
      expect(remedyApplies(r.id, run.effective), where).toBe(true);
      expect(applyRemedies({ ...run.effective, remedies: [r.id] }), where).not.toEqual({
        ...run.effective,
        remedies: [],
      });
    }
  }
}

/** The runs of one config, seed by seed. */
export function runs(res: CompareResult, label: string): RunResult[] {
  const out = res.runs.filter((r) => r.label === label);
  if (out.length !== SEEDS) throw new Error(`expected ${SEEDS} runs of '${label}', got ${out.length}`);
  return out;
}

export const kinds = (r: RunResult) => r.verdicts.map((v) => v.kind);
