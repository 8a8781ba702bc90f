import { ConfigError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import {
  axisValues,
  canonicalJson,
  type ExperimentConfig,
  expandSweep,
  fnv1a64,
  getPreset,
  jobId,
} from '../../src/experiments/index.js';

const base: ExperimentConfig = {
  label: 'sigmoid',
  task: { kind: 'moons', n: 64 },
  model: { kind: 'mlp', depth: 3, width: 8, activation: 'sigmoid' },
  optimizer: { kind: 'sgd', lr: 0.1 },
  batchSize: 16,
  steps: 5,
  seed: 1,
  backend: 'ts',
};

function configError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('axisValues', () => {
  it('reads lists, inclusive integer ranges and numeric grids', () => {
    expect(axisValues('seed', '1..4')).toEqual([1, 2, 3, 4]);
    expect(axisValues('seed', ' -1 .. 1 ')).toEqual([-1, 0, 1]);
    expect(axisValues('optimizer.lr', { from: 1e-3, to: 1e-1, count: 3, scale: 'log' })).toEqual([
      0.001, 0.01, 0.1,
    ]);
    expect(axisValues('model.width', { from: 8, to: 32, count: 4 })).toEqual([8, 16, 24, 32]);
    expect(axisValues('remedies', [[], ['relu-he']])).toEqual([[], ['relu-he']]);
  });

  it('rejects empty, reversed, duplicate and malformed values, naming the axis', () => {
    expect(configError(() => axisValues('model.depth', []))).toMatch(/axis 'model.depth' has no values/);
    expect(configError(() => axisValues('seed', '5..1'))).toMatch(/axis 'seed' range "5..1" is empty/);
    expect(configError(() => axisValues('seed', '1-5'))).toMatch(/axis 'seed' must be a list/);
    expect(configError(() => axisValues('model.depth', [2, 3, 2]))).toMatch(/lists 2 twice/);
    expect(configError(() => axisValues('optimizer.lr', { from: 0, to: 1, count: 3, scale: 'log' }))).toMatch(
      /axis 'optimizer.lr' on a log scale needs from and to > 0/,
    );
    expect(configError(() => axisValues('optimizer.lr', { from: 0, to: 1, count: 0 }))).toMatch(/count/);
  });
});

describe('job ids', () => {
  it('hash the canonical JSON (key order does not matter, values do)', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: Number.NaN }] })).toBe(
      '{"a":[2,{"c":"NaN","d":3}],"b":1}',
    );
    expect(jobId({ a: 1, b: 2 })).toBe(jobId({ b: 2, a: 1 }));
    expect(jobId({ a: 1, b: 2 })).not.toBe(jobId({ a: 1, b: 3 }));
    // FNV-1a 64 reference values (the empty string is the offset basis; "a" from the published test suite).
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
  });
});

describe('expandSweep', () => {
  it('crosses the axes, seeds innermost, and applies each value at its path', () => {
    const plan = expandSweep({
      base,
      axes: { 'model.depth': [2, 4], seed: '1..3', remedies: [[], ['relu-he']] },
    });
    expect(plan.jobs).toHaveLength(12);
    expect(plan.groups).toEqual([
      'model.depth=2, remedies=[]',
      'model.depth=2, remedies=[relu-he]',
      'model.depth=4, remedies=[]',
      'model.depth=4, remedies=[relu-he]',
    ]);
    const j = plan.jobs[5];
    expect(j?.group).toBe('model.depth=2, remedies=[relu-he]');
    expect(j?.seed).toBe(3);
    expect(j?.point).toEqual({ 'model.depth': 2, remedies: ['relu-he'] });
    expect(j?.variant).toBeNull();
    expect(j?.config).toEqual({
      ...base,
      label: 'model.depth=2, remedies=[relu-he]',
      model: { ...base.model, depth: 2 },
      remedies: ['relu-he'],
      seed: 3,
    });
    expect(plan.jobs.map((x) => x.index)).toEqual([...Array(12).keys()]);
    expect(new Set(plan.jobs.map((x) => x.id)).size).toBe(12);
  });

  it('gives the same ids on every expansion, whatever the key order of the spec', () => {
    const a = expandSweep({ base, axes: { seed: '1..2', 'optimizer.lr': [0.1, 0.01] } });
    const b = expandSweep({
      axes: { seed: [1, 2], 'optimizer.lr': [0.1, 0.01] },
      base: JSON.parse(JSON.stringify({ ...base, seed: 7 })),
    });
    expect(b.jobs.map((j) => j.id)).toEqual(a.jobs.map((j) => j.id));
  });

  it("takes a preset's base and variants: one group per variant, the base first", () => {
    const plan = expandSweep({ preset: 'deep-sigmoid', axes: { seed: '1..4' } });
    const p = getPreset('deep-sigmoid');
    expect(plan.name).toBe('deep-sigmoid');
    expect(plan.groups).toEqual([p.base.label, ...p.variants.map((v) => v.label)]);
    expect(plan.jobs).toHaveLength(16);
    const relu = plan.jobs.filter((j) => j.group === 'ReLU + He');
    expect(relu.map((j) => j.seed)).toEqual([1, 2, 3, 4]);
    expect(relu[0]?.config.remedies).toEqual(['relu-he']);
    expect(relu.every((j) => j.variant === 'ReLU + He')).toBe(true);
    expect(plan.jobs[0]?.variant).toBe(p.base.label);
  });

  it('creates missing objects on the way to a path (clip.norm on a config without clip)', () => {
    const plan = expandSweep({ base, axes: { 'clip.norm': [1, 10] } });
    expect(plan.jobs.map((j) => j.config.clip)).toEqual([{ norm: 1 }, { norm: 10 }]);
  });

  it('rejects a bad value with a ConfigError naming the axis', () => {
    expect(configError(() => expandSweep({ base, axes: { 'model.depth': [2, 0] } }))).toMatch(
      /sweep axis 'model.depth' = 0: .*depth must be a positive integer/,
    );
    expect(configError(() => expandSweep({ base, axes: { 'optimizer.lr': [0.1, -1] } }))).toMatch(
      /sweep axis 'optimizer.lr' = -1: .*lr must be in/,
    );
    expect(configError(() => expandSweep({ base, axes: { remedies: [['lstm']] } }))).toMatch(
      /sweep axis 'remedies' = \["lstm"\]: remedy 'lstm' applies to recurrent models/,
    );
    expect(configError(() => expandSweep({ base, axes: { 'model.colour': ['red'] } }))).toMatch(
      /sweep axis 'model.colour' = "red": .*model spec has no field 'colour'/,
    );
    expect(configError(() => expandSweep({ base, axes: { 'seed.x': [1] } }))).toMatch(
      /axis 'seed.x': 'seed' is not an object/,
    );
    expect(configError(() => expandSweep({ base, axes: { seed: [1.5] } }))).toMatch(
      /axis 'seed' takes integers/,
    );
    expect(configError(() => expandSweep({ base, axes: { label: ['x'] } }))).toMatch(
      /axis 'label' is not allowed/,
    );
  });

  it('rejects a bad spec: unknown fields, no base, preset with base, a bad base, too many jobs', () => {
    expect(configError(() => expandSweep({ base, axis: {} }))).toMatch(/sweep spec: has no field 'axis'/);
    expect(configError(() => expandSweep({ axes: {} }))).toMatch(/needs a base config/);
    expect(configError(() => expandSweep({ preset: 'deep-sigmoid', base }))).toMatch(/either preset or base/);
    expect(configError(() => expandSweep({ base: { ...base, steps: 0 } }))).toMatch(
      /sweep spec: base: experiment config: steps must be an integer >= 1/,
    );
    expect(
      configError(() => expandSweep({ base, axes: { seed: '1..1000', 'optimizer.lr': '1..101' } })),
    ).toMatch(/expands to 101000 jobs/);
  });
});
