import { ConfigError, ShapeError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { GRU, LSTM, type RecurrentLayer, RNN, Rng, Tensor } from '../../src/index.js';
import { backends, expectSteadyMemory, uniform } from './helpers.js';

describe('recurrent layers: memory, shapes, options', () => {
  it('allocate nothing in steady state (TS and WASM) and free everything on dispose', async () => {
    for (const backend of Object.values(await backends())) {
      const start = backend.memoryBytes();
      const rng = new Rng(1);
      const layers: RecurrentLayer[] = [
        new RNN(3, 4, { backend, rng }),
        new LSTM(3, 4, { backend, rng, returnSequences: false }),
        new GRU(3, 4, { backend, rng }),
      ];
      const x = Tensor.from(backend, [5, 2, 3], uniform(rng, 30));
      for (const layer of layers) expectSteadyMemory({ layer, x });
      for (const layer of layers) layer.dispose();
      x.dispose();
      // The TS backend counts live bytes; WASM reports its linear memory, which never shrinks.
      if (backend.name === 'ts') expect(backend.memoryBytes()).toBe(start);
    }
  });

  it('give the same results after the batch size or length changes as a fresh layer does', async () => {
    const { ts64 } = await backends();
    for (const make of [
      (rng: Rng) => new LSTM(2, 3, { backend: ts64, rng }),
      (rng: Rng) => new GRU(2, 3, { backend: ts64, rng, returnSequences: false }),
      (rng: Rng) => new RNN(2, 3, { backend: ts64, rng }),
    ]) {
      const used = make(new Rng(4));
      const fresh = make(new Rng(4));
      const data = uniform(new Rng(9), 4 * 3 * 2);
      const small = Tensor.from(ts64, [2, 2, 2], data.subarray(0, 8));
      used.forward(small, { training: true });
      used.backward(used.output as Tensor);
      const big = Tensor.from(ts64, [4, 3, 2], data);
      const a = used.forward(big, { training: true }).read();
      const ga = used.backward(used.output as Tensor).read();
      const b = fresh.forward(big, { training: true }).read();
      const gb = fresh.backward(fresh.output as Tensor).read();
      expect([...a]).toEqual([...b]);
      expect([...ga]).toEqual([...gb]);
      expect([...used.timeGradNorms]).toEqual([...fresh.timeGradNorms]);
      for (const t of [used, fresh, small, big]) t.dispose();
    }
  });

  it('record a vanishing ||dL/dh_t|| for a tanh RNN with small recurrent weights', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(3);
    const T = 20;
    const rnn = new RNN(2, 8, {
      backend: ts64,
      rng,
      returnSequences: false,
      recurrentInit: { kind: 'orthogonal', gain: 0.5 },
    });
    const x = Tensor.from(ts64, [T, 4, 2], uniform(rng, T * 8));
    const y = rnn.forward(x, { training: true });
    rnn.backward(y);
    const n = rnn.timeGradNorms;
    // Each step back multiplies by W_hh^T diag(tanh') whose norm is at most 0.5.
    for (let t = 0; t < T - 1; t++) expect(n[t]).toBeLessThanOrEqual(0.5 * n[t + 1] + 1e-15);
    expect(n[0] / n[T - 1]).toBeLessThan(0.5 ** (T - 1));
    rnn.dispose();
    x.dispose();
  });

  it('LSTM starts its forget-gate biases at forgetBias (default 1) and the other gates at 0', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(1);
    const lstm = new LSTM(2, 3, { backend: ts64, rng });
    expect([...lstm.bias.value.read()]).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(lstm.cell).toBe('lstm');
    const custom = new LSTM(2, 2, { backend: ts64, rng, forgetBias: 0 });
    expect([...custom.bias.value.read()]).toEqual(new Array(8).fill(0));
    expect(lstm.params().map((p) => [p.name.slice(lstm.name.length), p.role, p.fanIn, p.fanOut])).toEqual([
      ['.weightIh', 'weight', 2, 12],
      ['.weightHh', 'recurrent', 3, 12],
      ['.bias', 'bias', 12, 12],
    ]);
    lstm.dispose();
    custom.dispose();
  });

  it('reject a wrong rank, a wrong width, and a bad activation, naming the layer and both shapes', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(1);
    const gru = new GRU(3, 4, { backend: ts64, rng, name: 'enc' });
    const flat = Tensor.zeros(ts64, [2, 3]);
    expect(() => gru.forward(flat, { training: true })).toThrow(ShapeError);
    expect(() => gru.forward(flat, { training: true })).toThrow(
      'enc: input has shape [2, 3], expected [time, batch, 3]',
    );
    const wide = Tensor.zeros(ts64, [2, 2, 5]);
    expect(() => gru.forward(wide, { training: true })).toThrow(
      'enc: input has shape [2, 2, 5], expected [time, batch, 3]',
    );
    const ok = Tensor.zeros(ts64, [2, 2, 3]);
    gru.forward(ok, { training: true });
    const dy = Tensor.zeros(ts64, [2, 4]);
    expect(() => gru.backward(dy)).toThrow('enc: output gradient has shape [2, 4], expected [2, 2, 4]');
    // @ts-expect-error: a name from user input
    expect(() => new RNN(2, 2, { backend: ts64, rng, activation: 'sigmoid' })).toThrow(ConfigError);
    expect(() => new LSTM(2, 0, { backend: ts64, rng })).toThrow(
      /hidden size must be a positive integer, got 0/,
    );
    for (const t of [gru, flat, wide, ok, dy]) t.dispose();
  });
});
