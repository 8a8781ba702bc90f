/**
 * criticalSigmaW is a search of ~1,500 quadratures, and every diagnosis of a vanishing tanh/sigmoid MLP
 * asks for it (the critical-init remedy is fitted to the run). The playground diagnoses every 500 ms,
 * so a search per diagnosis kept its deep sigmoid nets from training (issue 17). These tests count the
 * quadratures (calls of the float64 TS activation kernel the theory evaluates) instead of timing.
 */
import { TsBackend } from '@vgp/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExperimentRun } from '../../src/experiments/experiment-run.js';
import { criticalSigmaW } from '../../src/mean-field/theory.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function quadratures(fn: () => void): number {
  const spy = vi.spyOn(TsBackend.prototype, 'activation');
  fn();
  const n = spy.mock.calls.length;
  spy.mockRestore();
  return n;
}

describe('criticalSigmaW is searched once per (activation, sigma_b, alpha)', () => {
  it('answers a repeated question without a new search, with the same sigma_w', () => {
    let first = 0;
    expect(quadratures(() => (first = criticalSigmaW('sigmoid', 0.0123)))).toBeGreaterThan(100);
    let again = 0;
    expect(quadratures(() => (again = criticalSigmaW('sigmoid', 0.0123)))).toBe(0);
    expect(again).toBe(first);
    // Another sigma_b is another question.
    expect(quadratures(() => criticalSigmaW('sigmoid', 0.0456))).toBeGreaterThan(100);
  });

  it('repeats a failed search as the same ConfigError, without searching again', () => {
    // GELU at sigma_b = 0: chi_1 jumps over 1 (see theory.test.ts), so there is no edge of chaos.
    let message = '';
    expect(
      quadratures(() => {
        try {
          criticalSigmaW('gelu', 0);
        } catch (e) {
          message = (e as Error).message;
          expect((e as Error).name).toBe('ConfigError');
        }
      }),
    ).toBeGreaterThan(100);
    expect(message).toMatch(/no edge of chaos/);
    expect(quadratures(() => expect(() => criticalSigmaW('gelu', 0)).toThrow(message))).toBe(0);
  });

  it("a deep sigmoid run's repeated diagnosis (as the playground's) offers critical-init and searches no more", async () => {
    const run = await ExperimentRun.create(
      {
        label: 'deep sigmoid',
        task: { kind: 'moons', n: 128, noise: 0.1 },
        model: {
          kind: 'mlp',
          depth: 20,
          width: 8,
          activation: 'sigmoid',
          init: 'glorotUniform',
          biasStd: 0.0789,
        },
        optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 },
        batchSize: 32,
        steps: 40,
        seed: 1,
        backend: 'ts',
      },
      {},
    );
    try {
      for (let i = 0; i < 40; i++) run.step();
      const m = run.measures();
      const offered = () =>
        run
          .verdicts(m)
          .find((v) => v.kind === 'vanishing')
          ?.remedies.some((r) => r.id === 'critical-init');
      let first: boolean | undefined;
      expect(quadratures(() => (first = offered()))).toBeGreaterThan(100);
      expect(first).toBe(true);
      for (let k = 0; k < 3; k++) {
        let again: boolean | undefined;
        expect(quadratures(() => (again = offered()))).toBe(0);
        expect(again).toBe(true);
      }
    } finally {
      run.dispose();
    }
  });
});
