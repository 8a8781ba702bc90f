import { describe, expect, it } from 'vitest';
import {
  type CompareResult,
  compare,
  getPreset,
  type Preset,
  type RunResult,
} from '../../src/experiments/index.js';

// The acceptance tests of the presets, on the presets' own configs and seeds (WASM). Runs are
// deterministic for a seed and backend, so these numbers do not flake; the README quotes the same runs.

function run(result: CompareResult, label: string): RunResult {
  const r = result.runs.find((x) => x.label === label);
  if (!r) throw new Error(`no run '${label}' in ${result.runs.map((x) => x.label).join(', ')}`);
  return r;
}

const kinds = (r: RunResult) => r.verdicts.map((v) => v.kind);

/** A preset with only the variants named (to keep the test budget small). */
function only(p: Preset, ...labels: string[]): [Preset['base'], Preset['variants']] {
  return [p.base, p.variants.filter((v) => labels.includes(v.label))];
}

describe('preset deep-sigmoid', () => {
  it('names vanishing in the 20-layer sigmoid net and not in ReLU+He or residual+BN, which reach lower loss', async () => {
    const p = getPreset('deep-sigmoid');
    expect(p.base.model.kind === 'mlp' && p.base.model.depth).toBeGreaterThanOrEqual(20);
    const res = await compare(p.base, p.variants);
    const base = run(res, 'sigmoid (Glorot)');
    const vanishing = base.verdicts.find((v) => v.kind === 'vanishing');
    expect(vanishing?.severity).toBe('critical');
    expect(vanishing?.evidence.firstLastRatio).toBeLessThan(1e-3);
    expect(base.summary.firstLastRatio).toBeLessThan(1e-3);
    // The measured per-layer gain respects the bound sigmoid' <= 0.25 (times a weight gain near 1).
    expect(base.depth?.measuredGain).toBeLessThan(0.25 * (base.depth?.weightGain ?? 0) * 1.1);
    for (const label of ['ReLU + He', 'residual + batch norm']) {
      const r = run(res, label);
      expect(kinds(r)).not.toContain('vanishing');
      expect(r.summary.finalLoss).toBeLessThan(base.summary.finalLoss);
      expect(r.summary.steps).toBe(base.summary.steps);
    }
  }, 120_000);
});

describe('preset glorot-vs-he', () => {
  it('shows the activation scale collapsing after 30 ReLU layers with Glorot init and kept with He init', async () => {
    const p = getPreset('glorot-vs-he');
    const res = await compare(p.base, p.variants);
    const glorot = run(res, 'ReLU, Glorot init');
    const he = run(res, 'ReLU, He init');
    // Theory: (1/sqrt 2)^29 ~ 4e-5 of the scale is left; measured at the first step.
    expect(glorot.depth?.activationRatio).toBeLessThan(1e-3);
    expect(he.depth?.activationRatio).toBeGreaterThan(0.1);
    expect(kinds(glorot)).toContain('vanishing');
    expect(kinds(he)).not.toContain('vanishing');
    expect(he.summary.finalLoss).toBeLessThan(glorot.summary.finalLoss);
  }, 120_000);
});

describe('preset batchnorm-mnist', () => {
  it('batch norm lifts the held-out accuracy of the 3x100 sigmoid MLP on real MNIST digits', async () => {
    const p = getPreset('batchnorm-mnist');
    const res = await compare(p.base, p.variants);
    const plain = run(res, 'sigmoid 3x100');
    const bn = run(res, 'sigmoid 3x100 + batch norm');
    expect(bn.summary.testAccuracy).toBeGreaterThan(0.85);
    expect(bn.summary.testAccuracy ?? 0).toBeGreaterThan((plain.summary.testAccuracy ?? 0) + 0.2);
    expect(kinds(bn)).toEqual(['healthy']);
  }, 120_000);
});

describe('preset rnn-adding', () => {
  it('the tanh RNN vanishes through time (ratio < 1e-3) while the trained LSTM keeps >= 100x more', async () => {
    const p = getPreset('rnn-adding');
    const [base, variants] = only(p, 'LSTM');
    const res = await compare(base, variants);
    const rnn = run(res, 'tanh RNN');
    const lstm = run(res, 'LSTM');
    const v = rnn.verdicts.find((x) => x.kind === 'vanishing' && x.evidence.axis === 'time');
    expect(v?.layers).toEqual(['rnn1']);
    expect(v?.evidence.timeRatio).toBeLessThan(1e-3);
    expect(rnn.summary.timeRatio).toBeLessThan(1e-3);
    expect(lstm.summary.timeRatio ?? 0).toBeGreaterThanOrEqual(100 * (rnn.summary.timeRatio ?? 1));
    // And the LSTM has learned the task while the RNN has not (guessing scores 1/6).
    expect(lstm.summary.testLoss).toBeLessThan(0.05);
    expect(rnn.summary.testLoss).toBeGreaterThan(0.1);
  }, 120_000);
});

describe('preset rnn-copy', () => {
  it('the tanh RNN stays at the memoryless score while the GRU carries symbols across the delay', async () => {
    const p = getPreset('rnn-copy');
    const [base, variants] = only(p, 'GRU');
    const res = await compare(base, variants);
    const rnn = run(res, 'tanh RNN');
    const gru = run(res, 'GRU');
    // Blanks where due, uniform guesses over 8 symbols after the cue: 5 ln 8 / 40 per step.
    const memoryless = (5 * Math.log(8)) / 40;
    expect(rnn.summary.testLoss).toBeGreaterThan(0.95 * memoryless);
    expect(kinds(rnn)).toContain('stagnation');
    expect(gru.summary.testLoss).toBeLessThan(0.8 * memoryless);
    expect(gru.summary.testAccuracy).toBeGreaterThan(0.9);
  }, 120_000);
});

describe('preset exploding-rnn', () => {
  it('blows up without clipping and trains to a finite loss with it', async () => {
    const p = getPreset('exploding-rnn');
    const res = await compare(p.base, p.variants);
    const plain = run(res, 'no clipping');
    const clipped = run(res, 'clip norm 1');
    expect(kinds(plain).some((k) => k === 'exploding' || k === 'non-finite')).toBe(true);
    expect(plain.summary.nonFiniteAt).not.toBeNull();
    expect(clipped.summary.nonFiniteAt).toBeNull();
    expect(clipped.summary.steps).toBe(p.base.steps);
    expect(Number.isFinite(clipped.summary.finalLoss)).toBe(true);
    expect(clipped.summary.testLoss).toBeLessThan(1 / 6);
  }, 120_000);
});
