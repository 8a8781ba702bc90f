import { parseJson } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { vgp } from './helpers.js';

describe('vgp cliff', () => {
  it('prints where the gradient norm peaks, its median, and both trajectories', async () => {
    const { code, out, err } = await vgp('cliff');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('281 x 161 points');
    const peak = out.match(/peaks at w = ([-\d.]+), b = ([-\d.]+): ([\d.]+) \(grid median ([\d.]+)/);
    expect(peak).not.toBeNull();
    const [w, b, norm, med] = (peak ?? []).slice(1).map(Number) as [number, number, number, number];
    expect(Math.abs(w - 4.9)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(b + 2.55)).toBeLessThanOrEqual(0.3);
    expect(norm).toBeGreaterThan(800);
    expect(med).toBeCloseTo(11.6, 1);
    expect(out).toMatch(/no clipping\s+final loss .* largest step 0\.979/);
    expect(out).toMatch(/clipped at 1\s+final loss .* largest step 0\.05 /);
  });

  it('--json gives the trajectories point by point; the unclipped jump is >= 10x the clipped step', async () => {
    const { code, out } = await vgp(
      'cliff',
      '--json',
      '--T',
      '50',
      '--start',
      '6,-3',
      '--lr',
      '0.05',
      '--clip',
      '1',
    );
    expect(code).toBe(0);
    const doc = parseJson(out) as {
      format: string;
      grid: { peak: { w: number; b: number; gradNorm: number }; medianGradNorm: number };
      trajectories: Array<{ clip: number | null; w: number[]; largestStep: number }>;
      largestStepRatio: number;
    };
    expect(doc.format).toBe('vgp-cliff');
    const [plain, clipped] = doc.trajectories;
    expect(plain?.clip).toBeNull();
    expect(clipped?.clip).toBe(1);
    expect(plain?.w.length).toBe(401);
    expect(plain?.largestStep).toBeGreaterThanOrEqual(10 * (clipped?.largestStep ?? Number.NaN));
    expect(doc.largestStepRatio).toBeCloseTo((plain?.largestStep ?? 0) / (clipped?.largestStep ?? 1), 12);
  });

  it('honours --grid and --steps, and rejects bad values with a message saying what to give', async () => {
    const small = await vgp('cliff', '--grid', '0,10,-5,0,11,6', '--steps', '20', '--json');
    const doc = parseJson(small.out) as {
      grid: { nw: number; nb: number };
      trajectories: Array<{ w: number[] }>;
    };
    expect(doc.grid.nw).toBe(11);
    expect(doc.trajectories[0]?.w.length).toBe(21);
    const bad = await vgp('cliff', '--grid', '1,2,3');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--grid must be six numbers W0,W1,B0,B1,NW,NB');
    const lr = await vgp('cliff', '--lr', '-1');
    expect(lr.code).toBe(1);
    expect(lr.err).toContain('--lr must be a number > 0');
    const range = await vgp('cliff', '--grid', '5,1,-6,2,10,10');
    expect(range.code).toBe(1);
    expect(range.err).toContain('w range must be two finite numbers');
  });
});

describe('gradient histograms from run/compare', () => {
  it('--csv --histograms prints the long format (run, step, layer, param, bin, count)', async () => {
    const { code, out } = await vgp(
      'run',
      '--preset',
      'deep-sigmoid',
      '--steps',
      '60',
      '--csv',
      '--histograms',
    );
    expect(code).toBe(0);
    // No field here holds a comma or a quote, so a split reads the CSV.
    const [head, ...lines] = out
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const rows = lines.map((l) => Object.fromEntries((head ?? []).map((h, i) => [h, l[i] ?? ''])));
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'run',
      'step',
      'layer',
      'param',
      'bin',
      'log10_lo',
      'log10_hi',
      'count',
    ]);
    // Records 1 and 51 carry histograms: 21 weight matrices x 56 bins each.
    expect(new Set(rows.map((r) => r.step))).toEqual(new Set(['1', '51']));
    expect(rows.length).toBe(2 * 21 * 56);
    // Each histogram counts every entry of its matrix: the first layer is 2 x 32.
    const first = rows.filter((r) => r.step === '1' && r.param === rows[0]?.param);
    expect(first.reduce((a, r) => a + Number(r.count), 0)).toBe(64);
  });

  it('--json output carries the histograms; --histograms without --csv is refused', async () => {
    const { out } = await vgp('run', '--preset', 'deep-sigmoid', '--steps', '60', '--json');
    const doc = parseJson(out) as { histograms: { steps: number[]; params: Array<{ counts: number[][] }> } };
    expect(doc.histograms.steps).toEqual([1, 51]);
    expect(doc.histograms.params.length).toBe(21);
    const bad = await vgp('run', '--preset', 'deep-sigmoid', '--histograms');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--histograms goes with --csv');
  });
});
