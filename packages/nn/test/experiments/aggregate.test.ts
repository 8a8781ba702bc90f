import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/diagnostics/index.js';
import { aggregateRuns, type RunSummary, spreadOf } from '../../src/experiments/index.js';

function summary(over: Partial<RunSummary>): RunSummary {
  return {
    requestedSteps: 10,
    steps: 10,
    cancelled: false,
    nonFiniteAt: null,
    finalLoss: 1,
    minLoss: 1,
    testLoss: 1,
    testAccuracy: null,
    firstLastRatio: null,
    timeRatioStart: null,
    timeRatio: null,
    wallMs: 1,
    stepsPerSec: 10,
    ...over,
  } as RunSummary;
}

const verdict = (kind: Verdict['kind']): Verdict => ({
  kind,
  severity: 'warning',
  layers: [],
  message: '',
  evidence: {},
  remedies: [],
});

describe('spreadOf', () => {
  it('gives median, min and max of the finite values and counts the others', () => {
    expect(spreadOf([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3, nonFinite: 0 });
    expect(spreadOf([4, 1, Number.NaN, 2, 3, Number.POSITIVE_INFINITY])).toEqual({
      median: 2.5,
      min: 1,
      max: 4,
      n: 4,
      nonFinite: 2,
    });
    const none = spreadOf([Number.NaN]);
    expect(none.n).toBe(0);
    expect(none.nonFinite).toBe(1);
    expect(Number.isNaN(none.median) && Number.isNaN(none.min) && Number.isNaN(none.max)).toBe(true);
  });
});

describe('aggregateRuns', () => {
  const runs = [
    {
      seed: 1,
      summary: summary({ finalLoss: 0.5, nonFiniteAt: null, timeRatio: 1e-3 }),
      verdicts: [verdict('vanishing')],
    },
    {
      seed: 2,
      summary: summary({ finalLoss: Number.NaN, nonFiniteAt: 7, timeRatio: 1e-5 }),
      verdicts: [verdict('non-finite'), verdict('exploding')],
    },
    {
      seed: 3,
      summary: summary({ finalLoss: 0.2, nonFiniteAt: null, timeRatio: 1e-4 }),
      verdicts: [verdict('vanishing'), verdict('vanishing')],
    },
  ];
  const agg = aggregateRuns('rnn', runs);

  it('spreads each numeric summary field over the seeds', () => {
    expect(agg.label).toBe('rnn');
    expect(agg.seeds).toEqual([1, 2, 3]);
    expect(agg.summary.finalLoss).toEqual({ median: 0.35, min: 0.2, max: 0.5, n: 2, nonFinite: 1 });
    expect(agg.summary.timeRatio).toEqual({ median: 1e-4, min: 1e-5, max: 1e-3, n: 3, nonFinite: 0 });
  });

  it('skips null (does not apply) per run, and fields null on every run and booleans entirely', () => {
    expect(agg.summary.nonFiniteAt).toEqual({ median: 7, min: 7, max: 7, n: 1, nonFinite: 0 });
    expect(agg.summary.testAccuracy).toBeUndefined();
    expect(agg.summary.cancelled).toBeUndefined();
  });

  it('counts runs (not verdicts) per kind, in VERDICT_KINDS order', () => {
    expect(agg.verdicts).toEqual([
      { kind: 'non-finite', count: 1, of: 3 },
      { kind: 'exploding', count: 1, of: 3 },
      { kind: 'vanishing', count: 2, of: 3 },
    ]);
  });
});
