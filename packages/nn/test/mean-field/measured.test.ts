import { type Backend, createBackend } from '@vgp/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InitSpec } from '../../src/init.js';
import { backwardFactor, inputsAtQ } from '../../src/mean-field/backward-factor.js';
import { jacobianSpectrum } from '../../src/mean-field/jacobian.js';
import { criticalSigmaW, meanField } from '../../src/mean-field/theory.js';
import { buildModel } from '../../src/training/build-model.js';

let wasm: Backend;
beforeAll(async () => {
  wasm = await createBackend('wasm');
});

describe('the per-layer factor of ||dL/dh_l||^2 at init, measured beside chi_1', () => {
  // tanh, sigma_b = 0.05, width 256, depth 30, 5 seeds, inputs phi(sqrt(q*) z) so h_1 starts at q*.
  it.each([0.8, 1.5, 2.0])(
    'sigma_w = %s: the fitted factor is within 0.03 of chi_1 on each of 5 seeds',
    (sigmaW) => {
      const init = { activation: 'tanh' as const, sigmaW, sigmaB: 0.05 };
      const theory = meanField(init);
      for (let seed = 1; seed <= 5; seed++) {
        const model = buildModel(
          {
            kind: 'mlp',
            input: 256,
            output: 256,
            depth: 30,
            width: 256,
            activation: 'tanh',
            init: { kind: 'varianceScaling', gain: sigmaW },
            biasStd: 0.05,
          },
          { backend: wasm, seed },
        );
        const measured = backwardFactor(model, inputsAtQ(init, theory.qStar, 64, 256, seed), seed);
        expect(measured.squaredNorms).toHaveLength(30);
        expect(Math.abs(measured.factor - theory.chi1)).toBeLessThan(0.03);
        model.dispose();
      }
    },
    30_000,
  );
});

describe('jacobianSpectrum', () => {
  it('is exact on a linear net: the singular values of W1 W2 computed by hand', async () => {
    const ts = await createBackend('ts', { precision: 'f64' });
    const model = buildModel(
      { kind: 'mlp', input: 3, output: 2, depth: 1, width: 4, activation: 'identity', init: 'glorotNormal' },
      { backend: ts, seed: 4 },
    );
    const [w1, , w2] = model.params().map((p) => p.value.read());
    // J = (W1 W2)^T, 2 x 3; its singular values are the square roots of the eigenvalues of J J^T (2 x 2).
    const j = [0, 1].map((o) =>
      [0, 1, 2].map((i) => [0, 1, 2, 3].reduce((s, h) => s + w1[i * 4 + h] * w2[h * 2 + o], 0)),
    );
    const a = j[0].reduce((s, v) => s + v * v, 0);
    const d = j[1].reduce((s, v) => s + v * v, 0);
    const b = j[0].reduce((s, v, k) => s + v * j[1][k], 0);
    const disc = Math.sqrt(((a - d) / 2) ** 2 + b * b);
    const expected = [Math.sqrt((a + d) / 2 + disc), Math.sqrt((a + d) / 2 - disc)];
    const got = await jacobianSpectrum(model, [[0.3, -1, 2]]);
    expect(got.perInput[0][0]).toBeCloseTo(expected[0], 10);
    expect(got.perInput[0][1]).toBeCloseTo(expected[1], 10);
    expect(got.summary.count).toBe(2);
  });

  // Pennington, Schoenholz & Ganguli 2017: tanh at the critical point with sigma_b = 0 (sigma_w = 1),
  // one input of per-unit variance 1e-3 (q* -> 0 there). Width 64 and depth 64 on 3 seeds here; the
  // acceptance size (width 256, depth 128) runs through `vgp spectrum` in apps/cli/test/theory.test.ts.
  it('dynamical isometry: orthogonal >= 95% of singular values in [0.5, 2], Gaussian and ReLU+He <= 10% (seeds 1-3)', async () => {
    const sigmaW = criticalSigmaW('tanh', 0);
    const rows = [Float64Array.from({ length: 64 }, (_, i) => Math.sqrt(2e-3) * Math.sin(3 + 2.1 * i))];
    const spectrum = async (activation: 'tanh' | 'relu', init: InitSpec, seed: number) => {
      const model = buildModel(
        { kind: 'mlp', input: 64, output: 64, depth: 64, width: 64, activation, init },
        { backend: wasm, seed },
      );
      const s = (await jacobianSpectrum(model, rows)).summary;
      model.dispose();
      return s;
    };
    for (const seed of [1, 2, 3]) {
      const orthogonal = await spectrum('tanh', { kind: 'orthogonal', gain: sigmaW }, seed);
      expect(orthogonal.fractionNearOne).toBeGreaterThanOrEqual(0.95);
      expect(orthogonal.count).toBe(64);
      expect(
        (await spectrum('tanh', { kind: 'varianceScaling', gain: sigmaW }, seed)).fractionNearOne,
      ).toBeLessThanOrEqual(0.1);
      expect((await spectrum('relu', 'heNormal', seed)).fractionNearOne).toBeLessThanOrEqual(0.1);
    }
  }, 30_000);
});
