import { ShapeError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import {
  Activation,
  BatchNorm,
  Dense,
  Dropout,
  GRU,
  type Layer,
  LayerNorm,
  LSTM,
  mseLoss,
  Residual,
  RNN,
  Rng,
  Sequential,
  Tensor,
} from '../../src/index.js';
import { backends } from './helpers.js';

/** Every layer kind with an input it accepts (width 3): each must reject a rank-1 input and a wrong dy. */
async function cases(): Promise<{ layer: Layer; good: number[] }[]> {
  const { ts64: backend } = await backends();
  const rng = new Rng(1);
  const flat = [4, 3];
  const seq = [2, 4, 3];
  return [
    { layer: new Dense(3, 2, { backend, rng }), good: flat },
    { layer: new Activation('elu', { backend }), good: flat },
    { layer: new BatchNorm(3, { backend }), good: flat },
    { layer: new LayerNorm(3, { backend }), good: seq },
    { layer: new Dropout(0.5, { backend, seed: 1 }), good: flat },
    { layer: new Residual(new Dense(3, 3, { backend, rng }), { backend }), good: flat },
    { layer: new Sequential([new Dense(3, 3, { backend, rng })], { backend }), good: flat },
    { layer: new RNN(3, 2, { backend, rng }), good: seq },
    { layer: new LSTM(3, 2, { backend, rng, returnSequences: false }), good: seq },
    { layer: new GRU(3, 2, { backend, rng }), good: seq },
  ];
}

describe('shape errors at every layer boundary', () => {
  it('a rank-1 input throws a ShapeError naming the layer and the shape', async () => {
    for (const { layer } of await cases()) {
      const v = Tensor.zeros(layer.backend, [3]);
      let err: unknown = null;
      try {
        layer.forward(v, { training: true });
      } catch (e) {
        err = e;
      }
      expect(err, layer.name).toBeInstanceOf(ShapeError);
      // Sequential's first child reports it; every other layer reports itself.
      const who = layer instanceof Sequential ? layer.layers[0].name : layer.name;
      expect((err as Error).message).toMatch(new RegExp(`^${who}: input has shape \\[3\\].*expected \\[`));
      v.dispose();
      layer.dispose();
    }
  });

  it('an output gradient of another shape throws a ShapeError naming both shapes', async () => {
    for (const { layer, good } of await cases()) {
      const x = Tensor.zeros(layer.backend, good);
      const y = layer.forward(x, { training: true });
      const wrongShape = [...y.shape.slice(0, -1), y.shape[y.rank - 1] + 1];
      const dy = Tensor.zeros(layer.backend, wrongShape);
      const want = `${layer.name}: output gradient has shape [${wrongShape.join(', ')}], expected [${y.shape.join(', ')}]`;
      expect(() => layer.backward(dy)).toThrow(ShapeError);
      expect(() => layer.backward(dy)).toThrow(want);
      for (const t of [x, dy, layer]) t.dispose();
    }
  });

  it('an empty batch throws a ShapeError that says to give at least one row', async () => {
    const { ts64: backend } = await backends();
    const rng = new Rng(1);
    const dense = new Dense(3, 2, { backend, name: 'd', rng });
    const lstm = new LSTM(3, 2, { backend, rng, name: 'l' });
    const empty = Tensor.zeros(backend, [0, 3]);
    const emptySeq = Tensor.zeros(backend, [4, 0, 3]);
    expect(() => dense.forward(empty, { training: true })).toThrow(
      'd: input [0, 3] is empty; give at least one row',
    );
    expect(() => lstm.forward(emptySeq, { training: true })).toThrow(ShapeError);
    expect(() => lstm.forward(emptySeq, { training: true })).toThrow('with time and batch at least 1');
    expect(() => mseLoss(backend).forward(empty, [])).toThrow('mse loss: predictions [0, 3] are empty');
    for (const t of [dense, lstm, empty, emptySeq]) t.dispose();
  });
});
