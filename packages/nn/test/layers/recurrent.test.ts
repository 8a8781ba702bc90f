import type { Backend } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import {
  Dense,
  GRU,
  LSTM,
  type RecurrentLayer,
  type RecurrentOptions,
  RNN,
  Rng,
  Sequential,
  Tensor,
} from '../../src/index.js';
import { backends, between, expectGradcheck, expectParity, uniform } from './helpers.js';

type Cell = 'rnnTanh' | 'rnnRelu' | 'lstm' | 'gru';
const CELLS: Cell[] = ['rnnTanh', 'rnnRelu', 'lstm', 'gru'];

function make(cell: Cell, inputs: number, hidden: number, opts: RecurrentOptions): RecurrentLayer {
  if (cell === 'lstm') return new LSTM(inputs, hidden, opts);
  if (cell === 'gru') return new GRU(inputs, hidden, opts);
  return new RNN(inputs, hidden, { ...opts, activation: cell === 'rnnTanh' ? 'tanh' : 'relu' });
}

/** Non-zero biases, so that every bias gradient and the bias paths into later steps are exercised. */
function randomizeBiases(layer: RecurrentLayer, rng: Rng): void {
  for (const p of layer.params())
    if (p.role === 'bias') layer.backend.write(p.value.buf, uniform(rng, p.value.size, -0.5, 0.5));
}

describe('recurrent layers', () => {
  for (const cell of CELLS) {
    for (const returnSequences of [true, false]) {
      it(`${cell}, returnSequences ${returnSequences}: f64 gradient check on random shapes, TS f32 and WASM parity`, async () => {
        const { ts64 } = await backends();
        const rng = new Rng(cell.length * 100 + (returnSequences ? 1 : 2));
        for (let trial = 0; trial < 3; trial++) {
          const [T, B, I, H] = [
            between(rng, 1, 4),
            between(rng, 1, 3),
            between(rng, 1, 4),
            between(rng, 1, 4),
          ];
          const layer = make(cell, I, H, { backend: ts64, rng, returnSequences });
          randomizeBiases(layer, rng);
          const x = Tensor.from(ts64, [T, B, I], uniform(rng, T * B * I, -1.5, 1.5));
          expectGradcheck({ layer, x }, rng);
          expect(layer.output?.shape).toEqual(returnSequences ? [T, B, H] : [B, H]);
          layer.dispose();
          x.dispose();
        }
        await expectParity((backend, r) => {
          const layer = make(cell, 5, 9, { backend, rng: r, returnSequences });
          randomizeBiases(layer, r);
          return { layer, x: Tensor.from(backend, [7, 3, 5], uniform(r, 105, -1.5, 1.5)) };
        }, 12);
      });
    }
  }

  it('stacked LSTM -> GRU -> Dense head in a Sequential passes the gradient check and parity', async () => {
    const { ts64 } = await backends();
    const build = (backend: Backend, rng: Rng, T: number, B: number) => {
      const net = new Sequential(
        [
          new LSTM(3, 4, { backend, rng }),
          new GRU(4, 3, { backend, rng, returnSequences: false }),
          new Dense(3, 2, { backend, rng }),
        ],
        { backend },
      );
      return { layer: net, x: Tensor.from(backend, [T, B, 3], uniform(rng, T * B * 3, -1, 1)) };
    };
    const rng = new Rng(77);
    const built = build(ts64, rng, 4, 2);
    expect((built.layer as Sequential).outFeatures(3)).toBe(2);
    expectGradcheck(built, rng);
    built.layer.dispose();
    built.x.dispose();
    const rnns = new Sequential(
      [new RNN(2, 3, { backend: ts64, rng }), new RNN(3, 2, { backend: ts64, rng, activation: 'relu' })],
      { backend: ts64 },
    );
    const x = Tensor.from(ts64, [3, 2, 2], uniform(rng, 12, -1, 1));
    expectGradcheck({ layer: rnns, x }, rng);
    rnns.dispose();
    x.dispose();
    await expectParity((backend, r) => build(backend, r, 6, 3), 5);
  });
});
