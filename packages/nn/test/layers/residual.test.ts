import type { Backend } from '@vgp/core';
import { ConfigError, ShapeError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { Activation, Dense, Residual, Rng, Sequential, Tensor } from '../../src/index.js';
import {
  awayFromZero,
  backends,
  between,
  expectGradcheck,
  expectParity,
  expectSteadyMemory,
} from './helpers.js';

function block(backend: Backend, rng: Rng, inF: number, outF: number): Sequential {
  return new Sequential([new Dense(inF, outF, { backend, rng }), new Activation('tanh', { backend })], {
    backend,
  });
}

describe('Residual', () => {
  it('passes the f64 gradient check with and without a projection, and matches on TS f32 and WASM', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(61);
    for (let trial = 0; trial < 4; trial++) {
      const inF = between(rng, 1, 5);
      const outF = trial % 2 === 0 ? inF : inF + between(rng, 1, 3);
      const batch = between(rng, 1, 4);
      const layer = new Residual(block(ts64, rng, inF, outF), { backend: ts64, rng });
      expect(layer.projection === null).toBe(inF === outF);
      const x = Tensor.from(ts64, [batch, inF], awayFromZero(rng, batch * inF));
      expectGradcheck({ layer, x }, rng);
      layer.dispose();
      x.dispose();
    }
    for (const outF of [6, 9]) {
      await expectParity(
        (backend, r) => ({
          layer: new Residual(block(backend, r, 6, outF), { backend, rng: r }),
          x: Tensor.from(backend, [5, 6], awayFromZero(r, 30)),
        }),
        9,
      );
    }
  });

  it('adds the input to f(x), exposes the projection params, and allocates nothing in steady state', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(2);
    const x = Tensor.from(ts64, [3, 2], awayFromZero(rng, 6));
    const res = new Residual(new Activation('tanh', { backend: ts64 }), { backend: ts64, features: 2 });
    const y = res.forward(x, { training: true }).read();
    const xs = x.read();
    for (let i = 0; i < 6; i++) expect(y[i]).toBeCloseTo(xs[i] + Math.tanh(xs[i]), 14);
    expectSteadyMemory({ layer: res, x });
    const proj = new Residual(block(ts64, rng, 2, 3), { backend: ts64, rng, name: 'res' });
    expect(proj.params().map((p) => p.name)).toContain('res.projection.weight');
    expect(proj.outFeatures(2)).toBe(3);
    expectSteadyMemory({ layer: proj, x });
    res.dispose();
    proj.dispose();
    x.dispose();
  });

  it('says what is missing or mismatched', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(2);
    expect(() => new Residual(new Activation('relu', { backend: ts64 }), { backend: ts64 })).toThrow(
      /pass \{ features \}/,
    );
    expect(() => new Residual(block(ts64, rng, 2, 3), { backend: ts64 })).toThrow(ConfigError);
    const res = new Residual(block(ts64, rng, 2, 2), { backend: ts64, name: 'r' });
    const x = Tensor.zeros(ts64, [4, 3]);
    expect(() => res.forward(x, { training: true })).toThrow(ShapeError);
    expect(() => res.forward(x, { training: true })).toThrow('r: input has shape [4, 3], expected [*, 2]');
    res.dispose();
    x.dispose();
  });
});
