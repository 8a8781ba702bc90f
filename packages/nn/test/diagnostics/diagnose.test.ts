import { describe, expect, it } from 'vitest';
import {
  depthFlow,
  diagnose,
  timeFlows,
  VANISHING_RATIO,
  type Verdict,
} from '../../src/diagnostics/index.js';
import { mlpHistory, rnnHistory } from './fixtures.js';

const kinds = (vs: Verdict[]) => vs.map((v) => v.kind);
const find = (vs: Verdict[], kind: string, axis?: string) =>
  vs.find((v) => v.kind === kind && (axis === undefined || v.evidence.axis === axis));

describe('diagnose', () => {
  it('calls a run with flat gradients and a falling loss healthy', () => {
    const vs = diagnose(mlpHistory({ gain: 1, activation: 'relu' }));
    expect(kinds(vs)).toEqual(['healthy']);
    expect(vs[0]?.evidence.firstLastRatio).toBeCloseTo(1, 12);
  });

  it('names vanishing through depth with the ratio, the measured gain and the theory', () => {
    // 10 weight layers, each passing back a quarter: first/last = 0.25^9 ~ 3.8e-6.
    const vs = diagnose(mlpHistory({ gain: 0.25, depth: 10, activation: 'sigmoid' }));
    const v = find(vs, 'vanishing', 'depth');
    expect(v).toBeDefined();
    expect(v?.severity).toBe('critical');
    expect(v?.evidence.firstLastRatio).toBeCloseTo(0.25 ** 9, 15);
    expect(v?.evidence.measuredGain).toBeCloseTo(0.25, 9);
    expect(v?.evidence.layersToHalve).toBeCloseTo(0.5, 9);
    expect(v?.evidence.derivativeBound).toBe(0.25);
    expect(v?.evidence.weightGain).toBeCloseTo(1, 9);
    expect(v?.evidence.activationOnly).toBeCloseTo(0.25 ** 9, 15);
    expect(v?.remedies.map((r) => r.id)).toEqual([
      'relu-he',
      'critical-init',
      'residual',
      'batch-norm',
      'adam',
    ]);
    for (const r of v?.remedies ?? []) expect(r.reason.length).toBeGreaterThan(20);
    // Layers whose gradient is below 1/100 of the last's: dense0..dense5 (dense6 at 0.25^3 = 1/64 is not).
    expect(v?.layers).toEqual(['dense0', 'dense1', 'dense2', 'dense3', 'dense4', 'dense5']);
  });

  it('names vanishing from the backward signal when weight gradients look flat (Glorot init in deep ReLU nets)', () => {
    const v = find(
      diagnose(mlpHistory({ activation: 'relu', gain: 1, signalGain: Math.SQRT1_2, depth: 31 })),
      'vanishing',
    );
    expect(v?.evidence.firstLastRatio).toBeCloseTo(1, 12);
    expect(v?.evidence.signalRatio).toBeCloseTo(0.5 ** 15, 12);
    // 2^-15 ~ 3e-5 is below the critical 1e-4.
    expect(v?.severity).toBe('critical');
    expect(v?.remedies[0]?.id).toBe('he-init');
    // Layers more than log(100)/log(sqrt 2) ~ 13.3 layers below the top are starved: dense0..dense16.
    expect(v?.layers).toHaveLength(17);
  });

  it('does not call a spread just above the threshold vanishing', () => {
    const gain = (VANISHING_RATIO * 1.5) ** (1 / 9);
    expect(find(diagnose(mlpHistory({ gain })), 'vanishing')).toBeUndefined();
    const below = (VANISHING_RATIO * 0.5) ** (1 / 9);
    expect(find(diagnose(mlpHistory({ gain: below })), 'vanishing')?.severity).toBe('warning');
  });

  it('requires the problem to be sustained over the analysis window', () => {
    // Vanishing for the first 30 of 40 steps only: the last half is fine.
    const h = mlpHistory({ gain: 1 });
    const bad = mlpHistory({ gain: 0.25 });
    h.records = [...bad.records.slice(0, 20), ...h.records.slice(20)];
    expect(find(diagnose(h), 'vanishing')).toBeUndefined();
  });

  it('puts non-finite first and says at which step it began', () => {
    const vs = diagnose(mlpHistory({ nonFiniteAt: 7, gradNorm: (s) => 10 ** s }));
    expect(vs[0]?.kind).toBe('non-finite');
    expect(vs[0]?.severity).toBe('critical');
    expect(vs[0]?.evidence.firstStep).toBe(7);
    expect(vs[0]?.layers).toContain('dense0');
    expect(kinds(vs)).toContain('exploding');
  });

  it('judges a run that blew up on the steps before NaN, not on the NaNs', () => {
    const h = rnnHistory('RNN', 1.0, 20, 30);
    for (const r of h.records.slice(10)) {
      r.loss = Number.NaN;
      const rnn = r.layers[0];
      if (rnn) rnn.timeGradNorms = new Array(20).fill(0);
    }
    const vs = diagnose(h);
    expect(kinds(vs)).toEqual(['non-finite']);
    expect(vs[0]?.evidence.firstStep).toBe(10);
  });

  it('names exploding norms, and does not suggest clipping to a run that already clips', () => {
    const grow = (s: number) => 2 ** (s / 2);
    const plain = find(diagnose(mlpHistory({ gradNorm: grow })), 'exploding');
    expect(plain?.evidence.maxGradNorm).toBeCloseTo(2 ** 19.5, 6);
    expect(plain?.remedies[0]?.id).toBe('clip-norm');
    const clipped = find(diagnose(mlpHistory({ gradNorm: () => 1, preClipNorm: grow })), 'exploding');
    expect(clipped?.severity).toBe('warning');
    expect(clipped?.remedies.map((r) => r.id)).not.toContain('clip-norm');
    expect(find(diagnose(mlpHistory({ gradNorm: () => 5 })), 'exploding')).toBeUndefined();
  });

  it('names vanishing through time for a tanh RNN but not for a well-behaved LSTM', () => {
    const rnn = diagnose(rnnHistory('RNN', 0.8));
    const v = find(rnn, 'vanishing', 'time');
    expect(v?.layers).toEqual(['rnn']);
    expect(v?.evidence.timeRatio).toBeCloseTo(0.8 ** 49, 12);
    expect(v?.evidence.stepsToHalve).toBeCloseTo(Math.log(0.5) / Math.log(0.8), 9);
    expect(v?.remedies[0]?.id).toBe('lstm');
    expect(find(diagnose(rnnHistory('LSTM', 0.99)), 'vanishing')).toBeUndefined();
    expect(timeFlows(rnnHistory('LSTM', 0.99))[0]?.ratio).toBeCloseTo(0.99 ** 49, 12);
    // Gradient growing back through time is exploding.
    expect(find(diagnose(rnnHistory('RNN', 1.2)), 'exploding')?.layers).toEqual(['rnn']);
  });

  it('says so when no gradient at all reaches the first step, and suggests recurrent remedies', () => {
    const h = rnnHistory('RNN', 0.8);
    for (const r of h.records) {
      const rnn = r.layers[0];
      if (!rnn) continue;
      rnn.timeGradNorms = rnn.timeGradNorms?.map((x, t) => (t < 5 ? 0 : x));
      rnn.saturatedFrac = 0.97;
    }
    const vs = diagnose(h);
    expect(find(vs, 'vanishing', 'time')?.message).toMatch(/no gradient at all reaches step 1/);
    expect(find(vs, 'saturation')?.remedies.map((r) => r.id)).toEqual([
      'clip-norm',
      'lower-lr',
      'orthogonal-init',
      'lstm',
    ]);
  });

  it('names saturation and dead units per layer', () => {
    const sat = find(diagnose(mlpHistory({ saturatedFrac: 0.95 })), 'saturation');
    expect(sat?.severity).toBe('critical');
    expect(sat?.layers).toHaveLength(9);
    expect(find(diagnose(mlpHistory({ saturatedFrac: 0.3 })), 'saturation')).toBeUndefined();
    const dead = find(diagnose(mlpHistory({ activation: 'relu', deadFrac: 0.6 })), 'dead-units');
    expect(dead?.severity).toBe('warning');
    expect(dead?.evidence.worst).toBeCloseTo(0.6, 12);
    expect(dead?.remedies[0]?.id).toBe('leaky-relu');
  });

  it('names frozen lower layers from update ratios', () => {
    const frozen = diagnose(mlpHistory({ activation: 'relu', updateRatio: (i) => (i < 3 ? 1e-7 : 1e-3) }));
    const v = find(frozen, 'frozen-lower-layers');
    expect(v?.layers).toEqual(['dense0', 'dense1', 'dense2']);
    expect(v?.evidence.lowest).toBeCloseTo(1e-7, 15);
    // A uniformly small ratio (tiny learning rate) is not "lower layers frozen".
    expect(find(diagnose(mlpHistory({ updateRatio: () => 1e-7 })), 'frozen-lower-layers')).toBeUndefined();
  });

  it('names stagnation far from the floor but not a plateau at convergence', () => {
    const stuck = diagnose(mlpHistory({ loss: () => 0.69, chanceLoss: Math.LN2 }));
    expect(kinds(stuck)).toContain('stagnation');
    expect(kinds(stuck)).not.toContain('healthy');
    const converged = diagnose(mlpHistory({ loss: () => 0.001, chanceLoss: Math.LN2 }));
    expect(kinds(converged)).toEqual(['healthy']);
  });

  it('does not call a run healthy while its loss is above the input-blind level', () => {
    // Falling fast (20 -> 12), so not a plateau, but far worse than predicting a constant (ln 2).
    const vs = diagnose(mlpHistory({ loss: (s) => 20 - 0.2 * s, chanceLoss: Math.LN2 }));
    const v = find(vs, 'stagnation');
    expect(v?.evidence.aboveChance).toBe('yes');
    expect(v?.message).toMatch(/^no learning/);
    expect(kinds(vs)).not.toContain('healthy');
  });

  it('says when the lowest layers do not move at all', () => {
    const vs = diagnose(mlpHistory({ activation: 'relu', updateRatio: (i) => (i < 2 ? 0 : 1e-3) }));
    expect(find(vs, 'frozen-lower-layers')?.message).toMatch(/do not change at all/);
  });

  it('reports weights going to zero as a sign of vanishing', () => {
    const v = find(diagnose(mlpHistory({ nearZeroFrac: 0.6 })), 'vanishing', 'weights');
    expect(v?.layers).toHaveLength(10);
    expect(v?.remedies[0]?.id).toBe('less-weight-decay');
  });

  it('names the first non-finite gradient and the first non-finite loss apart, and judges the steps before them', () => {
    const h = mlpHistory({ steps: 20 });
    for (const r of h.records) {
      if (r.step >= 12) r.gradNormTotal = Number.NaN;
      if (r.step >= 13) r.loss = Number.NaN;
    }
    const [v] = diagnose(h);
    expect(v?.kind).toBe('non-finite');
    expect(v?.message).toMatch(/^first non-finite gradient at step 12, first non-finite loss at step 13;/);
    const before = h.records.filter((r) => r.step < 12).length;
    expect(v?.message).toContain(`judge the ${before} recorded step(s) before it`);
    expect(v?.evidence).toMatchObject({ nonFiniteGradientAt: 12, nonFiniteLossAt: 13 });
  });

  it('does not call a run both exploding and vanishing over different windows: the growth is named, the shrinkage told inside it', () => {
    const h = rnnHistory('RNN', 0.5);
    h.records.forEach((r, i) => {
      r.gradNormTotal = 10 ** (i / 4);
    });
    const vs = diagnose(h);
    expect(kinds(vs)).toContain('exploding');
    expect(vs.filter((v) => v.kind === 'vanishing')).toEqual([]);
    expect(vs.find((v) => v.kind === 'exploding')?.message).toMatch(
      /over the last half of the recorded steps \(steps \d+-\d+\) the gradient also shrinks through time/,
    );
  });

  it('calls the weight-scaled figure an estimate, never a bound', () => {
    for (const activation of ['sigmoid', 'tanh', 'relu', 'gelu']) {
      const flow = depthFlow(mlpHistory({ gain: 0.7, depth: 8, activation }));
      expect(flow?.summary.join(' ')).not.toMatch(/bound/);
      expect(flow?.summary.join(' ')).toMatch(/estimate/);
    }
  });

  it('measures the backward signal gain beside the estimate', () => {
    const flow = depthFlow(mlpHistory({ gain: 0.5, depth: 11, activation: 'tanh' }));
    expect(flow?.blocks).toBe(10);
    expect(flow?.signalRatio).toBeCloseTo(0.5 ** 10, 12);
    expect(flow?.measuredGain).toBeCloseTo(0.5, 9);
    expect(flow?.estimatedGain).toBeCloseTo(1, 9);
    expect(flow?.summary.join(' ')).toContain('0.5^10 ~ 0.098%');
    expect(depthFlow(mlpHistory({ depth: 2 }))).toBeNull();
    // The forward view: activation std halving per layer over 10 activation layers.
    const fwd = depthFlow(mlpHistory({ depth: 11, actStd: (i) => 0.5 ** i }));
    expect(fwd?.activationStd).toHaveLength(10);
    expect(fwd?.activationRatio).toBeCloseTo(0.5 ** 9, 12);
    expect(fwd?.summary.join(' ')).toContain("0.2% of the first layer's scale");
  });

  it('returns nothing for an empty history', () => {
    expect(diagnose({ meta: {}, records: [] })).toEqual([]);
  });
});
