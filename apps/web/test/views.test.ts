import type { History } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { gainView, layerRows, verdictViews } from '../src/worker/views.js';

type StepRecord = History['records'][number];
type Param = StepRecord['params'][number];
type LayerStat = StepRecord['layers'][number];

function param(layer: string, role: string, gradNorm: number): Param {
  return {
    name: `${layer}.${role}`,
    layer,
    role,
    shape: [2, 2],
    gradNorm,
    gradRms: gradNorm / 2,
    weightNorm: 1,
    updateRatio: null,
    nearZeroFrac: 0,
    nonFinite: 0,
  };
}

function layer(name: string, type: string, extra: Partial<LayerStat> = {}): LayerStat {
  return {
    name,
    type,
    activation: null,
    level: 0,
    gradIn: 1,
    actMean: 0,
    actStd: 1,
    saturatedFrac: null,
    deadFrac: null,
    nonFinite: 0,
    ...extra,
  };
}

const record: StepRecord = {
  step: 1,
  loss: 0.7,
  metric: null,
  gradNormTotal: 1,
  preClipNorm: null,
  params: [
    param('dense1', 'weight', 1e-6),
    param('dense1', 'bias', 1),
    param('dense2', 'weight', 1e-3),
    param('output', 'weight', 0.5),
  ],
  layers: [
    layer('dense1', 'Dense'),
    layer('sigmoid1', 'Activation', { saturatedFrac: 0.75 }),
    layer('dense2', 'Dense'),
    layer('relu2', 'Activation', { deadFrac: 0.25 }),
    layer('output', 'Dense'),
  ],
};

describe('worker views', () => {
  it('gives one row per weight layer, with the saturation/dead fraction of the activation after it', () => {
    const rows = layerRows(record);
    expect(rows.names).toEqual(['dense1', 'dense2', 'output']);
    expect(rows.gradNorms).toEqual([1e-6, 1e-3, 0.5]);
    expect(rows.saturation).toEqual([0.75, 0, 0]);
    expect(rows.dead).toEqual([0, 0.25, 0]);
    expect(rows.timeNorms).toBeNull();
  });

  it('takes the time-step norms of the first recurrent layer', () => {
    const rec = {
      ...record,
      layers: [layer('rnn1', 'RNN', { timeGradNorms: [1e-5, 1e-3, 1] }), ...record.layers],
    };
    expect(layerRows(rec).timeNorms).toEqual([1e-5, 1e-3, 1]);
  });

  it('words verdicts: message first, then evidence, layers as indexes, remedies with their variant change', () => {
    const [v] = verdictViews(
      [
        {
          kind: 'vanishing',
          severity: 'critical',
          layers: ['dense1', 'dense2'],
          message: 'the first layer gets 1e-6 of the last',
          evidence: { firstLastRatio: 2e-6, weightGradRms: [1, 2], activation: 'sigmoid', bound: null },
          remedies: [
            { id: 'relu-he', action: 'use ReLU with He initialization', reason: 'slope 1' },
            { id: 'lower-lr', action: 'lower the learning rate', reason: 'smaller steps' },
          ],
        },
      ],
      ['dense1', 'dense2', 'output'],
    );
    expect(v?.layers).toEqual([0, 1]);
    expect(v?.evidence).toEqual([
      'the first layer gets 1e-6 of the last',
      'first last ratio: 2.0e-6',
      'weight grad rms: 1, 2',
      'activation: sigmoid',
    ]);
    expect(v?.remedies[0]).toEqual({
      name: 'use ReLU with He initialization',
      short: 'ReLU + He',
      reason: 'slope 1',
      patch: { activation: 'relu', init: 'he' },
    });
    // A shared setting cannot become a variant: advice only.
    expect(v?.remedies[1]?.patch).toBeNull();
  });

  it('says so when no remedy is left that the run does not already have', () => {
    const [v] = verdictViews(
      [
        {
          kind: 'vanishing',
          severity: 'warning',
          layers: [],
          message: 'vanishing gradients through time',
          evidence: {},
          remedies: [],
          noRemedy: "none of vgp's remedies for vanishing applies that this run does not already have",
        },
      ],
      [],
    );
    expect(v?.evidence).toEqual([
      'vanishing gradients through time',
      "none of vgp's remedies for vanishing applies that this run does not already have",
    ]);
    expect(v?.remedies).toEqual([]);
  });

  it('reports the gain only when it was measured', () => {
    expect(gainView(null)).toBeUndefined();
  });
});
