/**
 * Sizes no backend can hold are rejected from the config alone, before anything is allocated, with
 * the estimate, the limit and the field to lower in the message.
 */
import { ConfigError, createBackend } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import {
  BACKEND_LIMIT_BYTES,
  buildModel,
  checkModelSpec,
  type ExperimentConfig,
  estimateRunBytes,
  formatBytes,
  getPreset,
  modelSize,
  PRESETS,
  validateConfig,
  variantConfig,
} from '../../src/index.js';

const base = (): ExperimentConfig => structuredClone(getPreset('deep-sigmoid').base);

function rejects(config: unknown, message: RegExp): void {
  let caught: unknown;
  try {
    validateConfig(config);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  expect((caught as Error).message).toMatch(message);
}

describe('memory budget', () => {
  it('width 100000 needs ~37 GB of weights: rejected naming model.width and the 4 GB limit', () => {
    const c = base();
    c.model = { ...c.model, width: 100_000 } as ExperimentConfig['model'];
    rejects(
      c,
      /width 100000 needs ~\d+ GB of weights.*WASM memory is limited to 4 GB.*lower (model\.)?width/,
    );
  });

  it('width 20000 is rejected too (it used to fail only after 25 s and 3 GB)', () => {
    const c = base();
    c.model = { ...c.model, width: 20_000 } as ExperimentConfig['model'];
    rejects(c, /width 20000 needs ~.*lower (model\.)?width/);
  });

  it('a recurrent net names hidden', () => {
    const c = structuredClone(getPreset('rnn-adding').base);
    c.model = { ...c.model, hidden: 60_000 } as ExperimentConfig['model'];
    rejects(c, /hidden 60000 needs ~.*lower (model\.)?hidden/);
  });

  it('a huge batch names batchSize, a huge data set task.n, endless steps monitorEvery', () => {
    rejects(
      { ...base(), batchSize: 50_000_000 },
      /batchSize 50000000 needs ~.* of activations.*lower batchSize/,
    );
    const c = base();
    rejects(
      { ...c, task: { ...c.task, n: 1_000_000_000 } },
      /task\.n 1000000000 needs ~.* of data.*lower task\.n/,
    );
    rejects({ ...base(), steps: 1e9 }, /steps 1000000000 .* of history.*raise monitorEvery/);
  });

  it('the TS backend gets the same limit and says so', () => {
    const c = { ...base(), backend: 'ts' as const, batchSize: 50_000_000 };
    rejects(c, /TS backend is given the same limit as WASM memory, 4 GB/);
  });

  it('buildModel rejects a spec whose weights and gradients exceed the limit, before allocating', async () => {
    const backend = await createBackend('ts');
    const spec = { kind: 'mlp', input: 2, output: 1, depth: 3, width: 40_000, activation: 'relu' } as const;
    expect(() => buildModel(spec, { backend, seed: 1 })).toThrow(/width 40000 needs ~\d+ GB of weights/);
    expect(() => checkModelSpec({ ...spec, depth: 1e12 })).toThrow(ConfigError);
    expect(() =>
      checkModelSpec({ kind: 'recurrent', input: 2, output: 1, cell: 'lstm', hidden: 8, layers: 1e12 }),
    ).toThrow(/lower model.hidden or model.layers/);
    backend.dispose();
  });

  it('counts parameters exactly for an mlp and each recurrent cell', () => {
    // 2->4, 4->4, 4->1 with biases: (8 + 4) + (16 + 4) + (4 + 1).
    expect(
      modelSize({ kind: 'mlp', input: 2, output: 1, depth: 2, width: 4, activation: 'tanh' }).params,
    ).toBe(37);
    const r = (cell: 'rnn' | 'lstm' | 'gru') =>
      modelSize({ kind: 'recurrent', input: 3, output: 2, cell, hidden: 5, layers: 2 }).params;
    // rnn: layer 1 3*5 + 5*5 + 5, layer 2 5*5 + 5*5 + 5, head 5*2 + 2.
    expect(r('rnn')).toBe(45 + 55 + 12);
    expect(r('lstm')).toBe(4 * (15 + 25 + 5) + 4 * (25 + 25 + 5) + 12);
    expect(r('gru')).toBe(3 * (15 + 25 + 10) + 3 * (25 + 25 + 10) + 12);
  });

  it('every preset and variant fits, far below the limit', () => {
    for (const p of PRESETS) {
      for (const c of [p.base, ...p.variants.map((v) => variantConfig(p.base, v))]) {
        expect(() => validateConfig(c)).not.toThrow();
        const m = { ...c.model, input: 784, output: 10 } as never;
        expect(estimateRunBytes(c, m).backend).toBeLessThan(BACKEND_LIMIT_BYTES / 10);
      }
    }
  });

  it('formats bytes in units of 1024', () => {
    expect(formatBytes(BACKEND_LIMIT_BYTES)).toBe('4 GB');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5 GB');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(40e9)).toBe('37 GB');
  });
});
