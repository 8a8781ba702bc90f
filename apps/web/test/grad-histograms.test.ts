import { describe, expect, it } from 'vitest';
import {
  MAX_HISTOGRAM_COLUMNS,
  medianExp,
  mergeHistograms,
  occupiedBins,
} from '../src/views/grad-histograms.js';
import type { HistogramUpdate } from '../src/worker/protocol.js';
import { histogramUpdate } from '../src/worker/views.js';

const update = (steps: number[], bins = 4): HistogramUpdate => ({
  minExp: -4,
  maxExp: 0,
  names: ['d0.weight', 'd1.weight'],
  steps,
  counts: steps.map((s) => [
    Array.from({ length: bins }, (_, i) => (i === 1 ? s : 0)),
    Array.from({ length: bins }, (_, i) => (i === 2 ? 1 : 0)),
  ]),
});

describe('gradient histograms on the page', () => {
  it('the worker turns records that carry histograms into one update', () => {
    const h = (name: string, counts: number[]) => ({
      name,
      layer: 'x',
      role: 'weight',
      minExp: -4,
      maxExp: 0,
      counts,
    });
    const u = histogramUpdate([
      { step: 1, hists: [h('a', [1, 0]), h('b', [0, 2])] },
      { step: 51, hists: [h('a', [0, 1]), h('b', [2, 0])] },
    ]);
    expect(u).toEqual({
      minExp: -4,
      maxExp: 0,
      names: ['a', 'b'],
      steps: [1, 51],
      counts: [
        [
          [1, 0],
          [0, 2],
        ],
        [
          [0, 1],
          [2, 0],
        ],
      ],
    });
    expect(histogramUpdate([])).toBeUndefined();
  });

  it('folds updates into a series, thinning to at most MAX_HISTOGRAM_COLUMNS and keeping the newest', () => {
    let s = mergeHistograms(undefined, update([1, 51]));
    expect(s.steps).toEqual([1, 51]);
    const before = s;
    s = mergeHistograms(s, update([101]));
    expect(s).not.toBe(before);
    expect(s.steps).toEqual([1, 51, 101]);
    expect(s.counts[2]?.[0]?.[1]).toBe(101);
    for (let k = 0; k < MAX_HISTOGRAM_COLUMNS; k++) s = mergeHistograms(s, update([151 + 50 * k]));
    expect(s.steps.length).toBeLessThanOrEqual(MAX_HISTOGRAM_COLUMNS);
    expect(s.steps.at(-1)).toBe(151 + 50 * (MAX_HISTOGRAM_COLUMNS - 1));
    expect(s.counts.length).toBe(s.steps.length);
  });

  it('reads the median and the occupied bins', () => {
    const s = mergeHistograms(undefined, update([3]));
    // d0: 3 entries in bin 1 = [-3, -2): the median is halfway through it.
    expect(medianExp(s, s.counts[0]?.[0] ?? [])).toBeCloseTo(-2.5, 12);
    expect(medianExp(s, [0, 0, 0, 0])).toBeNaN();
    // Bins 1..2 occupied, one on each side.
    expect(occupiedBins(s)).toEqual([0, 3]);
  });
});
