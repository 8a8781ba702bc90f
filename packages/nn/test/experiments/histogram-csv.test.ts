import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { GradHistogram, GradientRecord, History } from '../../src/diagnostics/records.js';
import { histogramsToCsv } from '../../src/experiments/histogram-csv.js';
import { gradHistogramSeries } from '../../src/experiments/histogram-series.js';

const hist = (name: string, counts: number[]): GradHistogram => ({
  name,
  layer: name.split('.')[0] as string,
  role: 'weight',
  minExp: -2,
  maxExp: 1,
  counts,
});

function record(step: number, hs?: GradHistogram[]): GradientRecord {
  return {
    step,
    loss: 1,
    metric: null,
    gradNormTotal: 1,
    preClipNorm: null,
    params: [],
    layers: [],
    ...(hs ? { gradHistograms: hs } : {}),
  };
}

const history: History = {
  meta: {},
  records: [
    record(1, [hist('d0.weight', [1, 2, 3])]),
    record(2),
    record(3, [hist('d0.weight', [0, 5, 1]), hist('d1.weight', [4, 0, 0])]),
  ],
};

describe('gradient histogram series and CSV', () => {
  it('collects one series per parameter over the records that carry histograms', () => {
    const s = gradHistogramSeries(history);
    expect(s.steps).toEqual([1, 3]);
    expect([s.minExp, s.maxExp, s.bins]).toEqual([-2, 1, 3]);
    expect(s.params.map((p) => p.name)).toEqual(['d0.weight', 'd1.weight']);
    expect(s.params[0]?.counts).toEqual([
      [1, 2, 3],
      [0, 5, 1],
    ]);
    // Seen first at step 3: zero-filled before.
    expect(s.params[1]?.counts).toEqual([
      [0, 0, 0],
      [4, 0, 0],
    ]);
    expect(gradHistogramSeries({ meta: {}, records: [record(1)] }).steps).toEqual([]);
  });

  it('writes one long-format row per (run, step, parameter, bin) with the bin edges in log10|g|', async () => {
    const csv = await histogramsToCsv([{ label: 'a, "quoted"', history }]);
    const parsed = Papa.parse<Record<string, string>>(csv.trim(), { header: true });
    expect(parsed.meta.fields).toEqual([
      'run',
      'step',
      'layer',
      'param',
      'bin',
      'log10_lo',
      'log10_hi',
      'count',
    ]);
    // Step 1: d0 (3 bins) and d1 (zero-filled, 3 bins); step 3: both.
    expect(parsed.data.length).toBe(12);
    const row = parsed.data.find((r) => r.step === '3' && r.param === 'd0.weight' && r.bin === '1');
    expect(row).toEqual({
      run: 'a, "quoted"',
      step: '3',
      layer: 'd0',
      param: 'd0.weight',
      bin: '1',
      log10_lo: '-1',
      log10_hi: '0',
      count: '5',
    });
    const total = parsed.data.reduce((a, r) => a + Number(r.count), 0);
    expect(total).toBe(6 + 6 + 4);
  });
});
