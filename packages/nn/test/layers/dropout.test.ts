import { ConfigError, dropoutUniform } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { Dropout, Rng, Tensor } from '../../src/index.js';
import { awayFromZero, backends, expectGradcheck, expectParity, expectSteadyMemory } from './helpers.js';

describe('Dropout', () => {
  it('passes the f64 gradient check with a fixed mask and matches on TS f32 and WASM', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(51);
    for (const [p, rows, cols] of [
      [0.3, 4, 5],
      [0.6, 3, 7],
      [0, 2, 3],
    ]) {
      const x = Tensor.from(ts64, [rows, cols], awayFromZero(rng, rows * cols));
      const layer = new Dropout(p, { backend: ts64, seed: 99 });
      // Replaying seed 99 before every forward makes every pass draw the same mask.
      expectGradcheck({ layer, x, beforeForward: () => (layer.seed = 99) }, rng);
      layer.dispose();
      x.dispose();
    }
    await expectParity(
      (backend, r) => ({
        layer: new Dropout(0.4, { backend, seed: 7 }),
        x: Tensor.from(backend, [9, 17], awayFromZero(r, 153)),
      }),
      6,
    );
  });

  it('drops exactly where dropoutUniform(seed, i) < p, scales survivors, moves to a new mask each step', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(3);
    const n = 4000;
    const data = awayFromZero(rng, n);
    const x = Tensor.from(ts64, [40, 100], data);
    const layer = new Dropout(0.25, { backend: ts64, seed: 1234 });
    const y1 = layer.forward(x, { training: true }).read();
    let dropped = 0;
    for (let i = 0; i < n; i++) {
      const keep = dropoutUniform(1234, i) >= 0.25;
      expect(y1[i]).toBeCloseTo(keep ? data[i] / 0.75 : 0, 12);
      if (!keep) dropped++;
    }
    expect(dropped / n).toBeGreaterThan(0.22);
    expect(dropped / n).toBeLessThan(0.28);
    expect(layer.seed).not.toBe(1234);
    const y2 = layer.forward(x, { training: true }).read();
    let same = 0;
    for (let i = 0; i < n; i++) if ((y1[i] === 0) === (y2[i] === 0)) same++;
    // Independent masks agree on 0.75^2 + 0.25^2 = 62.5% of elements; a shifted or repeated one would not.
    expect(same / n).toBeGreaterThan(0.58);
    expect(same / n).toBeLessThan(0.67);
    // Inference is the identity and leaves the seed alone.
    const seed = layer.seed;
    expect(layer.forward(x, { training: false })).toBe(x);
    expect(layer.seed).toBe(seed);
    expectSteadyMemory({ layer, x });
    layer.dispose();
    x.dispose();
  });

  it('rejects p outside [0, 1) and a non-integer seed', async () => {
    const { ts64 } = await backends();
    expect(() => new Dropout(1, { backend: ts64, seed: 1 })).toThrow(ConfigError);
    expect(() => new Dropout(-0.1, { backend: ts64, seed: 1 })).toThrow(/p must be in \[0, 1\), got -0.1/);
    expect(() => new Dropout(0.5, { backend: ts64, seed: 0.5 })).toThrow(/seed must be an integer/);
  });
});
