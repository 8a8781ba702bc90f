import { describe, expect, it } from 'vitest';
import { fromExperimentConfig, toExperimentConfig } from '../src/state/experiment-config.js';
import { DEFAULT_RUN, DEFAULT_SHARED, defaultState } from '../src/state/state.js';
import { parseState, serializeState } from '../src/state/url-state.js';
import { effectiveSigmaW, logHistogram } from '../src/views/mean-field-view.js';

describe('sigma_w and sigma_b in the playground state', () => {
  it('round-trip through the URL, and out-of-range values reject the link', () => {
    const s = defaultState();
    s.baseline = { ...s.baseline, init: 'scaled', sigmaW: 1.5, sigmaB: 0.3 };
    const q = serializeState(s);
    expect(q).toContain('b.sw=1.5');
    expect(q).toContain('b.sb=0.3');
    expect(parseState(q).state.baseline).toEqual(s.baseline);
    expect(parseState('b.sw=9').problems[0]).toMatch(/b\.sw: 9 is outside 0\.05\.\.4/);
  });

  it("'scaled' is varianceScaling with gain sigma_w; orthogonal takes the gain; sigma_b is biasStd", () => {
    const run = {
      ...DEFAULT_RUN,
      activation: 'tanh' as const,
      init: 'scaled' as const,
      sigmaW: 1.2,
      sigmaB: 0.05,
    };
    const c = toExperimentConfig(run, DEFAULT_SHARED);
    expect(c.model).toMatchObject({ init: { kind: 'varianceScaling', gain: 1.2 }, biasStd: 0.05 });
    expect(fromExperimentConfig(c).run).toMatchObject({ init: 'scaled', sigmaW: 1.2, sigmaB: 0.05 });
    const o = toExperimentConfig({ ...run, init: 'orthogonal', sigmaW: 2 }, DEFAULT_SHARED);
    expect(o.model.init).toEqual({ kind: 'orthogonal', gain: 2 });
    expect(fromExperimentConfig(o).run).toMatchObject({ init: 'orthogonal', sigmaW: 2 });
    expect(toExperimentConfig(DEFAULT_RUN, DEFAULT_SHARED).model).not.toHaveProperty('biasStd');
  });

  it('marks each init at its effective sigma_w and bins singular values by decade fractions', () => {
    expect(effectiveSigmaW({ ...DEFAULT_RUN, init: 'he' }, 32)).toBeCloseTo(Math.SQRT2, 12);
    expect(effectiveSigmaW({ ...DEFAULT_RUN, init: 'large' }, 64)).toBe(8);
    expect(effectiveSigmaW({ ...DEFAULT_RUN, init: 'scaled', sigmaW: 0.7 }, 64)).toBe(0.7);
    expect(logHistogram([1e-5, 0.1, 1, 1.5, 1e3], -4, 2, 6)).toEqual([1, 0, 0, 1, 2, 1]);
  });
});
