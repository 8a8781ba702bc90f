import { describe, expect, it } from 'vitest';
import { applyRemedies, remedyApplies } from '../../src/experiments/apply-remedies.js';
import type { ExperimentConfig } from '../../src/experiments/config.js';
import { criticalSigmaW } from '../../src/mean-field/theory.js';

const tanh: ExperimentConfig = {
  label: 'deep tanh',
  task: { kind: 'moons', n: 64 },
  model: { kind: 'mlp', depth: 20, width: 16, activation: 'tanh', init: 'glorotUniform', biasStd: 0.05 },
  optimizer: { kind: 'sgd', lr: 0.1 },
  batchSize: 16,
  steps: 10,
  seed: 1,
  backend: 'ts',
};

describe("remedy 'critical-init'", () => {
  it("sets N(0, sigma_w^2 / fan_in) weights at the edge of chaos for the activation and the run's sigma_b", () => {
    const c = applyRemedies({ ...tanh, remedies: ['critical-init'] });
    const init = c.model.init as { kind: string; gain: number };
    expect(init.kind).toBe('varianceScaling');
    expect(Math.abs(init.gain / 1.1225 - 1)).toBeLessThan(0.01);
    expect(c.model.kind === 'mlp' && c.model.biasStd).toBe(0.05);
    const sigmoid = applyRemedies({
      ...tanh,
      model: { ...tanh.model, activation: 'sigmoid', biasStd: 0 } as ExperimentConfig['model'],
      remedies: ['critical-init'],
    });
    expect((sigmoid.model.init as { gain: number }).gain).toBeCloseTo(criticalSigmaW('sigmoid', 0), 12);
  });

  it('applies to plain mlps not already at the critical point; not to recurrent, normalized or residual nets', () => {
    expect(remedyApplies('critical-init', tanh)).toBe(true);
    expect(remedyApplies('critical-init', applyRemedies({ ...tanh, remedies: ['critical-init'] }))).toBe(
      false,
    );
    expect(
      remedyApplies('critical-init', {
        ...tanh,
        model: { ...tanh.model, norm: 'batch' } as ExperimentConfig['model'],
      }),
    ).toBe(false);
    expect(
      remedyApplies('critical-init', {
        ...tanh,
        model: { ...tanh.model, residual: true } as ExperimentConfig['model'],
      }),
    ).toBe(false);
    const rnn: ExperimentConfig = {
      ...tanh,
      task: { kind: 'adding', length: 6, n: 64 },
      model: { kind: 'recurrent', cell: 'rnn', hidden: 4, layers: 1 },
    };
    expect(remedyApplies('critical-init', rnn)).toBe(false);
    // GELU at sigma_b = 0.05 has no edge of chaos (chi_1 jumps over 1): nothing to suggest.
    expect(
      remedyApplies('critical-init', {
        ...tanh,
        model: { ...tanh.model, activation: 'gelu' } as ExperimentConfig['model'],
      }),
    ).toBe(false);
  });
});
