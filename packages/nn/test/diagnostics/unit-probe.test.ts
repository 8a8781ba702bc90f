import { type Backend, ConfigError, TsBackend } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { UnitProbe } from '../../src/diagnostics/unit-probe.js';
import { Activation, Dense, MseLoss, Sequential } from '../../src/layers/index.js';
import type { LSTM } from '../../src/layers/recurrent/lstm.js';
import { Rng } from '../../src/rng.js';
import { Tensor } from '../../src/tensor.js';
import { buildModel, type ModelSpec, SGD } from '../../src/training/index.js';

const f64 = (): Backend => new TsBackend({ precision: 'f64' });

/** One forward/backward with MSE on random data; returns the loss gradient dL/dy. */
function pass(model: Sequential | ReturnType<typeof buildModel>, x: Tensor, seed = 3): Tensor {
  const rng = new Rng(seed);
  const out = model.forward(x, { training: true });
  const loss = new MseLoss(model.backend);
  loss.forward(
    out,
    Array.from({ length: out.size }, () => rng.normal()),
  );
  const dy = loss.backward();
  model.backward(dy);
  return dy;
}

function randomInput(backend: Backend, shape: number[], seed = 2): Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Tensor.from(
    backend,
    shape,
    Array.from({ length: n }, () => rng.normal()),
  );
}

describe('UnitProbe', () => {
  it('finds one column per weight layer, named by the layer whose output it is', () => {
    const backend = f64();
    const spec: ModelSpec = {
      kind: 'mlp',
      input: 2,
      output: 3,
      depth: 3,
      width: 5,
      activation: 'sigmoid',
      norm: 'batch',
    };
    const probe = new UnitProbe(buildModel(spec, { backend, seed: 1 }));
    expect(probe.layers.map((l) => [l.name, l.kind, l.units, l.activation, l.weightLayer])).toEqual([
      ['input', 'input', 2, null, null],
      ['sigmoid1', 'hidden', 5, 'sigmoid', 'dense1'],
      ['sigmoid2', 'hidden', 5, 'sigmoid', 'dense2'],
      ['sigmoid3', 'hidden', 5, 'sigmoid', 'dense3'],
      ['output', 'output', 3, null, 'output'],
    ]);
    const res = new UnitProbe(
      buildModel({ ...spec, residual: true, activation: 'relu' }, { backend, seed: 1 }),
    );
    // Residual blocks are columns whose edges are the inner Dense; x + f(x) has no activation range.
    expect(res.layers[2]).toMatchObject({ name: 'residual2', activation: null, weightLayer: 'dense2' });
    expect(() => new UnitProbe(buildModel(spec, { backend, seed: 1 }), { top: 0 })).toThrow(ConfigError);
  });

  it('gives |dL/da| per unit equal to the column norms of dy W^T computed by hand', () => {
    const backend = f64();
    const rng = new Rng(7);
    const d1 = new Dense(3, 6, { backend, rng });
    const d2 = new Dense(6, 2, { backend, rng });
    const model = new Sequential([d1, new Activation('tanh', { backend }), d2], { backend });
    const probe = new UnitProbe(model, { top: 2 });
    const x = randomInput(backend, [5, 3]);
    const dy = pass(model, x);
    const snap = probe.capture({ outputGrad: dy });
    const g = dy.read();
    const w = d2.weight.value.read();
    // dL/da[r, j] = sum_k dy[r, k] W2[j, k]: the hidden column's gradient, by hand.
    const want = Array.from({ length: 6 }, (_, j) => {
      let s = 0;
      for (let r = 0; r < 5; r++) {
        let v = 0;
        for (let k = 0; k < 2; k++) v += (g[r * 2 + k] as number) * (w[j * 2 + k] as number);
        s += v * v;
      }
      return Math.sqrt(s);
    });
    const hidden = snap.layers[1];
    for (const [j, v] of want.entries()) expect(hidden?.grad?.[j]).toBeCloseTo(v, 12);
    expect(hidden?.meanGrad).toBeCloseTo(want.reduce((a, b) => a + b, 0) / 6, 12);
    // The shown units are the two with the largest gradient, in unit order.
    const order = want.map((v, j) => [v, j] as const).sort((a, b) => b[0] - a[0]);
    expect(hidden?.shown).toEqual([order[0]?.[1], order[1]?.[1]].sort());
    // Activation statistics per unit, from the tanh output.
    const out = model.layers[1]?.output?.read() as Float64Array;
    for (let j = 0; j < 6; j++) {
      const col = Array.from({ length: 5 }, (_, r) => out[r * 6 + j] as number);
      const m = col.reduce((a, b) => a + b, 0) / 5;
      expect(hidden?.actMean?.[j]).toBeCloseTo(m, 12);
      expect(hidden?.actStd?.[j]).toBeCloseTo(Math.sqrt(col.reduce((a, b) => a + (b - m) ** 2, 0) / 5), 12);
    }
    const hist = hidden?.hist;
    expect(hist?.lo).toBe(-1);
    expect(Array.from(hist?.counts ?? []).reduce((a, b) => a + b, 0)).toBe(30);
    // The output column's gradient is the loss gradient given; the input's is dL/dx.
    expect(snap.layers[2]?.grad?.length).toBe(2);
    expect(snap.layers[0]?.grad?.length).toBe(3);
    expect(snap.layers[0]?.actMean).toBeNull();
  });

  it('reports edges |w|, |dL/dw| and, when armed, the step update |dw|/|w| of the shown units', () => {
    const backend = f64();
    const rng = new Rng(11);
    const d1 = new Dense(4, 3, { backend, rng });
    const model = new Sequential(
      [d1, new Activation('relu', { backend }), new Dense(3, 1, { backend, rng })],
      {
        backend,
      },
    );
    const probe = new UnitProbe(model);
    const opt = new SGD(model.params(), { lr: 0.05 });
    const x = randomInput(backend, [6, 4]);
    probe.arm();
    pass(model, x);
    const grad = d1.weight.grad.read();
    opt.step();
    const snap = probe.capture();
    const w = d1.weight.value.read();
    const e = snap.layers[1]?.edges;
    expect(e?.from).toEqual([0, 1, 2, 3]);
    expect(e?.to).toEqual([0, 1, 2]);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 3; j++) {
        const k = i * 3 + j;
        expect(e?.weight[k]).toBeCloseTo(Math.abs(w[k] as number), 12);
        expect(e?.grad[k]).toBeCloseTo(Math.abs(grad[k] as number), 12);
        // Plain SGD moved w by lr * g.
        expect(e?.update?.[k]).toBeCloseTo(
          (0.05 * Math.abs(grad[k] as number)) / Math.abs(w[k] as number),
          10,
        );
      }
    }
    // Without arm() there is no update to report.
    pass(model, x);
    expect(probe.capture().layers[1]?.edges?.update).toBeNull();
  });

  it('marks saturated sigmoid units and dead ReLU units', () => {
    const backend = f64();
    const big = { kind: 'normal', scale: 50 } as const;
    const rng = new Rng(1);
    const sat = new Sequential(
      [
        new Dense(2, 4, { backend, rng, init: big }),
        new Activation('sigmoid', { backend }),
        new Dense(4, 1, { backend, rng }),
      ],
      { backend },
    );
    const x = randomInput(backend, [16, 2]);
    pass(sat, x);
    const s = new UnitProbe(sat).capture().layers[1];
    // Weights of scale 50 push almost every pre-activation past +-4.6, where sigmoid is < 0.01 or > 0.99.
    expect(Math.min(...(s?.saturated ?? []))).toBeGreaterThan(0.5);
    expect(s?.dead).toBeNull();

    const d = new Dense(2, 3, { backend, rng });
    const relu = new Sequential([d, new Activation('relu', { backend }), new Dense(3, 1, { backend, rng })], {
      backend,
    });
    // Unit 1's bias far below any input's reach: zero on the whole batch.
    backend.write(d.bias?.value.buf as Tensor['buf'], [0, -1e3, 0]);
    pass(relu, x);
    const r = new UnitProbe(relu).capture().layers[1];
    expect(r?.dead?.[1]).toBe(1);
    expect(r?.saturated).toBeNull();
  });

  it('sees a deep sigmoid net fade toward the input by decades and ReLU + He keep its scale', () => {
    const backend = f64();
    const ratio = (activation: 'sigmoid' | 'relu', init: 'glorotUniform' | 'heNormal') => {
      const spec: ModelSpec = { kind: 'mlp', input: 2, output: 1, depth: 12, width: 16, activation, init };
      const model = buildModel(spec, { backend, seed: 4 });
      pass(model, randomInput(backend, [32, 2]));
      const hidden = new UnitProbe(model).capture().layers.filter((l) => l.kind === 'hidden');
      return (hidden[0]?.meanGrad as number) / (hidden.at(-1)?.meanGrad as number);
    };
    // 11 sigmoid derivatives (<= 0.25 each) between the first and last hidden columns.
    expect(ratio('sigmoid', 'glorotUniform')).toBeLessThan(1e-4);
    const relu = ratio('relu', 'heNormal');
    expect(relu).toBeGreaterThan(1e-2);
    expect(relu).toBeLessThan(1e2);
  });

  it('unrolls an LSTM in time when armed: per-step per-unit ||dL/dh_t|| adding up to timeGradNorms', () => {
    const backend = f64();
    const spec: ModelSpec = { kind: 'recurrent', input: 2, output: 1, cell: 'lstm', hidden: 6, layers: 1 };
    const model = buildModel(spec, { backend, seed: 2 });
    const probe = new UnitProbe(model, { top: 3 });
    expect(probe.layers.map((l) => l.kind)).toEqual(['input', 'recurrent', 'output']);
    const x = randomInput(backend, [7, 4, 2]);
    probe.arm();
    pass(model, x);
    const snap = probe.capture();
    const lstm = model.net.layers[0] as LSTM;
    const col = snap.layers[1];
    expect(col?.time?.grad.length).toBe(7);
    col?.time?.grad.forEach((g, t) => {
      const sq = Array.from(g).reduce((a, b) => a + b * b, 0);
      expect(Math.sqrt(sq)).toBeCloseTo(lstm.timeGradNorms[t] as number, 10);
    });
    // Mean h_t per unit at the last step equals the mean of the layer's (last-step) output.
    const last = lstm.output?.read() as Float64Array;
    const m0 = Array.from({ length: 4 }, (_, r) => last[r * 6] as number).reduce((a, b) => a + b, 0) / 4;
    expect(col?.time?.actMean[6]?.[0]).toBeCloseTo(m0, 12);
    expect(col?.shown.length).toBe(3);
    expect(col?.recurrentEdges?.weight.length).toBe(9);
    // Capture disarms: the next backward is not listened to (a closed view costs nothing).
    expect(lstm.onTimeGrad).toBeNull();
    pass(model, x);
    expect(probe.capture().layers[1]?.time).toBeNull();
  });

  it('returns every column over given inputs, as the model computes them in inference mode', () => {
    const backend = f64();
    const model = buildModel(
      { kind: 'mlp', input: 2, output: 1, depth: 2, width: 4, activation: 'tanh' },
      { backend, seed: 9 },
    );
    const probe = new UnitProbe(model);
    const x = randomInput(backend, [5, 2]);
    const cols = probe.activationsAt(x);
    expect(cols.map((c) => c.length)).toEqual([10, 20, 20, 5]);
    expect(Array.from(cols[3] as Float64Array)).toEqual(
      Array.from(model.forward(x, { training: false }).read()),
    );
  });
});
