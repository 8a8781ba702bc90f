import { describe, expect, it } from 'vitest';
import { alignCurves } from '../src/views/align-curves.js';

const finite = (y: number) => Number.isFinite(y);
const run = (steps: number[]) => ({ steps, values: steps.map((s) => s * 10) });

describe('alignCurves', () => {
  it('puts runs thinned to different strides on the steps of the one furthest along', () => {
    const far = run([4, 8, 12, 16, 20]); // thinned to every 4th step
    const near = run([2, 4, 6, 8, 10, 12]); // every 2nd, and not as far
    const [x, a, b] = alignCurves([near, far], 100, finite);
    expect(x).toEqual([4, 8, 12, 16, 20]);
    expect(a).toEqual([40, 80, 120, null, null]);
    expect(b).toEqual([40, 80, 120, 160, 200]);
  });

  it('gives null where a run has no value or the value is refused, and thins x past the limit', () => {
    const s = { steps: [1, 2, 3, 4, 5, 6], values: [1, Number.NaN, 3, -1, 5, 6] };
    expect(alignCurves([s], 100, finite)).toEqual([
      [1, 2, 3, 4, 5, 6],
      [1, null, 3, -1, 5, 6],
    ]);
    expect(alignCurves([s], 100, (y) => finite(y) && y > 0)[1]).toEqual([1, null, 3, null, 5, 6]);
    expect(alignCurves([s], 3, finite)).toEqual([
      [1, 3, 5],
      [1, 3, 5],
    ]);
  });

  it('draws nothing for no runs or empty runs', () => {
    expect(alignCurves([], 10, finite)).toEqual([[]]);
    expect(alignCurves([run([])], 10, finite)).toEqual([[], []]);
  });
});
