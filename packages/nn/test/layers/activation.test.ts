import { ACTIVATIONS, ConfigError, DEFAULT_ALPHA } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { Activation, Rng, Tensor } from '../../src/index.js';
import {
  awayFromZero,
  backends,
  between,
  expectGradcheck,
  expectParity,
  expectSteadyMemory,
} from './helpers.js';

describe('Activation', () => {
  for (const kind of ACTIVATIONS) {
    it(`${kind}: passes the f64 gradient check and matches on TS f32 and WASM`, async () => {
      const { ts64 } = await backends();
      const rng = new Rng(11);
      for (let trial = 0; trial < 2; trial++) {
        const shape = [between(rng, 1, 5), between(rng, 1, 7)];
        const x = Tensor.from(ts64, shape, awayFromZero(rng, shape[0] * shape[1]));
        // A non-default alpha checks that it reaches both kernels.
        const alpha = trial === 1 && DEFAULT_ALPHA[kind] !== 0 ? 0.3 : undefined;
        const layer = new Activation(kind, { backend: ts64, alpha });
        expectGradcheck({ layer, x }, rng);
        layer.dispose();
        x.dispose();
      }
      await expectParity((backend, r) => {
        const shape = [between(r, 1, 9), between(r, 1, 21)];
        return {
          layer: new Activation(kind, { backend }),
          x: Tensor.from(backend, shape, awayFromZero(r, shape[0] * shape[1])),
        };
      }, 5);
    });
  }

  it('exposes its kind and names itself after it', async () => {
    const { ts64 } = await backends();
    const a = new Activation('sigmoid', { backend: ts64 });
    expect(a.kind).toBe('sigmoid');
    expect(a.name).toMatch(/^sigmoid\d+$/);
    expect(a.params()).toEqual([]);
    const x = Tensor.from(ts64, [1, 2], [0, 0]);
    expect([...a.forward(x, { training: false }).read()]).toEqual([0.5, 0.5]);
    const s = new Rng(2);
    expectSteadyMemory({ layer: a, x: Tensor.from(ts64, [3, 4], awayFromZero(s, 12)) });
    a.dispose();
    x.dispose();
  });

  it('rejects an unknown activation with the list of valid ones', async () => {
    const { ts64 } = await backends();
    // @ts-expect-error: a name from user input, not a typed one
    expect(() => new Activation('sigmod', { backend: ts64 })).toThrow(ConfigError);
    // @ts-expect-error: as above
    expect(() => new Activation('sigmod', { backend: ts64 })).toThrow(
      /unknown activation 'sigmod'; use one of identity, sigmoid/,
    );
  });
});
