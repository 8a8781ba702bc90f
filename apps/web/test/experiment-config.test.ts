import type { ExperimentConfig } from '@vgp/nn';
import { applyRemedies, PRESETS } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { fromExperimentConfig, toExperimentConfig } from '../src/state/experiment-config.js';
import { type PresetLike, presetView, presetViews } from '../src/state/presets.js';
import { DEFAULT_RUN, DEFAULT_SHARED } from '../src/state/state.js';

/** The shape of @vgp/nn's deep-sigmoid preset (Glorot & Bengio 2010 and its remedies). */
const deepSigmoid: PresetLike = {
  name: 'deep-sigmoid',
  title: 'deep sigmoid',
  citation: 'Glorot & Bengio 2010',
  explanation: 'why',
  watch: 'the ratio',
  base: {
    label: 'sigmoid (Glorot)',
    task: { kind: 'moons', n: 512, noise: 0.1 },
    model: { kind: 'mlp', depth: 20, width: 32, activation: 'sigmoid', init: 'glorotUniform' },
    optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 },
    batchSize: 64,
    steps: 300,
    seed: 1,
    backend: 'wasm',
  },
  variants: [
    { label: 'ReLU + He', remedies: ['relu-he'] },
    { label: 'residual + batch norm', remedies: ['residual', 'batch-norm'] },
    { label: 'layer norm', remedies: ['layer-norm'] },
  ],
};

describe('playground runs as ExperimentConfigs', () => {
  it('maps the toggles onto the config fields', () => {
    const run = { ...DEFAULT_RUN, activation: 'relu' as const, init: 'he' as const, norm: 'batch' as const };
    const c = toExperimentConfig({ ...run, clip: 'norm', clipValue: 2, optimizer: 'adam' }, DEFAULT_SHARED);
    expect(c.model).toMatchObject({
      kind: 'mlp',
      depth: 10,
      width: 32,
      activation: 'relu',
      init: 'heNormal',
      norm: 'batch',
    });
    expect(c.clip).toEqual({ norm: 2 });
    // Adam runs at the shared (SGD) rate times 0.1.
    expect(c.optimizer).toEqual({ kind: 'adam', lr: 0.01 });
    expect(c.task).toEqual({ kind: 'spiral', noise: DEFAULT_SHARED.noise, n: DEFAULT_SHARED.samples });
  });

  it('builds recurrent configs for the sequence tasks, with the cell and no mlp-only fields', () => {
    const shared = { ...DEFAULT_SHARED, task: 'adding' as const, seqLen: 40, depth: 1, width: 64 };
    const c = toExperimentConfig({ ...DEFAULT_RUN, cell: 'lstm' }, shared);
    expect(c.task).toEqual({ kind: 'adding', length: 40, n: 512 });
    expect(c.model).toEqual({
      kind: 'recurrent',
      cell: 'lstm',
      hidden: 64,
      layers: 1,
    });
    // For recurrent nets "large" is about W_hh: orthogonal with gain 2, as the exploding-RNN preset.
    const big = toExperimentConfig({ ...DEFAULT_RUN, init: 'large' }, shared);
    expect(big.model).toMatchObject({
      cell: 'rnn',
      activation: 'tanh',
      recurrentInit: { kind: 'orthogonal', gain: 2 },
    });
    expect(fromExperimentConfig(big).run.init).toBe('large');
  });

  it('reads a config back into the same toggles', () => {
    const run = {
      ...DEFAULT_RUN,
      label: 'x',
      activation: 'elu' as const,
      init: 'small' as const,
      residual: true,
    };
    const back = fromExperimentConfig(toExperimentConfig(run, DEFAULT_SHARED));
    expect(back.run).toEqual(run);
    expect(back.shared).toMatchObject({ depth: 10, width: 32, lr: DEFAULT_SHARED.lr, task: 'spiral' });
  });
});

describe('presets as playground states', () => {
  it('maps every @vgp/nn preset on a playground task, listing any difference', () => {
    const views = presetViews(PRESETS);
    expect(views.map((v) => v.id)).toEqual(PRESETS.map((p) => p.name));
    const exact = views.filter((v) => v.differences.length === 0).map((v) => v.id);
    expect(exact).toEqual(
      expect.arrayContaining(['deep-sigmoid', 'batchnorm-mnist', 'rnn-adding', 'rnn-copy', 'exploding-rnn']),
    );
  });

  it('loads deep-sigmoid exactly: same task, model, optimizer and remedies for every run', () => {
    const v = presetView(deepSigmoid);
    expect(v).not.toBeNull();
    if (!v) return;
    expect(v.differences).toEqual([]);
    expect(v.state.preset).toBe('deep-sigmoid');
    expect(v.state.shared).toMatchObject({
      task: 'moons',
      depth: 20,
      width: 32,
      lr: 0.01,
      batchSize: 64,
      steps: 300,
    });
    expect(v.state.baseline).toMatchObject({ activation: 'sigmoid', init: 'glorot', optimizer: 'momentum' });
    expect(v.state.variants.map((r) => r.label)).toEqual([
      'ReLU + He',
      'residual + batch norm',
      'layer norm',
    ]);
    expect(v.state.variants[0]).toMatchObject({ activation: 'relu', init: 'he' });
    expect(v.state.variants[1]).toMatchObject({ residual: true, norm: 'batch' });
    expect(v.state.variants[2]).toMatchObject({ norm: 'layer' });
  });

  it('names what it cannot express instead of hiding it', () => {
    const tweaked: PresetLike = {
      ...deepSigmoid,
      variants: [{ label: 'slow', optimizer: { kind: 'momentum', lr: 0.001, momentum: 0.9 } }],
    };
    const v = presetView(tweaked);
    expect(v?.differences.join('\n')).toContain('optimizer.lr: the preset uses 0.001, the playground 0.01');
  });

  it('skips presets on tasks the playground does not offer (MNIST read row by row)', () => {
    const mnist = {
      ...deepSigmoid,
      base: { ...deepSigmoid.base, task: { kind: 'mnist', layout: 'rows' } } as ExperimentConfig,
    };
    expect(presetView(mnist)).toBeNull();
  });

  it('keeps the configs valid for @vgp/nn', () => {
    const v = presetView(deepSigmoid);
    for (const run of [v?.state.baseline, ...(v?.state.variants ?? [])]) {
      if (run && v) expect(() => applyRemedies(toExperimentConfig(run, v.state.shared))).not.toThrow();
    }
  });
});
