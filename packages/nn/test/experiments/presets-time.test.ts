import { describe, expect, it } from 'vitest';
import { getPreset, loadTask, type RunResult } from '../../src/experiments/index.js';
import { kinds, overSeeds, runs } from './preset-seeds.js';

// The recurrent presets' stated outcomes on seeds 1..5 (preset-seeds.ts); a file of its own so it runs beside presets-depth.

describe('preset exploding-rnn', () => {
  it('on 5/5 seeds: the unclipped run explodes (non-finite or saturated far above guessing), every clipped run finishes finite and healthy', async () => {
    const p = getPreset('exploding-rnn');
    expect(p.variants.map((v) => v.clip)).toEqual([{ norm: 0.1 }, { norm: 1 }, { norm: 10 }]);
    const res = await overSeeds(p);
    const guess = (await loadTask(p.base.task, p.base.seed)).chanceLoss;
    expect(guess).toBeCloseTo(0.167, 3);
    expect(p.explanation).toContain(`${guess.toFixed(3)}`);
    for (const plain of runs(res, 'no clipping')) {
      expect(kinds(plain)).toContain('exploding');
      expect(kinds(plain)).not.toContain('vanishing');
      if (plain.summary.nonFiniteAt === null) {
        expect(plain.summary.finalLoss).toBeGreaterThan(10 * guess);
        expect(kinds(plain)).toContain('saturation');
      } else expect(kinds(plain)).toContain('non-finite');
    }
    expect(runs(res, 'no clipping').some((r) => r.summary.nonFiniteAt !== null)).toBe(true);
    for (const c of [0.1, 1, 10]) {
      for (const clipped of runs(res, `clip norm ${c}`)) {
        expect(clipped.summary.nonFiniteAt).toBeNull();
        expect(clipped.summary.steps).toBe(p.base.steps);
        expect(Number.isFinite(clipped.summary.finalLoss)).toBe(true);
        expect(kinds(clipped)).toEqual(['healthy']);
        if (c === 1) expect(clipped.summary.testLoss).toBeLessThan(guess);
      }
    }
  }, 600_000);
});

describe('preset rnn-adding', () => {
  it('on 5/5 seeds: the tanh RNN vanishes through time (ratio < 1e-3) near guessing, while LSTM and GRU start below 1e-6 and learn the task', async () => {
    const p = getPreset('rnn-adding');
    expect(p.base.task).toMatchObject({ kind: 'adding', length: 100 });
    expect(p.watch).toContain('||dL/dh_1|| / ||dL/dh_100||');
    const guess = (await loadTask(p.base.task, p.base.seed)).chanceLoss;
    expect(p.explanation).toContain(guess.toFixed(3));
    const res = await overSeeds(p);
    for (const rnn of runs(res, 'tanh RNN')) {
      const v = rnn.verdicts.find((x) => x.kind === 'vanishing' && x.evidence.axis === 'time');
      expect(v?.layers).toEqual(['rnn1']);
      expect(rnn.summary.timeRatio).toBeLessThan(1e-3);
      expect(v?.evidence.timeRatio).toBe(rnn.summary.timeRatio);
      expect(rnn.summary.testLoss).toBeGreaterThan(0.6 * guess);
    }
    for (const label of ['LSTM', 'GRU']) {
      for (const gated of runs(res, label)) {
        expect(gated.summary.timeRatioStart).toBeLessThan(1e-6);
        expect(gated.summary.testLoss).toBeLessThan(0.05);
      }
    }
  }, 900_000);
});

describe('preset rnn-copy', () => {
  it('on 5/5 seeds: the tanh RNN stays at the memoryless score (stagnation) while the GRU carries symbols across the delay', async () => {
    const p = getPreset('rnn-copy');
    const res = await overSeeds(p, ['GRU'], 4);
    // Blanks where due, uniform guesses over 8 symbols after the cue: 5 ln 8 / 40 per step.
    const memoryless = (5 * Math.log(8)) / 40;
    expect((await loadTask(p.base.task, p.base.seed)).chanceLoss).toBeCloseTo(memoryless, 12);
    const gru = runs(res, 'GRU');
    for (const [i, rnn] of runs(res, 'tanh RNN').entries()) {
      expect(rnn.summary.testLoss).toBeGreaterThan(0.95 * memoryless);
      expect(kinds(rnn)).toContain('stagnation');
      expect((gru[i] as RunResult).summary.testLoss).toBeLessThan(0.8 * memoryless);
    }
  }, 900_000);
});
