import { parseJson } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { vgp } from './helpers.js';

async function json(...argv: string[]): Promise<Record<string, unknown>> {
  const { code, out, err } = await vgp(...argv, '--json');
  expect(err).toBe('');
  expect(code).toBe(0);
  return parseJson(out) as Record<string, unknown>;
}

describe('vgp theory', () => {
  it('--critical: tanh with sigma_b = 0 is critical at sigma_w in [0.99, 1.01]', async () => {
    const r = await json('theory', '--activation', 'tanh', '--sigma-b', '0', '--critical');
    expect(r.sigmaW).toBeGreaterThanOrEqual(0.99);
    expect(r.sigmaW).toBeLessThanOrEqual(1.01);
  });

  it('--critical: tanh with sigma_b = 0.05 gives sigma_w = 1.1225 (1%), q* = 0.154 (3%), chi_1 = 1', async () => {
    const r = await json('theory', '--activation', 'tanh', '--sigma-b', '0.05', '--critical');
    expect(Math.abs((r.sigmaW as number) / 1.1225 - 1)).toBeLessThan(0.01);
    expect(Math.abs((r.qStar as number) / 0.154 - 1)).toBeLessThan(0.03);
    expect(r.chi1).toBeCloseTo(1, 9);
    expect(r.phase).toBe('edge of chaos');
  });

  it('ReLU: chi_1 = sigma_w^2 / 2 to 1e-9, and the predicted ratio is chi_1^((depth - 1) / 2)', async () => {
    const r = await json(
      'theory',
      '--activation',
      'relu',
      '--sigma-w',
      '1.3',
      '--sigma-b',
      '0.1',
      '--depth',
      '21',
    );
    expect(Math.abs((r.chi1 as number) - 1.3 ** 2 / 2)).toBeLessThan(1e-9);
    expect(r.predictedGradientRatio).toBeCloseTo((1.3 ** 2 / 2) ** 10, 12);
    expect(r.phase).toBe('ordered (gradients vanish)');
  });

  it('--measure: the fitted per-layer factor at init is within 0.03 of chi_1 (tanh, sigma_w 1.5, sigma_b 0.05, depth 30, width 256, 5 seeds)', async () => {
    const r = await json(
      'theory',
      '--activation',
      'tanh',
      '--sigma-w',
      '1.5',
      '--sigma-b',
      '0.05',
      '--depth',
      '30',
      '--measure',
    );
    const m = r.measured as { perSeed: number[]; mean: number };
    expect(r.chi1).toBeCloseTo(1.137, 3);
    expect(m.perSeed).toHaveLength(5);
    for (const f of m.perSeed) expect(Math.abs(f - (r.chi1 as number))).toBeLessThan(0.03);
  }, 60_000);

  it('prints a readable table', async () => {
    const { code, out } = await vgp('theory', '--activation', 'tanh', '--sigma-w', '2', '--sigma-b', '0.05');
    expect(code).toBe(0);
    expect(out).toMatch(/chi_1\s+1\.36\d+\s+.*chaotic/);
    expect(out).toMatch(/q\*/);
  });

  it.each([
    [
      ['theory', '--activation', 'cosine', '--sigma-w', '1'],
      /--activation must be one of identity, sigmoid, tanh/,
    ],
    [['theory', '--activation', 'tanh', '--sigma-w', '-1'], /--sigma-w must be a number >= /],
    [['theory', '--activation', 'tanh'], /give --sigma-w S, or --critical/],
    [['theory', '--activation', 'gelu', '--sigma-b', '0.05', '--critical'], /chi_1 jumps over 1/],
    [['spectrum', '--activation', 'tanh', '--init', 'uniform'], /Allowed choices are orthogonal, normal/],
  ])('%j fails with a message that says what to change', async (argv, message) => {
    const { code, err } = await vgp(...argv);
    expect(code).not.toBe(0);
    expect(err).toMatch(message);
  });
});

describe('vgp spectrum (dynamical isometry: width 256, depth 128, inputs of per-unit variance 1e-3)', () => {
  const full = ['--depth', '128', '--width', '256', '--sigma-b', '0'];

  it('tanh at the critical point, orthogonal: >= 95% of singular values in [0.5, 2]', async () => {
    const r = await json('spectrum', '--activation', 'tanh', '--init', 'orthogonal', ...full);
    expect(r.sigmaW).toBeCloseTo(1, 2);
    expect(r.count).toBe(256);
    expect(r.fractionNearOne).toBeGreaterThanOrEqual(0.95);
    expect(r.chi1).toBeCloseTo(1, 5);
  }, 120_000);

  it('tanh at the critical point, Gaussian: <= 10% in [0.5, 2]', async () => {
    const r = await json('spectrum', '--activation', 'tanh', '--init', 'normal', ...full);
    expect(r.fractionNearOne).toBeLessThanOrEqual(0.1);
  }, 120_000);

  it('ReLU with He scaling (Gaussian, sigma_w = sqrt 2): <= 10% in [0.5, 2]', async () => {
    const r = await json(
      'spectrum',
      '--activation',
      'relu',
      '--init',
      'normal',
      '--sigma-w',
      String(Math.SQRT2),
      ...full,
    );
    expect(r.fractionNearOne).toBeLessThanOrEqual(0.1);
    expect(r.chi1).toBeCloseTo(1, 9);
  }, 120_000);

  it('prints quantiles, the share in [0.5, 2] and max/min', async () => {
    const { code, out } = await vgp('spectrum', '--activation', 'tanh', '--depth', '4', '--width', '16');
    expect(code).toBe(0);
    expect(out).toMatch(/quantiles\s+0%: .* 100%: /);
    expect(out).toMatch(/in \[0\.5, 2\]\s+\d/);
    expect(out).toMatch(/max\/min/);
  });
});
