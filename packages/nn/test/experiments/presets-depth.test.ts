import { describe, expect, it } from 'vitest';
import {
  applyRemedies,
  type ExperimentConfig,
  getPreset,
  loadTask,
  type RunResult,
  remedyApplies,
} from '../../src/experiments/index.js';
import { kinds, overSeeds, runs } from './preset-seeds.js';

// The feed-forward presets' stated outcomes on seeds 1..5 (preset-seeds.ts), and the remedy rules on every preset.

describe('preset deep-sigmoid', () => {
  it('on 5/5 seeds: the sigmoid net vanishes (first/last < 1e-11), ReLU+He and residual+BN do not and end lower, layer norm still vanishes', async () => {
    const p = getPreset('deep-sigmoid');
    const res = await overSeeds(p);
    for (const [i, sig] of runs(res, 'sigmoid (Glorot)').entries()) {
      const vanishing = sig.verdicts.find((v) => v.kind === 'vanishing');
      expect(vanishing?.severity).toBe('critical');
      expect(sig.summary.firstLastRatio).toBeLessThan(1e-11);
      expect(sig.summary.testAccuracy).toBeLessThan(0.6);
      for (const label of ['ReLU + He', 'residual + batch norm']) {
        const r = runs(res, label)[i] as RunResult;
        expect(kinds(r)).not.toContain('vanishing');
        expect(r.summary.firstLastRatio).toBeGreaterThan(0.1);
        expect(r.summary.firstLastRatio).toBeLessThan(10);
        expect(r.summary.finalLoss).toBeLessThan(sig.summary.finalLoss);
      }
      const ln = runs(res, 'layer norm')[i] as RunResult;
      expect(kinds(ln)).toContain('vanishing');
      expect(ln.summary.testAccuracy).toBeLessThan(0.6);
    }
    // The text's figure is the one the measured flow prints beside the measurement.
    expect(p.explanation).toContain('0.25^20 ~ 9.1e-13');
    expect(runs(res, 'sigmoid (Glorot)')[0]?.depth?.summary.join(' ')).toContain('0.25^20 ~ 9.1e-13');
  }, 600_000);
});

describe('preset glorot-vs-he', () => {
  it('on 5/5 seeds: the activation scale collapses after 30 ReLU layers with Glorot init (vanishing) and is kept with He init', async () => {
    const p = getPreset('glorot-vs-he');
    const res = await overSeeds(p);
    const he = runs(res, 'ReLU, He init');
    for (const [i, glorot] of runs(res, 'ReLU, Glorot init').entries()) {
      const h = he[i] as RunResult;
      // Theory: (1/sqrt 2)^29 ~ 4e-5 of the scale is left; measured at the first step.
      expect(glorot.depth?.activationRatio).toBeLessThan(1e-3);
      expect(h.depth?.activationRatio).toBeGreaterThan(0.1);
      expect(kinds(glorot)).toContain('vanishing');
      expect(kinds(h)).not.toContain('vanishing');
      expect(h.summary.finalLoss).toBeLessThan(glorot.summary.finalLoss);
    }
    expect(p.explanation).toContain('0.71^29 ~ 4.3e-5');
  }, 600_000);
});

describe('preset batchnorm-mnist', () => {
  it('on 5/5 seeds: batch norm lifts held-out accuracy above 85% (healthy) while the plain sigmoid net stays below 25% (vanishing)', async () => {
    const res = await overSeeds(getPreset('batchnorm-mnist'));
    const bn = runs(res, 'sigmoid 3x100 + batch norm');
    for (const [i, plain] of runs(res, 'sigmoid 3x100').entries()) {
      const b = bn[i] as RunResult;
      expect(b.summary.testAccuracy).toBeGreaterThan(0.85);
      expect(b.summary.testAccuracy ?? 0).toBeGreaterThan((plain.summary.testAccuracy ?? 0) + 0.2);
      expect(kinds(b)).toEqual(['healthy']);
      expect(plain.summary.testAccuracy).toBeLessThan(0.25);
      expect(kinds(plain)).toContain('vanishing');
    }
  }, 600_000);
});

describe('remedies fit every preset run', () => {
  it('for every preset and variant: a remedy applies only if it changes the effective config, never one of the wrong model kind', async () => {
    const { PRESETS, REMEDY_IDS, variantConfig, modelSpecFor } = await import('../../src/index.js');
    const recurrentOnly = ['lstm', 'gru', 'forget-bias', 'orthogonal-init'];
    const mlpOnly = [
      'relu-he',
      'he-init',
      'glorot-init',
      'residual',
      'batch-norm',
      'layer-norm',
      'leaky-relu',
    ];
    let checked = 0;
    for (const p of PRESETS) {
      const data = await loadTask(p.base.task, p.base.seed);
      for (const config of [p.base, ...p.variants.map((v) => variantConfig(p.base, v))]) {
        const effective: ExperimentConfig = { ...applyRemedies(config), model: modelSpecFor(config, data) };
        for (const id of REMEDY_IDS) {
          const applies = remedyApplies(id, effective);
          if (effective.model.kind === 'mlp' && recurrentOnly.includes(id)) expect(applies).toBe(false);
          if (effective.model.kind === 'recurrent' && mlpOnly.includes(id)) expect(applies).toBe(false);
          if (!applies) continue;
          checked++;
          expect(applyRemedies({ ...effective, remedies: [id] })).not.toEqual({ ...effective, remedies: [] });
        }
        // The cases the issue names: He on a He net, LSTM on an LSTM, clipping at or above the current threshold.
        if ((effective.model as { init?: unknown }).init === 'heNormal')
          expect(remedyApplies('he-init', effective)).toBe(false);
        if ((effective.model as { cell?: string }).cell === 'lstm')
          expect(remedyApplies('lstm', effective)).toBe(false);
        if ((effective.clip?.norm ?? Number.POSITIVE_INFINITY) <= 1)
          expect(remedyApplies('clip-norm', effective)).toBe(false);
        if (effective.optimizer.kind === 'adam') expect(remedyApplies('adam', effective)).toBe(false);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
