import { ConfigError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import {
  applyRemedies,
  compare,
  type ExperimentConfig,
  parseJson,
  runExperiment,
  runsToCsv,
  stringifyJson,
  validateConfig,
  variantConfig,
} from '../../src/experiments/index.js';

const small: ExperimentConfig = {
  label: 'small',
  task: { kind: 'xor', n: 96 },
  model: { kind: 'mlp', depth: 3, width: 8, activation: 'tanh' },
  optimizer: { kind: 'sgd', lr: 0.1 },
  batchSize: 16,
  steps: 24,
  seed: 7,
  backend: 'ts',
};

describe('validateConfig', () => {
  it.each([
    [{ ...small, steps: 0 }, /steps must be an integer >= 1, got 0/],
    [{ ...small, seed: 'x' }, /seed must be an integer, got "x"/],
    [{ ...small, backend: 'gpu' }, /backend must be 'wasm' or 'ts', got "gpu"/],
    [{ ...small, task: { kind: 'adding', length: 1 } }, /task.length must be an integer >= 2, got 1/],
    [{ ...small, task: { kind: 'spirals' } }, /task.kind must be one of spiral, circles/],
    [{ ...small, task: { kind: 'xor', size: 3 } }, /task has no field 'size'; allowed: kind, n, noise/],
    [{ ...small, model: { kind: 'cnn' } }, /model.kind must be 'mlp' or 'recurrent', got "cnn"/],
    [{ ...small, remedies: ['relu-he', 'magic'] }, /remedies\[1\] must be one of relu-he, /],
    [{ ...small, clip: { norm: -1 } }, /clip.norm must be a number > 0, got -1/],
    [{ ...small, batchsize: 3 }, /the config has no field 'batchsize'/],
    [null, /the config must be an object, got null/],
  ])('rejects %j naming the field', (config, message) => {
    expect(() => validateConfig(config)).toThrow(ConfigError);
    expect(() => validateConfig(config)).toThrow(message);
  });

  it('accepts a valid config as is', () => {
    expect(validateConfig(small)).toBe(small);
  });
});

describe('applyRemedies', () => {
  it('turns remedy ids into the smallest config change, in order, once', () => {
    const c = applyRemedies({ ...small, remedies: ['relu-he', 'batch-norm', 'clip-norm', 'lower-lr'] });
    expect(c.model).toMatchObject({ activation: 'relu', init: 'heNormal', norm: 'batch' });
    expect(c.clip).toEqual({ norm: 1 });
    expect(c.optimizer.lr).toBeCloseTo(0.01, 12);
    expect(applyRemedies(c)).toEqual(c);
    // The optimizer's default learning rate is the one lowered when the spec has none.
    expect(
      applyRemedies({ ...small, optimizer: { kind: 'adam' }, remedies: ['lower-lr'] }).optimizer.lr,
    ).toBeCloseTo(1e-4, 12);
  });

  it('swaps recurrent cells and refuses remedies that do not fit the model', () => {
    const rnn: ExperimentConfig = {
      ...small,
      task: { kind: 'adding', length: 5 },
      model: { kind: 'recurrent', cell: 'rnn', activation: 'tanh', hidden: 4, layers: 1 },
    };
    expect(applyRemedies({ ...rnn, remedies: ['lstm'] }).model).toEqual({
      kind: 'recurrent',
      cell: 'lstm',
      hidden: 4,
      layers: 1,
    });
    expect(() => applyRemedies({ ...rnn, remedies: ['batch-norm'] })).toThrow(
      /remedy 'batch-norm' applies to mlp models/,
    );
    expect(() => applyRemedies({ ...small, remedies: ['gru'] })).toThrow(
      /remedy 'gru' applies to recurrent models/,
    );
  });

  it('keeps data, seed and budget out of a variant', () => {
    expect(() => variantConfig(small, { label: 'longer', steps: 99 } as never)).toThrow(
      /variant 'longer' sets steps; a comparison takes task, seed, batchSize, steps from the base/,
    );
    expect(() => variantConfig(small, { label: 'lstm', remedies: ['lstm'] })).toThrow(
      /^variant 'lstm': remedy 'lstm'/,
    );
  });
});

describe('runExperiment', () => {
  it('is bitwise reproducible for a seed and backend', async () => {
    const a = await runExperiment(small);
    const b = await runExperiment(small);
    expect(a.losses).toEqual(b.losses);
    expect(a.losses).toHaveLength(24);
    expect(a.history.records).toHaveLength(24);
    const c = await runExperiment({ ...small, seed: 8 });
    expect(c.losses).not.toEqual(a.losses);
  });

  it('streams records at the sampling interval and stops when aborted', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    const r = await runExperiment(
      { ...small, monitorEvery: 2 },
      {
        signal: ac.signal,
        onRecord: (rec) => seen.push(rec.step),
        onStep: (step) => {
          if (step === 9) ac.abort();
        },
      },
    );
    expect(r.summary.cancelled).toBe(true);
    expect(r.summary.steps).toBe(9);
    expect(seen).toEqual([2, 4, 6, 8]);
    expect(r.history.records.map((x) => x.step)).toEqual(seen);
  });

  it('attaches held-out accuracy as the metric about ten times per run', async () => {
    const r = await runExperiment({ ...small, steps: 40, monitorEvery: 3 });
    const withMetric = r.history.records.filter((x) => x.metric !== null);
    // The first record at or after every 4th step: 6, 9, 12, 18, 21, 24, 30, 33, 36.
    expect(withMetric.map((x) => x.step)).toEqual([6, 9, 12, 18, 21, 24, 30, 33, 36]);
    for (const x of withMetric) expect(x.metric).toBeGreaterThanOrEqual(0);
    for (const x of withMetric) expect(x.metric).toBeLessThanOrEqual(1);
  });
});

describe('compare', () => {
  it('gives every variant the same data, initial weights and batch order', async () => {
    // With lr 0 the weights never move, so each step's gradient depends only on the batch: the clipped
    // variant's pre-clip norm must equal the base's gradient norm at every step. The Adam variant's
    // first gradient (same initial weights, same first batch) must equal the base's too.
    const frozen: ExperimentConfig = { ...small, optimizer: { kind: 'sgd', lr: 0 } };
    const res = await compare(frozen, [
      { label: 'clipped', remedies: ['clip-norm'] },
      { label: 'adam', optimizer: { kind: 'adam', lr: 0.01 } },
    ]);
    const [base, clipped, adam] = res.runs;
    const baseNorms = base?.history.records.map((r) => r.gradNormTotal);
    expect(clipped?.history.records.map((r) => r.preClipNorm)).toEqual(baseNorms);
    expect(new Set(baseNorms).size).toBeGreaterThan(1);
    expect(adam?.history.records[0]?.params.map((p) => p.gradNorm)).toEqual(
      base?.history.records[0]?.params.map((p) => p.gradNorm),
    );
    expect(adam?.losses[0]).toBe(base?.losses[0]);
  });
});

describe('serialization', () => {
  it('keeps NaN and Infinity through JSON', () => {
    const text = stringifyJson({
      a: Number.NaN,
      b: [1, Number.POSITIVE_INFINITY],
      c: Number.NEGATIVE_INFINITY,
      d: null,
    });
    expect(text).toContain('"NaN"');
    const back = parseJson(text) as { a: number; b: number[]; c: number; d: null };
    expect(Number.isNaN(back.a)).toBe(true);
    expect(back.b).toEqual([1, Number.POSITIVE_INFINITY]);
    expect(back.c).toBe(Number.NEGATIVE_INFINITY);
    expect(back.d).toBeNull();
  });

  it('writes CSV with a header, quoted labels, one row per recorded step, and no column empty on every row', async () => {
    const r = await runExperiment({ ...small, label: 'tanh, small', steps: 6, monitorEvery: 3 });
    const lines = runsToCsv([r]).trim().split('\n');
    // No pre_clip_norm column (the run does not clip) and no grad_in at the activations (the monitor never
    // measures the backward signal at the inputs of Activation layers): they would be empty on every row.
    expect(lines[0]).toBe(
      'run,seed,step,loss,grad_norm_total,grad_rms:dense1,update_ratio:dense1,grad_rms:dense2,update_ratio:dense2,' +
        'grad_rms:dense3,update_ratio:dense3,grad_rms:output,update_ratio:output,grad_in:dense1,grad_in:dense2,' +
        'grad_in:dense3,grad_in:output',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]?.startsWith('"tanh, small",7,3,')).toBe(true);
    const [step, loss] = (lines[2] ?? '').slice('"tanh, small",7,'.length).split(',');
    expect(step).toBe('6');
    expect(Number(loss)).toBeCloseTo(r.history.records[1]?.loss ?? Number.NaN, 6);
    const clipped = await runExperiment({ ...small, steps: 3, clip: { norm: 1 } });
    expect(runsToCsv([clipped]).split('\n')[0]).toMatch(/^run,seed,step,loss,grad_norm_total,pre_clip_norm,/);
    for (const csv of [runsToCsv([r]), runsToCsv([r, clipped])]) {
      const rows = csv
        .trim()
        .split('\n')
        .map((l) => l.split(','));
      const header = rows[0] as string[];
      header.forEach((_, c) => {
        expect(rows.slice(1).some((row) => row[c] !== '')).toBe(true);
      });
    }
  });
});
