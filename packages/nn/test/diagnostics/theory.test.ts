import { describe, expect, it } from 'vitest';
import {
  compact,
  describeShrink,
  formatFraction,
  layersToHalve,
  MAX_DERIVATIVE,
  perLayerGain,
  weightGain,
} from '../../src/diagnostics/index.js';

describe('theory figures', () => {
  it('states the classic figures correctly', () => {
    // Ten layers that each halve the gradient leave 0.5^10 = 0.0977%, not 0.1% or 1%.
    expect(formatFraction(0.5 ** 10)).toBe('0.098%');
    expect(describeShrink(0.5, 10)).toBe('0.5^10 ~ 0.098%');
    // Sigmoid's derivative bound over ten layers: 0.25^10 = 9.54e-7.
    expect(formatFraction(0.25 ** 10)).toBe('9.5e-7');
    expect(describeShrink(MAX_DERIVATIVE.sigmoid as number, 10)).toBe('0.25^10 ~ 9.5e-7');
  });

  it('formats percentages, small fractions and growth factors', () => {
    expect(formatFraction(0.5)).toBe('50%');
    expect(formatFraction(0.999)).toBe('100%');
    expect(formatFraction(1)).toBe('100%');
    expect(formatFraction(1e-4)).toBe('0.01%');
    expect(formatFraction(3.3e-5)).toBe('3.3e-5');
    expect(formatFraction(1.5 ** 20)).toBe('3300x');
    expect(formatFraction(2 ** 20)).toBe('1e6x');
    expect(compact(123.4)).toBe('120');
    expect(compact(0.004)).toBe('4e-3');
  });

  it('computes per-layer gain and the depth over which the signal halves', () => {
    expect(perLayerGain(0.5 ** 10, 10)).toBeCloseTo(0.5, 12);
    expect(layersToHalve(0.5)).toBeCloseTo(1, 12);
    expect(layersToHalve(0.5 ** 0.1)).toBeCloseTo(10, 9);
    expect(layersToHalve(1.2)).toBe(Number.POSITIVE_INFINITY);
    // Nothing left is a gain of 0 (saturated tanh passes exactly 0); a negative ratio is not a ratio.
    expect(perLayerGain(0, 3)).toBe(0);
    expect(Number.isNaN(perLayerGain(-1, 3))).toBe(true);
  });

  it('derives the weight gain from the Frobenius norm and the fan-out', () => {
    // A 64x64 matrix with entries of std 1/8 = sqrt(1/64): ||W||_F = 64 * (1/8) = 8, gain 8/sqrt(64) = 1.
    expect(weightGain(8, [64, 64])).toBeCloseTo(1, 12);
    // He init (std sqrt(2/in)) gives sqrt(2).
    expect(weightGain(Math.sqrt(2 / 100) * 100, [100, 100])).toBeCloseTo(Math.SQRT2, 12);
  });

  it('bounds the derivatives of the activations', () => {
    // Check a few bounds numerically on a fine grid: the stated maximum is reached and never exceeded.
    const grid = Array.from({ length: 20001 }, (_, i) => -10 + i * 0.001);
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    const dSig = Math.max(...grid.map((x) => sig(x) * (1 - sig(x))));
    const dTanh = Math.max(...grid.map((x) => 1 - Math.tanh(x) ** 2));
    const dSwish = Math.max(...grid.map((x) => sig(x) + x * sig(x) * (1 - sig(x))));
    expect(dSig).toBeCloseTo(MAX_DERIVATIVE.sigmoid as number, 6);
    expect(dTanh).toBeCloseTo(MAX_DERIVATIVE.tanh as number, 6);
    expect(dSwish).toBeCloseTo(MAX_DERIVATIVE.swish as number, 3);
  });
});
