/**
 * The worker sends the curve points and heat columns the page keeps, and the page drops what a grown
 * stride no longer keeps: together they must show exactly the multiples of the stride, each with its
 * own step's values, the moving average taken over every step.
 */
import { createBackend } from '@vgp/core';
import { loadTask } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { applyUpdate, emptyRun } from '../src/controllers/training-controller.js';
import { toExperimentConfig } from '../src/state/experiment-config.js';
import { defaultState } from '../src/state/state.js';
import { keepStride, MAX_CURVE_POINTS, MAX_HEAT_COLUMNS, smoothStep } from '../src/views/thinning.js';
import { RunSession } from '../src/worker/run-session.js';

describe('keepStride', () => {
  it('is the smallest power of two that keeps at most max multiples of it up to the last step', () => {
    expect(keepStride(0, 10)).toBe(1);
    expect(keepStride(10, 10)).toBe(1);
    expect(keepStride(11, 10)).toBe(2);
    expect(keepStride(21, 10)).toBe(2);
    expect(keepStride(22, 10)).toBe(4);
    for (const last of [1, 99, 2000, 2001, 4001, 123_457]) {
      const s = keepStride(last, MAX_CURVE_POINTS);
      expect(Math.floor(last / s)).toBeLessThanOrEqual(MAX_CURVE_POINTS);
      if (s > 1) expect(Math.floor(last / (s / 2))).toBeGreaterThan(MAX_CURVE_POINTS);
    }
  });
});

describe('a run session and the page together', () => {
  it('show the multiples of the stride, each with its own values, the average over every step', async () => {
    const s0 = defaultState();
    const shared = { ...s0.shared, backend: 'ts' as const, depth: 2, width: 4, samples: 64, steps: 100_000 };
    const spec = { ...s0.baseline };
    const config = toExperimentConfig(spec, shared);
    const data = await loadTask(config.task, shared.seed);
    const session = new RunSession(0, spec, config, shared, data, await createBackend('ts'), () => 0);
    let view = emptyRun(spec);
    const steps = 4500;
    for (let i = 1; i <= steps; i++) {
      session.trainStep();
      if (i % 97 === 0 || i === steps) view = applyUpdate(view, session.takeUpdate(false, shared.steps));
    }
    const records = session.exportRun().records;
    expect(records).toHaveLength(steps);
    const ema: number[] = [];
    for (const r of records) ema.push(smoothStep(ema.at(-1), r.loss));

    expect(view.curveStride).toBe(4);
    expect(view.steps).toEqual(Array.from({ length: steps / 4 }, (_, i) => 4 * (i + 1)));
    for (const [i, step] of view.steps.entries()) {
      expect(view.loss[i]).toBe(records[step - 1]?.loss);
      expect(view.lossSmooth[i]).toBe(ema[step - 1]);
    }
    expect(view.latest).toMatchObject({ loss: records.at(-1)?.loss, lossSmooth: ema.at(-1) });
    const heatStride = keepStride(steps, MAX_HEAT_COLUMNS);
    expect(view.heatStride).toBe(heatStride);
    expect(view.heatSteps).toEqual(
      Array.from({ length: Math.floor(steps / heatStride) }, (_, i) => heatStride * (i + 1)),
    );
    for (const [i, step] of view.heatSteps.entries())
      expect(view.heat[i]).toEqual(records[step - 1]?.gradNorms);
    session.dispose();
  }, 120_000);
});
