import { type Backend, createBackend } from '@vgp/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { variantConfig } from '../../src/experiments/compare.js';
import { getPreset } from '../../src/experiments/presets/index.js';
import { jacobianSpectrum } from '../../src/mean-field/jacobian.js';
import { criticalSigmaW, meanField } from '../../src/mean-field/theory.js';
import { buildModel } from '../../src/training/build-model.js';
import type { MlpSpec } from '../../src/training/model-spec.js';

let wasm: Backend;
beforeAll(async () => {
  wasm = await createBackend('wasm');
});

const preset = getPreset('dynamical-isometry');

/**
 * The share of singular values in [0.5, 2] of a run's hidden stack (input and output as wide as it),
 * at one input of per-unit variance 1e-3.
 */
async function nearOne(model: MlpSpec, seed: number): Promise<number> {
  const spec = { ...model, input: model.width, output: model.width };
  const net = buildModel(spec, { backend: wasm, seed });
  const x = Float64Array.from({ length: model.width }, (_, i) => Math.sqrt(2e-3) * Math.sin(3 + 2.1 * i));
  const f = (await jacobianSpectrum(net, [x])).summary.fractionNearOne;
  net.dispose();
  return f;
}

describe('preset dynamical-isometry', () => {
  it('puts 64 tanh layers at the critical point and ReLU at He scaling (chi_1 = 1 for all three)', () => {
    const base = preset.base.model as MlpSpec;
    expect(base.depth).toBeGreaterThanOrEqual(64);
    expect(base.activation).toBe('tanh');
    expect(base.init).toBe('orthogonal');
    expect(base.biasStd ?? 0).toBe(0);
    expect(Math.abs(criticalSigmaW('tanh', 0) - 1)).toBeLessThan(1e-6);
    expect(meanField({ activation: 'relu', sigmaW: Math.SQRT2, sigmaB: 0 }).chi1).toBeCloseTo(1, 12);
  });

  it('orthogonal keeps >= 95% of singular values in [0.5, 2]; Gaussian and ReLU+He at most a quarter (seeds 1-3)', async () => {
    const [gaussian, relu] = preset.variants.map((v) => variantConfig(preset.base, v).model as MlpSpec);
    for (const seed of [1, 2, 3]) {
      expect(await nearOne(preset.base.model as MlpSpec, seed)).toBeGreaterThanOrEqual(0.95);
      expect(await nearOne(gaussian, seed)).toBeLessThanOrEqual(0.25);
      expect(await nearOne(relu, seed)).toBeLessThanOrEqual(0.25);
    }
  }, 30_000);
});
