import { type Backend, ConfigError, createBackend, TsBackend } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { GradientMonitor, walkLayers } from '../../src/diagnostics/index.js';
import { Activation, Dense, MseLoss, Sequential } from '../../src/layers/index.js';
import { Rng } from '../../src/rng.js';
import type { Tensor } from '../../src/tensor.js';
import { Tensor as T } from '../../src/tensor.js';
import { buildModel, Momentum, SGD } from '../../src/training/index.js';

const norm = (xs: ArrayLike<number>) => Math.sqrt(Array.from(xs).reduce((s, x) => s + x * x, 0));

function setup(act: 'sigmoid' | 'relu' | 'tanh', seed = 1) {
  const backend: Backend = new TsBackend({ precision: 'f64' });
  const rng = new Rng(seed);
  const model = new Sequential(
    [
      new Dense(3, 6, { backend, rng, init: { kind: 'normal', scale: 2 } }),
      new Activation(act, { backend }),
      new Dense(6, 1, { backend, rng }),
    ],
    { backend },
  );
  const x = T.from(
    backend,
    [8, 3],
    Array.from({ length: 24 }, () => rng.normal()),
  );
  const y = Array.from({ length: 8 }, () => rng.normal());
  const loss = new MseLoss(backend);
  const opt = new SGD(model.params(), { lr: 0.1 });
  const step = () => {
    const out = model.forward(x, { training: true });
    const l = loss.forward(out, y);
    model.backward(loss.backward());
    return l;
  };
  return { backend, model, step, opt };
}

describe('GradientMonitor', () => {
  it('records norms, update ratios and the backward signal that match direct computation', () => {
    const { model, step, opt } = setup('sigmoid');
    const monitor = new GradientMonitor(model);
    const dense0 = model.layers[0] as Dense;
    const before = Float64Array.from(dense0.weight.value.read());
    const l = step();
    const grad = Float64Array.from(dense0.weight.grad.read());
    opt.step();
    const rec = monitor.record(0, { loss: l, metric: 0.5 });
    expect(rec).not.toBeNull();
    const w = rec?.params.find((p) => p.name === dense0.weight.name);
    const after = dense0.weight.value.read();
    expect(w?.gradNorm).toBeCloseTo(norm(grad), 12);
    expect(w?.gradRms).toBeCloseTo(norm(grad) / Math.sqrt(18), 12);
    expect(w?.weightNorm).toBeCloseTo(norm(after), 12);
    // SGD moved the weights by lr * grad: ||dW|| / ||W|| = 0.1 ||g|| / ||W_after||.
    expect(w?.updateRatio).toBeCloseTo((0.1 * norm(grad)) / norm(after), 12);
    expect(after.some((v, i) => v !== before[i])).toBe(true);
    expect(w?.role).toBe('weight');
    expect(w?.shape).toEqual([3, 6]);
    // Biases get their norms only: no update ratio, no near-zero count (they start at zero).
    const bias = rec?.params.find((p) => p.role === 'bias');
    expect(bias?.updateRatio).toBeNull();
    expect(bias?.nearZeroFrac).toBeNull();
    expect(w?.nearZeroFrac).toBe(Array.from(after).filter((v) => Math.abs(v) < 1e-4).length / 18);
    expect(bias?.gradNorm).toBeCloseTo(norm(dense0.bias?.grad.read() ?? []), 12);

    const all = model.params().map((p) => norm(p.grad.read()));
    expect(rec?.gradNormTotal).toBeCloseTo(norm(all), 12);
    expect(rec?.loss).toBe(l);
    expect(rec?.metric).toBe(0.5);

    // The backward signal and the activation statistics of the sigmoid layer.
    const act = model.layers[1] as Activation;
    const s = rec?.layers.find((q) => q.name === act.name);
    const out = Array.from((act.output as Tensor).read());
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    const std = Math.sqrt(out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length);
    // The backward signal is taken where a hidden state enters a layer (the Dense after the sigmoid).
    const dense2 = model.layers[2] as Dense;
    const d2 = rec?.layers.find((q) => q.name === dense2.name);
    expect(d2?.gradIn).toBeCloseTo(norm((dense2.inputGrad as Tensor).read()), 12);
    expect(s?.gradIn).toBeNull();
    expect(s?.actMean).toBeCloseTo(mean, 12);
    expect(s?.actStd).toBeCloseTo(std, 10);
    expect(s?.saturatedFrac).toBeCloseTo(out.filter((v) => v < 0.01 || v > 0.99).length / out.length, 12);
    expect(s?.deadFrac).toBeNull();
    expect(s?.type).toBe('Activation');
    expect(s?.activation).toBe('sigmoid');
    expect(rec?.layers.map((q) => q.level)).toEqual([0, 0, 0]);
    expect(JSON.parse(JSON.stringify(rec))).toEqual(rec);
    monitor.dispose();
  });

  it('measures SGD and momentum updates without a weight copy, equal to the copy-based measure', async () => {
    for (const kind of ['sgd', 'momentum'] as const) {
      const { backend, model, step } = setup('tanh', 5);
      const opt =
        kind === 'sgd'
          ? new SGD(model.params(), { lr: 0.1 })
          : new Momentum(model.params(), { lr: 0.1, momentum: 0.9 });
      const bytes = backend.memoryBytes();
      // Histograms off: their one bins buffer is the only other thing a monitor allocates.
      const lean = new GradientMonitor(model, { optimizer: opt, histogramEvery: 0 });
      // No copy buffers: the update comes from lr * g (SGD) or lr * v (momentum).
      expect(backend.memoryBytes()).toBe(bytes);
      const copying = new GradientMonitor(model);
      for (let s = 0; s < 4; s++) {
        const l = step();
        opt.step();
        const a = lean.record(s, { loss: l });
        const b = copying.record(s, { loss: l });
        a?.params.forEach((p, i) => {
          if (p.role !== 'weight') return;
          expect(p.updateRatio).toBeCloseTo(b?.params[i]?.updateRatio ?? Number.NaN, 10);
        });
      }
    }
  });

  it('takes activation statistics from the first 32 examples of a larger batch, dead units from all', () => {
    const backend = new TsBackend({ precision: 'f64' });
    const rng = new Rng(9);
    const model = new Sequential(
      [
        new Dense(3, 5, { backend, rng, init: { kind: 'normal', scale: 3 } }),
        new Activation('sigmoid', { backend }),
      ],
      { backend },
    );
    const x = T.from(
      backend,
      [48, 3],
      Array.from({ length: 144 }, () => rng.normal()),
    );
    const loss = new MseLoss(backend);
    const out = model.forward(x, { training: true });
    const l = loss.forward(out, new Array(48 * 5).fill(0.5));
    model.backward(loss.backward());
    const bytes = backend.memoryBytes();
    const monitor = new GradientMonitor(model);
    const grown = backend.memoryBytes() - bytes;
    const s = monitor.record(0, { loss: l })?.layers[1];
    // Views of the first rows: no backend memory beyond the monitor's own copy buffers.
    expect(backend.memoryBytes() - bytes).toBe(grown);
    const first = Array.from(out.read()).slice(0, 32 * 5);
    const mean = first.reduce((a, v) => a + v, 0) / first.length;
    expect(s?.actMean).toBeCloseTo(mean, 12);
    expect(s?.saturatedFrac).toBeCloseTo(first.filter((v) => v < 0.01 || v > 0.99).length / first.length, 12);
  });

  it('keeps a spread 1e-5 of the mean in the activation std on wasm (f32 block sums)', async () => {
    // Sigmoid of inputs ~1e-4 sits at 0.5 +- 2.5e-5: E[x^2] - E[x]^2 from f32 sums would lose it.
    const backend = await createBackend('wasm', { wasmBuild: 'simd' });
    const rng = new Rng(4);
    const model = new Sequential(
      [
        new Dense(3, 40, { backend, rng, init: { kind: 'normal', scale: 1e-4 } }),
        new Activation('sigmoid', { backend }),
      ],
      { backend },
    );
    const x = T.from(
      backend,
      [32, 3],
      Array.from({ length: 96 }, () => rng.normal()),
    );
    const loss = new MseLoss(backend);
    const monitor = new GradientMonitor(model);
    for (let s = 0; s < 2; s++) {
      const out = model.forward(x, { training: true });
      const l = loss.forward(out, new Array(32 * 40).fill(0.5));
      model.backward(loss.backward());
      const y = Array.from(out.read());
      const mean = y.reduce((a, v) => a + v, 0) / y.length;
      const std = Math.sqrt(y.reduce((a, v) => a + (v - mean) ** 2, 0) / y.length);
      expect(std / mean).toBeLessThan(1e-4);
      const st = monitor.record(s, { loss: l })?.layers[1];
      expect(Math.abs((st?.actMean ?? 0) - mean) / mean).toBeLessThan(1e-6);
      expect(Math.abs((st?.actStd ?? 0) - std) / std).toBeLessThan(1e-3);
    }
    monitor.dispose();
    model.dispose();
    backend.dispose();
  });

  it('counts dead ReLU units over the whole batch', () => {
    const { model, step, opt } = setup('relu', 3);
    const monitor = new GradientMonitor(model);
    const l = step();
    opt.step();
    const act = model.layers[1] as Activation;
    const out = (act.output as Tensor).read();
    let dead = 0;
    for (let c = 0; c < 6; c++)
      if (Array.from({ length: 8 }, (_, r) => out[r * 6 + c]).every((v) => v <= 0)) dead++;
    expect(monitor.record(0, { loss: l })?.layers[1]?.deadFrac).toBeCloseTo(dead / 6, 12);
  });

  it('samples every n-th step and still measures the update of the sampled step alone', () => {
    const { model, step, opt } = setup('tanh');
    const monitor = new GradientMonitor(model, { every: 3 });
    const dense2 = model.layers[2] as Dense;
    const got: number[] = [];
    for (let s = 0; s < 7; s++) {
      const l = step();
      const g = norm(dense2.weight.grad.read());
      opt.step();
      const rec = monitor.record(s, { loss: l });
      if (rec) {
        got.push(rec.step);
        const w = rec.params.find((p) => p.name === dense2.weight.name);
        expect(w?.updateRatio).toBeCloseTo((0.1 * g) / norm(dense2.weight.value.read()), 12);
      }
    }
    expect(got).toEqual([0, 3, 6]);
    expect(monitor.history.records.map((r) => r.step)).toEqual([0, 3, 6]);
  });

  it('allocates no backend memory in steady state', () => {
    const { backend, model, step, opt } = setup('sigmoid');
    const monitor = new GradientMonitor(model);
    const run = (from: number, to: number) => {
      for (let s = from; s < to; s++) {
        const l = step();
        opt.step();
        monitor.record(s, { loss: l });
      }
    };
    run(0, 3);
    const bytes = backend.memoryBytes();
    run(3, 30);
    expect(backend.memoryBytes()).toBe(bytes);
  });

  it('counts NaN and Infinity in weights and gradients', () => {
    const { backend, model, step, opt } = setup('sigmoid');
    const monitor = new GradientMonitor(model);
    const dense0 = model.layers[0] as Dense;
    const w = Array.from(dense0.weight.value.read());
    w[0] = Number.NaN;
    w[1] = Number.POSITIVE_INFINITY;
    backend.write(dense0.weight.value.buf, w);
    const l = step();
    opt.step();
    const rec = monitor.record(0, { loss: l });
    expect(Number.isNaN(rec?.loss)).toBe(true);
    expect(rec?.params[0]?.nonFinite).toBeGreaterThanOrEqual(2);
    expect(rec?.layers[0]?.nonFinite).toBeGreaterThan(0);
  });

  it('treats the layers inside a built Model as the depth boundaries, with residual blocks one level down', () => {
    const backend = new TsBackend({ precision: 'f64' });
    const spec = {
      kind: 'mlp',
      input: 2,
      output: 1,
      depth: 3,
      width: 4,
      activation: 'relu',
      residual: true,
    } as const;
    const model = buildModel(spec, { backend, seed: 1 });
    const walked = walkLayers(model);
    const top = walked.filter((w) => w.level === 0).map((w) => `${w.layer.name}:${w.type}`);
    expect(top).toEqual([
      'dense1:Dense',
      'relu1:Activation',
      'residual2:Residual',
      'residual3:Residual',
      'output:Dense',
    ]);
    const inner = walked.filter((w) => w.level === 2).map((w) => w.layer.name);
    expect(inner).toEqual(['dense2', 'relu2', 'dense3', 'relu3']);
    expect(walked.flatMap((w) => w.ownParams).length).toBe(model.params().length);
  });

  it('rejects a bad sampling interval with a message naming it', () => {
    const { model } = setup('sigmoid');
    expect(() => new GradientMonitor(model, { every: 0 })).toThrow(ConfigError);
    expect(() => new GradientMonitor(model, { every: 1.5 })).toThrow(/every must be an integer/);
  });

  it('keeps the newest maxRecords records, and rejects a count that is not a whole number', () => {
    const { model, step, opt } = setup('sigmoid');
    for (const bad of [0, 2.5, Number.NaN]) {
      expect(() => new GradientMonitor(model, { maxRecords: bad })).toThrow(/maxRecords must be an integer/);
    }
    const monitor = new GradientMonitor(model, { maxRecords: 2 });
    for (let s = 0; s < 5; s++) {
      const l = step();
      opt.step();
      expect(monitor.take(s, { loss: l })).toBe(true);
    }
    expect(monitor.history.records.map((r) => r.step)).toEqual([3, 4]);
    expect(monitor.log.length).toBe(2);
    monitor.dispose();
    expect(() => monitor.take(5, { loss: 0 })).toThrow(/after dispose/);
  });
});
