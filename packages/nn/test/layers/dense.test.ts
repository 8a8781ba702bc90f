import { ShapeError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { Dense, Rng, Tensor } from '../../src/index.js';
import {
  awayFromZero,
  backends,
  between,
  expectGradcheck,
  expectParity,
  expectSteadyMemory,
} from './helpers.js';

describe('Dense', () => {
  it('computes y = x W + b', async () => {
    const { ts64 } = await backends();
    const d = new Dense(2, 3, { backend: ts64, rng: new Rng(1) });
    ts64.write(d.weight.value.buf, [1, 2, 3, 4, 5, 6]);
    ts64.write((d.bias as NonNullable<typeof d.bias>).value.buf, [0.5, -1, 2]);
    const y = d.forward(Tensor.from(ts64, [2, 2], [1, 1, 2, -1]), { training: false });
    expect([...y.read()]).toEqual([5.5, 6, 11, -1.5, -2, 2]);
    expect(d.params().map((p) => [p.name, p.role, p.fanIn, p.fanOut])).toEqual([
      [`${d.name}.weight`, 'weight', 2, 3],
      [`${d.name}.bias`, 'bias', 3, 3],
    ]);
    d.dispose();
  });

  it('passes the f64 gradient check on random shapes, [batch, in] and [time, batch, in]', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(7);
    for (let trial = 0; trial < 4; trial++) {
      const [inF, outF, batch] = [between(rng, 1, 6), between(rng, 1, 6), between(rng, 1, 5)];
      const shape = trial % 2 === 0 ? [batch, inF] : [between(rng, 1, 3), batch, inF];
      const x = Tensor.from(
        ts64,
        shape,
        awayFromZero(
          rng,
          shape.reduce((a, b) => a * b),
        ),
      );
      const layer = new Dense(inF, outF, { backend: ts64, rng, bias: trial !== 3 });
      expectGradcheck({ layer, x }, rng);
      layer.dispose();
      x.dispose();
    }
  });

  it('matches on TS f32 and WASM', async () => {
    for (const seed of [1, 2]) {
      await expectParity((backend, rng) => {
        const [inF, outF, batch] = [between(rng, 1, 19), between(rng, 1, 19), between(rng, 1, 9)];
        return {
          layer: new Dense(inF, outF, { backend, rng }),
          x: Tensor.from(backend, [batch, inF], awayFromZero(rng, batch * inF)),
        };
      }, seed);
    }
  });

  it('allocates nothing in steady state and frees everything on dispose', async () => {
    const { ts64 } = await backends();
    const start = ts64.memoryBytes();
    const rng = new Rng(3);
    const x = Tensor.from(ts64, [4, 5], awayFromZero(rng, 20));
    const layer = new Dense(5, 3, { backend: ts64, rng });
    expectSteadyMemory({ layer, x });
    // A new batch size reallocates, freeing the old buffers.
    const x2 = Tensor.from(ts64, [7, 5], awayFromZero(rng, 35));
    expectSteadyMemory({ layer, x: x2 });
    layer.dispose();
    x.dispose();
    x2.dispose();
    expect(ts64.memoryBytes()).toBe(start);
  });

  it('throws ShapeError naming the layer and both shapes', async () => {
    const { ts64 } = await backends();
    const d = new Dense(4, 2, { backend: ts64, rng: new Rng(1), name: 'head' });
    const x = Tensor.zeros(ts64, [3, 5]);
    expect(() => d.forward(x, { training: true })).toThrow(ShapeError);
    expect(() => d.forward(x, { training: true })).toThrow('head: input has shape [3, 5], expected [*, 4]');
    const v = Tensor.zeros(ts64, [4]);
    expect(() => d.forward(v, { training: true })).toThrow(
      'head: input has shape [4] (rank 1), expected [batch, 4] or [time, batch, 4]',
    );
    const ok = Tensor.zeros(ts64, [3, 4]);
    d.forward(ok, { training: true });
    const dy = Tensor.zeros(ts64, [3, 3]);
    expect(() => d.backward(dy)).toThrow('head: output gradient has shape [3, 3], expected [3, 2]');
    for (const t of [x, v, ok, dy]) t.dispose();
    d.dispose();
  });
});
