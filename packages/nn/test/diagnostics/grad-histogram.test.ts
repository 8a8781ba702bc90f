import { ConfigError, TsBackend } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import {
  GRAD_HIST_BINS,
  GRAD_HIST_MAX_EXP,
  GRAD_HIST_MIN_EXP,
  GradientMonitor,
  HISTOGRAM_EVERY,
  histogramMedian,
} from '../../src/diagnostics/index.js';
import { getPreset } from '../../src/experiments/presets/index.js';
import { runExperiment } from '../../src/experiments/run.js';
import { Activation, Dense, MseLoss, Sequential } from '../../src/layers/index.js';
import { Rng } from '../../src/rng.js';
import { Tensor } from '../../src/tensor.js';
import { SGD } from '../../src/training/index.js';

function setup() {
  const backend = new TsBackend({ precision: 'f64' });
  const rng = new Rng(3);
  const model = new Sequential(
    [
      new Dense(4, 8, { backend, rng }),
      new Activation('sigmoid', { backend }),
      new Dense(8, 2, { backend, rng }),
    ],
    { backend },
  );
  const x = Tensor.from(
    backend,
    [16, 4],
    Array.from({ length: 64 }, () => rng.normal()),
  );
  const y = Array.from({ length: 32 }, () => rng.normal());
  const loss = new MseLoss(backend);
  const opt = new SGD(model.params(), { lr: 0.1 });
  const step = () => {
    const l = loss.forward(model.forward(x, { training: true }), y);
    model.backward(loss.backward());
    opt.step();
    return l;
  };
  return { backend, model, step };
}

/** The bin of |g| by the formula the histogram documents, clamped to the range. */
function binOf(g: number): number {
  const width = (GRAD_HIST_MAX_EXP - GRAD_HIST_MIN_EXP) / GRAD_HIST_BINS;
  const i = Math.floor((Math.log10(Math.abs(g)) - GRAD_HIST_MIN_EXP) / width);
  return Math.min(GRAD_HIST_BINS - 1, Math.max(0, i));
}

describe('GradientMonitor gradient histograms', () => {
  it('counts every entry of each weight gradient in its log10|g| bin, on the first and every n-th record', () => {
    const { model, step } = setup();
    const monitor = new GradientMonitor(model, { histogramEvery: 3 });
    const dense = [model.layers[0] as Dense, model.layers[2] as Dense];
    const taken: number[] = [];
    for (let s = 1; s <= 7; s++) {
      const rec = monitor.record(s, { loss: step() });
      if (!rec?.gradHistograms) continue;
      taken.push(s);
      // Weight matrices only, in model order; biases have no histogram.
      expect(rec.gradHistograms.map((h) => h.name)).toEqual(dense.map((d) => d.weight.name));
      for (const [i, h] of rec.gradHistograms.entries()) {
        const g = (dense[i] as Dense).weight.grad.read();
        const want = new Array<number>(GRAD_HIST_BINS).fill(0);
        for (const v of g) want[binOf(v)] = (want[binOf(v)] as number) + 1;
        expect(h.counts).toEqual(want);
        expect(h.counts.reduce((a, c) => a + c, 0)).toBe(g.length);
        expect([h.minExp, h.maxExp, h.role]).toEqual([GRAD_HIST_MIN_EXP, GRAD_HIST_MAX_EXP, 'weight']);
      }
    }
    expect(taken).toEqual([1, 4, 7]);
    monitor.dispose();
  });

  it('takes none with histogramEvery 0, frees its bins on dispose, rejects a bad interval', () => {
    const { backend, model, step } = setup();
    const byDefault = new GradientMonitor(model);
    expect(byDefault.histogramEvery).toBe(HISTOGRAM_EVERY);
    byDefault.dispose();
    step(); // the layers' own buffers exist from here on
    const before = backend.memoryBytes();
    const off = new GradientMonitor(model, { histogramEvery: 0 });
    expect(off.record(1, { loss: step() })?.gradHistograms).toBeUndefined();
    off.dispose();
    const on = new GradientMonitor(model, { histogramEvery: 1 });
    expect(on.record(1, { loss: step() })?.gradHistograms?.length).toBe(2);
    on.dispose();
    expect(backend.memoryBytes()).toBe(before);
    expect(() => new GradientMonitor(model, { histogramEvery: -1 })).toThrow(ConfigError);
    expect(() => new GradientMonitor(model, { histogramEvery: 2.5 })).toThrow(
      /histogramEvery must be an integer >= 0/,
    );
  });

  it('histogramMedian interpolates inside the bin where the cumulative count passes half', () => {
    // Bins of width 1 from -3: 2 entries in [-3,-2), 2 in [-2,-1) => the median is the edge -2.
    expect(histogramMedian({ minExp: -3, maxExp: 0, counts: [2, 2, 0] })).toBeCloseTo(-2, 12);
    // 1, 2, 1: half (2) is reached halfway through bin 1.
    expect(histogramMedian({ minExp: -3, maxExp: 0, counts: [1, 2, 1] })).toBeCloseTo(-1.5, 12);
    expect(histogramMedian({ minExp: -3, maxExp: 0, counts: [0, 0, 0] })).toBeNaN();
  });
});

describe('deep-sigmoid preset, read from the recorded histograms', () => {
  it("the first layer's median log10|g| is at least 8 decades below the last layer's", async () => {
    const run = await runExperiment(getPreset('deep-sigmoid').base);
    const withHist = run.history.records.filter((r) => r.gradHistograms);
    // 300 steps, one record per step: records 1, 51, ..., 251 carry histograms.
    expect(withHist.map((r) => r.step)).toEqual([1, 51, 101, 151, 201, 251]);
    for (const r of withHist) {
      const hs = r.gradHistograms ?? [];
      expect(hs.length).toBe(21);
      const first = histogramMedian(hs[0] as (typeof hs)[0]);
      const last = histogramMedian(hs[hs.length - 1] as (typeof hs)[0]);
      expect(last - first).toBeGreaterThanOrEqual(8);
      // Not an artefact of the range: the first layer's median sits inside it, above bin 0.
      expect(first).toBeGreaterThan(GRAD_HIST_MIN_EXP + 1);
    }
  }, 60_000);
});
