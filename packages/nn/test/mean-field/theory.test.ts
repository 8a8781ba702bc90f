import { ConfigError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import {
  chi1At,
  criticalSigmaW,
  depthScale,
  fixedPoint,
  lengthMap,
  meanField,
  moments,
  predictedGradientRatio,
} from '../../src/mean-field/theory.js';

describe('mean-field theory', () => {
  it('integrates Gaussian moments exactly: E[z^2] = 1, E[relu(z)^2] = 1/2, E[tanh(z)^2] known', () => {
    expect(moments('identity', 2.5, 0).phi2).toBeCloseTo(2.5, 12);
    expect(moments('identity', 2.5, 0).dphi2).toBeCloseTo(1, 12);
    expect(moments('relu', 3, 0).phi2).toBeCloseTo(1.5, 12);
    // E[tanh(z)^2] for z ~ N(0, 1) = 0.3942944903978... (independent value, mpmath).
    expect(moments('tanh', 1, 0).phi2).toBeCloseTo(0.39429449039789, 10);
  });

  it('tanh with sigma_b = 0 is critical at sigma_w = 1 (in [0.99, 1.01])', () => {
    const c = criticalSigmaW('tanh', 0);
    expect(c).toBeGreaterThanOrEqual(0.99);
    expect(c).toBeLessThanOrEqual(1.01);
  });

  it('tanh with sigma_b = 0.05 is critical at sigma_w = 1.1225 (1%) with q* = 0.154 (3%)', () => {
    const c = criticalSigmaW('tanh', 0.05);
    expect(Math.abs(c / 1.1225 - 1)).toBeLessThan(0.01);
    const p = meanField({ activation: 'tanh', sigmaW: c, sigmaB: 0.05 });
    expect(Math.abs(p.qStar / 0.154 - 1)).toBeLessThan(0.03);
    expect(p.chi1).toBeCloseTo(1, 9);
    expect(p.depthScale).toBeGreaterThan(1e6);
  });

  it('tanh chi_1 at sigma_b = 0.05: 0.632, 1.137, 1.362 for sigma_w 0.8, 1.5, 2.0', () => {
    const chi = [0.8, 1.5, 2].map((sigmaW) => meanField({ activation: 'tanh', sigmaW, sigmaB: 0.05 }).chi1);
    expect(chi[0]).toBeCloseTo(0.632, 3);
    expect(chi[1]).toBeCloseTo(1.137, 3);
    expect(chi[2]).toBeCloseTo(1.362, 3);
  });

  it('ReLU: chi_1 = sigma_w^2 / 2 to 1e-9, q* = sigma_b^2 / (1 - sigma_w^2 / 2)', () => {
    for (const [sigmaW, sigmaB] of [
      [0.5, 0],
      [1.2, 0.3],
      [1.4, 0.05],
      [2, 0],
      [3, 1],
    ]) {
      const p = meanField({ activation: 'relu', sigmaW, sigmaB });
      expect(Math.abs(p.chi1 - sigmaW ** 2 / 2)).toBeLessThan(1e-9);
    }
    const p = meanField({ activation: 'relu', sigmaW: 1.2, sigmaB: 0.3 });
    expect(p.qStar).toBeCloseTo(0.09 / (1 - 0.72), 10);
    expect(meanField({ activation: 'relu', sigmaW: 1.6, sigmaB: 0.1 }).qStar).toBe(Number.POSITIVE_INFINITY);
    expect(criticalSigmaW('relu', 0.1)).toBeCloseTo(Math.SQRT2, 9);
  });

  it('q* is a fixed point of the length map, and chi_1 = 1 at the critical sigma_w', () => {
    const continuous = ['identity', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'selu'] as const;
    for (const activation of continuous) {
      const sigmaW = criticalSigmaW(activation, 0.05);
      const at = { activation, sigmaW, sigmaB: 0.05 };
      expect(chi1At(at, fixedPoint(at))).toBeCloseTo(1, 6);
      const inner = { activation, sigmaW: 0.9 * sigmaW, sigmaB: 0.05 };
      const q = fixedPoint(inner);
      if (Number.isFinite(q)) expect(lengthMap(inner, q) / q).toBeCloseTo(1, 9);
      expect(meanField(inner).chi1).toBeLessThan(1);
    }
  });

  it('says there is no edge of chaos where chi_1 jumps over 1 (GELU, swish at sigma_b = 0.05)', () => {
    for (const activation of ['gelu', 'swish'] as const) {
      expect(() => criticalSigmaW(activation, 0.05)).toThrow(/jumps over 1/);
    }
  });

  it('softplus reaches chi_1 = 1 only as q* grows without bound, at sqrt(2) like ReLU', () => {
    expect(criticalSigmaW('softplus', 0.05)).toBeCloseTo(Math.SQRT2, 6);
    expect(meanField({ activation: 'softplus', sigmaW: 1.3, sigmaB: 0.05 }).chi1).toBeLessThan(1);
  });

  it('identity: chi_1 = sigma_w^2 and q* = sigma_b^2 / (1 - sigma_w^2)', () => {
    const p = meanField({ activation: 'identity', sigmaW: 0.8, sigmaB: 0.3 });
    expect(p.chi1).toBeCloseTo(0.64, 12);
    expect(p.qStar).toBeCloseTo(0.09 / 0.36, 10);
  });

  it('depth scale and predicted gradient ratio', () => {
    expect(depthScale(Math.exp(-0.1))).toBeCloseTo(10, 10);
    expect(depthScale(Math.exp(0.25))).toBeCloseTo(4, 10);
    expect(depthScale(1)).toBe(Number.POSITIVE_INFINITY);
    expect(predictedGradientRatio(0.25, 11)).toBeCloseTo(0.25 ** 5, 15);
    expect(() => predictedGradientRatio(0.5, 0)).toThrow(ConfigError);
  });

  it('rejects bad input with ConfigError naming the field', () => {
    expect(() => meanField({ activation: 'tanh', sigmaW: -1, sigmaB: 0 })).toThrow(/sigmaW/);
    expect(() => meanField({ activation: 'tanh', sigmaW: 1, sigmaB: Number.NaN })).toThrow(/sigmaB/);
    expect(() => meanField({ activation: 'cosine' as 'tanh', sigmaW: 1, sigmaB: 0 })).toThrow(ConfigError);
  });
});
