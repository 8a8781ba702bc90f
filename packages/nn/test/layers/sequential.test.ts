import { ConfigError, ShapeError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { Activation, Dense, mseLoss, Rng, Sequential, Tensor } from '../../src/index.js';
import {
  awayFromZero,
  backends,
  between,
  expectGradcheck,
  expectParity,
  expectSteadyMemory,
} from './helpers.js';

function mlp(backend: Parameters<typeof mseLoss>[0], rng: Rng, widths: number[]): Sequential {
  const layers = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    layers.push(new Dense(widths[i], widths[i + 1], { backend, rng }));
    if (i + 2 < widths.length) layers.push(new Activation(i % 2 === 0 ? 'tanh' : 'gelu', { backend }));
  }
  return new Sequential(layers, { backend });
}

describe('Sequential', () => {
  it('passes the f64 gradient check on random MLPs and matches on TS f32 and WASM', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(31);
    for (let trial = 0; trial < 3; trial++) {
      const widths = [between(rng, 1, 5), between(rng, 1, 5), between(rng, 1, 5), between(rng, 1, 4)];
      const batch = between(rng, 1, 4);
      const net = mlp(ts64, rng, widths);
      const x = Tensor.from(ts64, [batch, widths[0]], awayFromZero(rng, batch * widths[0]));
      expectGradcheck({ layer: net, x }, rng);
      net.dispose();
      x.dispose();
    }
    await expectParity((backend, r) => {
      const widths = [7, 13, 5, 3];
      return { layer: mlp(backend, r, widths), x: Tensor.from(backend, [6, 7], awayFromZero(r, 42)) };
    }, 8);
  });

  it('exposes its layers, their params in order, and every boundary signal', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(2);
    const net = mlp(ts64, rng, [3, 4, 2]);
    expect(net.layers.map((l) => l.constructor.name)).toEqual(['Dense', 'Activation', 'Dense']);
    expect(net.params().map((p) => p.name)).toEqual(net.layers.flatMap((l) => l.params().map((p) => p.name)));
    expect(net.outFeatures(3)).toBe(2);
    expect(net.inFeatures()).toBe(3);
    const x = Tensor.from(ts64, [5, 3], awayFromZero(rng, 15));
    const y = net.forward(x, { training: true });
    expect(net.output).toBe(y);
    expect(y).toBe(net.layers[2].output);
    const loss = mseLoss(ts64);
    loss.forward(y, new Float64Array(10));
    const dx = net.backward(loss.backward());
    expect(net.inputGrad).toBe(dx);
    expect(net.layers[0].inputGrad).toBe(dx);
    for (const l of net.layers) expect(l.inputGrad).not.toBeNull();
    expectSteadyMemory({ layer: net, x });
    loss.dispose();
    net.dispose();
    x.dispose();
  });

  it('reports the layer whose input does not fit, and rejects an empty list', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(2);
    const a = new Dense(3, 4, { backend: ts64, rng });
    const b = new Dense(5, 2, { backend: ts64, rng });
    const net = new Sequential([a, b], { backend: ts64 });
    const x = Tensor.zeros(ts64, [2, 3]);
    expect(() => net.forward(x, { training: true })).toThrow(ShapeError);
    expect(() => net.forward(x, { training: true })).toThrow(
      `${b.name}: input has shape [2, 4], expected [*, 5]`,
    );
    expect(() => net.outFeatures(3)).toThrow(`${b.name}: input has shape [4], expected [5]`);
    expect(() => new Sequential([], { backend: ts64 })).toThrow(ConfigError);
    net.dispose();
    x.dispose();
  });
});
