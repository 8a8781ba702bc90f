import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  MAX_CURVE_POINTS,
  MAX_HEAT_COLUMNS,
  type RunView,
  smooth,
} from '../src/controllers/training-controller.js';
import { DEFAULT_RUN } from '../src/state/state.js';
import type { RunUpdate } from '../src/worker/protocol.js';

function empty(): RunView {
  return {
    spec: { ...DEFAULT_RUN },
    step: 0,
    stepsPerSecond: 0,
    layerNames: [],
    steps: [],
    loss: [],
    lossSmooth: [],
    metric: [],
    curveStride: 1,
    latest: null,
    gradNorms: [],
    heat: [],
    heatSteps: [],
    heatStride: 1,
    normRange: [Number.POSITIVE_INFINITY, 0],
    timeHeat: [],
    saturation: [],
    dead: [],
    verdicts: [],
    gain: null,
    boundary: null,
    finished: null,
  };
}

function update(from: number, n: number): RunUpdate {
  const steps = Array.from({ length: n }, (_, i) => from + i + 1);
  return {
    index: 0,
    step: from + n,
    stepsPerSecond: 100,
    steps,
    loss: steps.map((s) => 1 / s),
    metric: steps.map(() => 0.5),
    gradNorms: [1, 2],
    heatColumns: steps.map((s) => [s, s]),
    heatSteps: steps,
    saturation: [0, 0.5],
    dead: [0, 0],
  };
}

describe('smooth', () => {
  it('continues an exponential moving average across updates and restarts after a non-finite value', () => {
    expect(smooth([1, 0], undefined)).toEqual([1, 0.9]);
    expect(smooth([0], 0.9)[0]).toBeCloseTo(0.81);
    expect(smooth([Number.NaN, 2], 1)).toEqual([Number.NaN, 2]);
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

  it('thins the heat map past its column limit, keeping the newest column and the step alignment', () => {
    let v = empty();
    for (let k = 0; k < 10; k++) v = applyUpdate(v, update(k * 100, 100));
    expect(v.heat.length).toBeLessThanOrEqual(MAX_HEAT_COLUMNS);
    expect(v.heat.length).toBeGreaterThan(MAX_HEAT_COLUMNS / 4);
    expect(v.heatSteps.at(-1)).toBe(1000);
    // Columns stay evenly spaced in steps across thinning.
    const gaps = new Set(v.heatSteps.slice(1).map((step, i) => step - (v.heatSteps[i] as number)));
    expect([...gaps]).toEqual([v.heatStride]);
    expect(v.heatStride).toBe(8);
    expect(v.normRange).toEqual([1, 1000]);
    for (const [i, col] of v.heat.entries()) expect(col[0]).toBe(v.heatSteps[i]);
    expect(v.steps).toHaveLength(1000);
  });

  it('thins the curves past their point limit, evenly in steps, with the moving average over every step', () => {
    let v = empty();
    let all: RunView = empty();
    // 60 updates of 97 steps (5820 steps): thinned twice, to every 4th step.
    for (let k = 0; k < 60; k++) v = applyUpdate(v, update(k * 97, 97));
    expect(v.steps.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    expect(v.steps.length).toBeGreaterThan(MAX_CURVE_POINTS / 2);
    expect(v.curveStride).toBe(4);
    const gaps = new Set(v.steps.slice(1).map((step, i) => step - (v.steps[i] as number)));
    expect([...gaps]).toEqual([4]);
    // Multiples of the stride, whatever the update boundaries: runs thinned apart still share steps.
    expect(v.steps.every((step) => step % 4 === 0)).toBe(true);
    expect(v.steps.at(-1)).toBe(5820);
    // Every kept point is the value of its own step; the smoothed one equals the average taken over
    // every step (one update of all 5820 steps at once, never thinned before the end).
    for (const [i, step] of v.steps.entries()) expect(v.loss[i]).toBeCloseTo(1 / step, 12);
    all = applyUpdate({ ...all, curveStride: 1 }, update(0, 5820));
    const exact = new Map(smooth(update(0, 5820).loss, undefined).map((m, i) => [i + 1, m]));
    for (const [i, step] of v.steps.entries())
      expect(v.lossSmooth[i]).toBeCloseTo(exact.get(step) as number, 12);
    // The cards read the last step exactly, whether or not the curves kept it.
    expect(v.latest).toEqual({ loss: 1 / 5820, lossSmooth: exact.get(5820), metric: 0.5 });
    expect(all.latest?.lossSmooth).toBeCloseTo(exact.get(5820) as number, 12);
  });
});
