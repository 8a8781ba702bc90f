import { ACTIVATIONS, type Backend } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import {
  Activation,
  BatchNorm,
  Dense,
  Dropout,
  GRU,
  gradcheck,
  gradcheckLayer,
  type Layer,
  LayerNorm,
  LOSSES,
  LSTM,
  lossByName,
  Residual,
  RNN,
  Rng,
  Sequential,
  Tensor,
} from '../../src/index.js';
import { awayFromZero, backends, uniform } from './helpers.js';

/**
 * Finite differences directly on the WASM backend, independent of the TS reference. In f32 a central
 * difference resolves derivatives to ~eps32 * |L| / h + h^2 ~ 1e-4 at h = 1e-2, hence the loose tolerance;
 * the tight 1e-6 check runs in f64 on TS, and WASM is held to TS within 1e-4 by the parity tests.
 */
const H = 1e-2;
const TOL = 1e-2;
const FLOOR = 1e-2;

const flat = (backend: Backend, rng: Rng, rows: number, cols: number) =>
  Tensor.from(backend, [rows, cols], awayFromZero(rng, rows * cols));
const seq = (backend: Backend, rng: Rng) => Tensor.from(backend, [4, 3, 3], uniform(rng, 36, -1, 1));

const LAYERS: Record<string, (b: Backend, rng: Rng) => { layer: Layer; x: Tensor; before?: () => void }> = {
  dense: (b, rng) => ({ layer: new Dense(5, 3, { backend: b, rng }), x: flat(b, rng, 4, 5) }),
  ...Object.fromEntries(
    ACTIVATIONS.map((k) => [
      k,
      (b: Backend, rng: Rng) => ({ layer: new Activation(k, { backend: b }), x: flat(b, rng, 3, 5) }),
    ]),
  ),
  batchNorm: (b, rng) => ({ layer: new BatchNorm(4, { backend: b }), x: flat(b, rng, 6, 4) }),
  layerNorm: (b, rng) => ({ layer: new LayerNorm(5, { backend: b }), x: flat(b, rng, 3, 5) }),
  dropout: (b, rng) => {
    const layer = new Dropout(0.3, { backend: b, seed: 5 });
    return { layer, x: flat(b, rng, 3, 6), before: () => (layer.seed = 5) };
  },
  residual: (b, rng) => ({
    layer: new Residual(new Dense(3, 5, { backend: b, rng }), { backend: b, rng }),
    x: flat(b, rng, 4, 3),
  }),
  sequential: (b, rng) => ({
    layer: new Sequential([new Dense(3, 4, { backend: b, rng }), new Activation('tanh', { backend: b })], {
      backend: b,
    }),
    x: flat(b, rng, 4, 3),
  }),
  rnnTanh: (b, rng) => ({ layer: new RNN(3, 4, { backend: b, rng }), x: seq(b, rng) }),
  rnnRelu: (b, rng) => ({
    layer: new RNN(3, 4, { backend: b, rng, activation: 'relu', returnSequences: false }),
    x: seq(b, rng),
  }),
  lstm: (b, rng) => ({ layer: new LSTM(3, 4, { backend: b, rng }), x: seq(b, rng) }),
  gru: (b, rng) => ({ layer: new GRU(3, 4, { backend: b, rng, returnSequences: false }), x: seq(b, rng) }),
};

describe('WASM finite-difference gradient check (f32)', () => {
  for (const [name, build] of Object.entries(LAYERS)) {
    it(name, async () => {
      const { wasm } = await backends();
      const rng = new Rng(name.length);
      const { layer, x, before } = build(wasm, rng);
      const probe = uniform(rng, layer.forward(x, { training: true }).size);
      const r = gradcheckLayer(layer, x, probe, { beforeForward: before, h: H, floor: FLOOR });
      expect(r.maxRelError, JSON.stringify(r.worst)).toBeLessThan(TOL);
      layer.dispose();
      x.dispose();
    });
  }

  for (const name of LOSSES) {
    it(`${name} loss`, async () => {
      const { wasm } = await backends();
      const rng = new Rng(3);
      const pred = Tensor.from(wasm, [4, 3], uniform(rng, 12, -2, 2));
      const target = name === 'softmaxCrossEntropy' ? [0, 2, 1, 2] : uniform(rng, 12, 0, 1);
      const loss = lossByName(name, wasm);
      const r = gradcheck({
        forward: () => loss.forward(pred, target),
        backward: () => loss.backward(),
        params: [],
        input: pred,
        h: H,
        floor: FLOOR,
      });
      expect(r.maxRelError, JSON.stringify(r.worst)).toBeLessThan(TOL);
      loss.dispose();
      pred.dispose();
    });
  }
});
