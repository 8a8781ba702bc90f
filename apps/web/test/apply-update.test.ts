import { describe, expect, it } from 'vitest';
import { applyUpdate, emptyRun, type RunView } from '../src/controllers/training-controller.js';
import { DEFAULT_RUN } from '../src/state/state.js';
import { MAX_CURVE_POINTS, MAX_HEAT_COLUMNS, smoothStep } from '../src/views/thinning.js';
import type { RunUpdate } from '../src/worker/protocol.js';

const empty = (): RunView => emptyRun({ ...DEFAULT_RUN });

function update(from: number, n: number): RunUpdate {
  const steps = Array.from({ length: n }, (_, i) => from + i + 1);
  return {
    index: 0,
    step: from + n,
    stepsPerSecond: 100,
    steps,
    loss: steps.map((s) => 1 / s),
    lossSmooth: steps.map((s) => 2 / s),
    metric: steps.map(() => 0.5),
    latest: n > 0 ? { loss: 1 / (from + n), lossSmooth: 2 / (from + n), metric: 0.5 } : null,
    gradNorms: [1, 2],
    heatColumns: steps.map((s) => [s, s]),
    heatSteps: steps,
    saturation: [0, 0.5],
    dead: [0, 0],
  };
}

describe('smoothStep', () => {
  it('continues an exponential moving average and restarts after a non-finite value', () => {
    expect(smoothStep(undefined, 1)).toBe(1);
    expect(smoothStep(1, 0)).toBeCloseTo(0.9);
    expect(smoothStep(0.9, 0)).toBeCloseTo(0.81);
    expect(smoothStep(1, Number.NaN)).toBeNaN();
    expect(smoothStep(Number.NaN, 2)).toBe(2);
  });
});

describe('applyUpdate', () => {
  it('appends points and returns new arrays, leaving the old view untouched', () => {
    const a = empty();
    const b = applyUpdate(a, update(0, 10));
    expect(b).not.toBe(a);
    expect(a.steps).toEqual([]);
    expect(b.steps).toHaveLength(10);
    expect(b.loss[9]).toBeCloseTo(0.1);
    const c = applyUpdate(b, { ...update(10, 0), gradNorms: [], saturation: [], dead: [] });
    expect(c.steps).toBe(b.steps);
    expect(c.gradNorms).toBe(b.gradNorms);
  });

  it('thins the heat map past its column limit to the multiples of a power-of-two stride', () => {
    let v = empty();
    for (let k = 0; k < 10; k++) v = applyUpdate(v, update(k * 100, 100));
    expect(v.heat.length).toBeLessThanOrEqual(MAX_HEAT_COLUMNS);
    expect(v.heatStride).toBe(8);
    expect(v.heatSteps).toEqual(Array.from({ length: 125 }, (_, i) => 8 * (i + 1)));
    // The colour range saw every column, kept or not.
    expect(v.normRange).toEqual([1, 1000]);
    for (const [i, col] of v.heat.entries()) expect(col[0]).toBe(v.heatSteps[i]);
    expect(v.steps).toHaveLength(1000);
  });

  it('thins the curves past their point limit to the multiples of a stride, values with their steps', () => {
    let v = empty();
    // 60 updates of 97 steps (5820 steps): every 4th step kept.
    for (let k = 0; k < 60; k++) v = applyUpdate(v, update(k * 97, 97));
    expect(v.curveStride).toBe(4);
    expect(v.steps).toEqual(Array.from({ length: 1455 }, (_, i) => 4 * (i + 1)));
    expect(v.steps.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    for (const [i, step] of v.steps.entries()) {
      expect(v.loss[i]).toBe(1 / step);
      expect(v.lossSmooth[i]).toBe(2 / step);
    }
    // The cards read the last step, whether or not the curves kept it.
    expect(v.latest).toEqual({ loss: 1 / 5820, lossSmooth: 2 / 5820, metric: 0.5 });
  });
});
