import { describe, expect, it } from 'vitest';
import {
  buildModel,
  createOptimizer,
  evaluate,
  fit,
  gradNorm,
  loadWeights,
  type MlpSpec,
  type StepRecord,
  saveWeights,
  toy2d,
} from '../../src/index.js';
import { BACKEND_KINDS, backendOf } from './backends.js';

const SPEC: MlpSpec = { kind: 'mlp', input: 2, output: 1, depth: 2, width: 16, activation: 'tanh' };

describe.each(BACKEND_KINDS)('fit on %s', (kind) => {
  it('learns a 2-D task: circles to over 97% accuracy', async () => {
    const backend = await backendOf(kind);
    const data = toy2d('circles', { n: 512, noise: 0.05, seed: 1 });
    const model = buildModel(SPEC, { backend, seed: 1 });
    const before = evaluate(model, data);
    const r = fit(model, data, {
      optimizer: { kind: 'adam', lr: 0.01 },
      loss: 'bceWithLogits',
      batchSize: 32,
      epochs: 20,
    });
    expect(r.steps).toBe(20 * 16);
    const after = evaluate(model, data);
    expect(before.accuracy).toBeLessThan(0.8);
    expect(after.accuracy).toBeGreaterThan(0.97);
    expect(after.loss).toBeLessThan(before.loss / 5);
    // evaluate's float64 loss on the training set agrees with the last training losses' scale.
    expect(r.losses[r.steps - 1]).toBeLessThan(0.1);
    model.dispose();
  });

  it('same seed + same backend => bitwise-identical losses and weights; another seed differs', async () => {
    const backend = await backendOf(kind);
    const data = toy2d('spiral', { n: 256, noise: 0.1, seed: 2 });
    const spec: MlpSpec = { ...SPEC, depth: 3, norm: 'batch', dropout: 0.1, activation: 'relu' };
    const run = (seed: number) => {
      const model = buildModel(spec, { backend, seed });
      const r = fit(model, data, {
        optimizer: { kind: 'adamw', lr: 0.01 },
        loss: 'bceWithLogits',
        batchSize: 32,
        steps: 60,
        seed,
        clip: { norm: 1 },
      });
      const out = { losses: Array.from(r.losses), weights: saveWeights(model) };
      model.dispose();
      return out;
    };
    const a = run(5);
    const b = run(5);
    expect(b.losses).toEqual(a.losses);
    expect(b.weights).toEqual(a.weights);
    const c = run(6);
    expect(c.losses).not.toEqual(a.losses);
  });

  it('onStep gets step, epoch, loss, scheduled lr and the pre-clip grad norm; hooks bracket the update', async () => {
    const backend = await backendOf(kind);
    const data = toy2d('xor', { n: 100, seed: 3 });
    const model = buildModel(SPEC, { backend, seed: 3 });
    const records: StepRecord[] = [];
    const seen: string[] = [];
    let normBefore = 0;
    let weightBefore = 0;
    const w = model.params()[0];
    fit(model, data, {
      optimizer: { kind: 'sgd', lr: 0.4 },
      loss: 'bceWithLogits',
      batchSize: 30,
      steps: 7,
      schedule: { kind: 'step', every: 3, gamma: 0.5 },
      clip: { norm: 0.5 },
      beforeUpdate: ({ params, record }) => {
        seen.push(`before${record.step}`);
        // Clipping already happened: the gradients the update will apply have norm <= 0.5.
        normBefore = gradNorm(params);
        weightBefore = w.value.read()[0];
      },
      afterUpdate: ({ record }) => {
        seen.push(`after${record.step}`);
        const g = w.grad.read()[0];
        expect(w.value.read()[0]).toBeCloseTo(weightBefore - record.lr * g, kind === 'ts' ? 6 : 5);
      },
      onStep: (r) => {
        seen.push(`step${r.step}`);
        records.push(r);
        expect(normBefore).toBeLessThanOrEqual(0.5 + 1e-5);
      },
    });
    expect(seen.slice(0, 6)).toEqual(['before1', 'after1', 'step1', 'before2', 'after2', 'step2']);
    expect(records.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // 100 samples / 30 = 3 steps per epoch, the rest dropped.
    expect(records.map((r) => r.epoch)).toEqual([0, 0, 0, 1, 1, 1, 2]);
    expect(records.map((r) => r.lr)).toEqual([0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1]);
    for (const r of records) {
      expect(r.gradNorm).toBeGreaterThan(0);
      expect(Number.isFinite(r.loss)).toBe(true);
    }
    model.dispose();
  });

  it('onStep returning false stops training; a kept optimizer carries its state across fits', async () => {
    const backend = await backendOf(kind);
    const data = toy2d('moons', { n: 64, seed: 4 });
    const model = buildModel(SPEC, { backend, seed: 4 });
    const r = fit(model, data, {
      optimizer: { kind: 'sgd' },
      loss: 'bceWithLogits',
      batchSize: 16,
      epochs: 10,
      onStep: (rec) => rec.step < 5,
    });
    expect(r.steps).toBe(5);
    const opt = createOptimizer({ kind: 'adam' }, model.params());
    fit(model, data, { optimizer: opt, loss: 'bceWithLogits', batchSize: 16, steps: 3 });
    fit(model, data, { optimizer: opt, loss: 'bceWithLogits', batchSize: 16, steps: 2 });
    expect(opt.steps).toBe(5);
    opt.dispose();
    model.dispose();
  });

  it('saved weights load into a model rebuilt from the same spec and reproduce its outputs', async () => {
    const backend = await backendOf(kind);
    const data = toy2d('gaussians', { n: 64, seed: 5 });
    const spec: MlpSpec = { ...SPEC, norm: 'batch', residual: true, depth: 3 };
    const a = buildModel(spec, { backend, seed: 5 });
    fit(a, data, { optimizer: { kind: 'adam', lr: 0.01 }, loss: 'bceWithLogits', batchSize: 16, steps: 20 });
    const json = JSON.parse(JSON.stringify(saveWeights(a)));
    expect(Object.keys(json.buffers)).toEqual(expect.arrayContaining(['batchNorm2.runningMean']));
    const b = buildModel(json.spec, { backend, seed: 99 });
    expect(evaluate(b, data).loss).not.toBe(evaluate(a, data).loss);
    loadWeights(b, json);
    expect(evaluate(b, data)).toEqual(evaluate(a, data));
    a.dispose();
    b.dispose();
  });
});
