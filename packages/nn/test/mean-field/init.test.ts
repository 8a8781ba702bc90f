import { ConfigError, TsBackend } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { initValues } from '../../src/init.js';
import { Rng } from '../../src/rng.js';
import { buildModel } from '../../src/training/build-model.js';

function std(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s / v.length);
}

describe('initialization by (sigma_w, sigma_b)', () => {
  it('varianceScaling draws N(0, gain^2 / fan_in)', () => {
    const w = initValues({ kind: 'varianceScaling', gain: 1.5 }, 400, 300, new Rng(3));
    expect(std(w) / (1.5 / Math.sqrt(400))).toBeCloseTo(1, 2);
    expect(() => initValues({ kind: 'varianceScaling', gain: Number.NaN }, 4, 4, new Rng(1))).toThrow(/gain/);
  });

  it('orthogonal with a gain has every singular value equal to the gain (W W^T = gain^2 I)', () => {
    const n = 24;
    const w = initValues({ kind: 'orthogonal', gain: 1.7 }, n, n, new Rng(5));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += w[i * n + k] * w[j * n + k];
        expect(dot).toBeCloseTo(i === j ? 1.7 ** 2 : 0, 10);
      }
    }
  });

  it('biasStd draws every Dense bias from N(0, sigma_b^2) without changing the weights', () => {
    const backend = new TsBackend({ precision: 'f64' });
    const spec = {
      kind: 'mlp' as const,
      input: 8,
      output: 300,
      depth: 2,
      width: 300,
      activation: 'tanh' as const,
      init: { kind: 'varianceScaling' as const, gain: 1.2 },
    };
    const plain = buildModel(spec, { backend, seed: 9 });
    const biased = buildModel({ ...spec, biasStd: 0.3 }, { backend, seed: 9 });
    const byName = (m: typeof plain, name: string) =>
      (m.params().find((p) => p.name === name) as { value: { read(): ArrayLike<number> } }).value.read();
    expect(Array.from(byName(biased, 'dense2.weight'))).toEqual(Array.from(byName(plain, 'dense2.weight')));
    expect(std(byName(plain, 'dense2.bias'))).toBe(0);
    for (const name of ['dense1.bias', 'dense2.bias', 'output.bias']) {
      expect(std(byName(biased, name)) / 0.3).toBeGreaterThan(0.85);
      expect(std(byName(biased, name)) / 0.3).toBeLessThan(1.15);
    }
  });

  it('rejects a negative or non-finite biasStd with a ConfigError naming it', () => {
    const backend = new TsBackend({ precision: 'f64' });
    const spec = {
      kind: 'mlp' as const,
      input: 2,
      output: 1,
      depth: 1,
      width: 4,
      activation: 'tanh' as const,
    };
    expect(() => buildModel({ ...spec, biasStd: -0.1 }, { backend, seed: 1 })).toThrow(ConfigError);
    expect(() => buildModel({ ...spec, biasStd: Number.NaN }, { backend, seed: 1 })).toThrow(/biasStd/);
  });
});
