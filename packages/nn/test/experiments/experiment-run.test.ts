import { createBackend } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { remedies, type Verdict } from '../../src/diagnostics/index.js';
import {
  type ExperimentConfig,
  ExperimentRun,
  fitRemedies,
  loadTask,
  runExperiment,
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

const rnn: ExperimentConfig = {
  ...small,
  label: 'rnn',
  task: { kind: 'adding', length: 6, n: 64 },
  model: { kind: 'recurrent', cell: 'rnn', activation: 'tanh', hidden: 4, layers: 1 },
};

const timeless = ({ wallMs: _w, stepsPerSec: _s, ...rest }: { wallMs: number; stepsPerSec: number }) => rest;

describe('ExperimentRun', () => {
  it('calls `trained` while the layers hold the training batch, before the held-out check runs', async () => {
    const run = await ExperimentRun.create(small, { metricEvery: 1 });
    try {
      const means = () =>
        new Map(
          run.model.layers().flatMap((l) => {
            if (!l.output) return [];
            const v = run.model.backend.read(l.output.buf);
            return [[l.name, Array.from(v).reduce((a, x) => a + x, 0) / v.length] as const];
          }),
        );
      let inside = new Map<string, number>();
      const s = run.step(() => {
        inside = means();
      });
      // The held-out check ran on this step (it reuses the training batch size, so the same buffers).
      expect(s.recorded).toBe(true);
      const rec = run.lastRecord();
      expect(rec?.metric).not.toBeNull();
      const measured = (rec?.layers ?? []).filter((l) => l.actMean !== null);
      expect(measured.length).toBeGreaterThan(0);
      // What `trained` saw is what the monitor measured: the training batch's activations...
      for (const l of measured) expect(inside.get(l.name)).toBeCloseTo(l.actMean as number, 5);
      // ...which the held-out check then overwrote.
      const after = means();
      expect(
        measured.some((l) => Math.abs((after.get(l.name) as number) - (l.actMean as number)) > 1e-6),
      ).toBe(true);
    } finally {
      run.dispose();
    }
  });

  it('stepped by hand, gives runExperiment its run, bit for bit', async () => {
    const ref = await runExperiment(small);
    const run = await ExperimentRun.create(small);
    try {
      let n = 0;
      while (!run.done) {
        const s = run.step();
        n++;
        expect(s.step).toBe(n);
      }
      const r = run.result();
      expect(r.losses).toEqual(ref.losses);
      expect(r.history.records.map((x) => x.gradNormTotal)).toEqual(
        ref.history.records.map((x) => x.gradNormTotal),
      );
      expect(timeless(r.summary)).toEqual(timeless(ref.summary));
      expect(r.verdicts).toEqual(ref.verdicts);
    } finally {
      run.dispose();
    }
  });

  it('runs on a caller-owned backend without disposing it, and measures the metric from step 1 when asked', async () => {
    const backend = await createBackend('ts');
    const data = await loadTask(small.task, small.seed);
    const run = ExperimentRun.build(small, data, backend, { metricEvery: 5, metricAtFirstStep: true });
    run.step();
    expect(run.latestMetric).toBeGreaterThanOrEqual(0);
    expect(run.history().records[0]?.metric).toBe(run.latestMetric);
    run.dispose();
    // Still usable: a second run on the same backend.
    const again = ExperimentRun.build(small, data, backend);
    expect(again.step().step).toBe(1);
    again.dispose();
    backend.dispose();
  });

  it('prints the time ratio of its summary in its verdicts: one measurement behind both', async () => {
    const r = await runExperiment({ ...rnn, steps: 30 });
    const fromVerdict = r.verdicts.flatMap((v) =>
      typeof v.evidence.timeRatio === 'number' ? [v.evidence.timeRatio] : [],
    );
    expect(r.summary.timeRatio).toBe(r.time[0]?.ratio);
    for (const x of fromVerdict) expect(x).toBe(r.summary.timeRatio);
    expect(r.summary.window).toMatch(/^over the last half of the recorded steps \(steps 16-30\)$/);
  });
});

describe('fitRemedies', () => {
  const verdict = (ids: Parameters<typeof remedies>): Verdict => ({
    kind: 'vanishing',
    severity: 'warning',
    layers: [],
    message: '',
    evidence: {},
    remedies: remedies(...ids),
  });

  it('keeps only remedies that change the effective config and fit the model, and says so when none is left', () => {
    const lstm: ExperimentConfig = {
      ...rnn,
      model: { kind: 'recurrent', cell: 'lstm', hidden: 4, layers: 1, forgetBias: 1 },
      optimizer: { kind: 'adam', lr: 1e-3 },
    };
    const [v] = fitRemedies([verdict(['lstm', 'forget-bias', 'adam', 'batch-norm'])], lstm);
    expect(v?.remedies).toEqual([]);
    expect(v?.noRemedy).toMatch(/none of vgp's remedies for vanishing applies/);
    const [w] = fitRemedies([verdict(['lstm', 'gru', 'clip-norm', 'he-init'])], lstm);
    expect(w?.remedies.map((r) => r.id)).toEqual(['gru', 'clip-norm']);
    expect(w?.noRemedy).toBeUndefined();
    const he: ExperimentConfig = {
      ...small,
      model: { ...small.model, activation: 'relu', init: 'heNormal' },
      clip: { norm: 0.5 },
    };
    const [x] = fitRemedies([verdict(['he-init', 'relu-he', 'clip-norm', 'glorot-init', 'lstm'])], he);
    expect(x?.remedies.map((r) => r.id)).toEqual(['glorot-init']);
  });
});
