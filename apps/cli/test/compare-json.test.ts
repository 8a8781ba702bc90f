import { readFileSync } from 'node:fs';
import { parseJson } from '@vgp/nn';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { vgp } from './helpers.js';

const schema = JSON.parse(
  readFileSync(new URL('../../../docs/compare-output.schema.json', import.meta.url), 'utf8'),
);

describe('vgp compare --preset deep-sigmoid --json', () => {
  it('prints JSON that validates against docs/compare-output.schema.json', async () => {
    const { code, out, err } = await vgp('compare', '--preset', 'deep-sigmoid', '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    const doc = JSON.parse(out);
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // And it says what the demonstration is for: the sigmoid baseline vanishes, ReLU+He does not.
    const runs = (parseJson(out) as typeof doc).runs;
    expect(runs.map((r: { label: string }) => r.label)).toEqual([
      'sigmoid (Glorot)',
      'ReLU + He',
      'residual + batch norm',
      'layer norm',
    ]);
    expect(runs[0].verdicts.map((v: { kind: string }) => v.kind)).toContain('vanishing');
    expect(runs[1].verdicts.map((v: { kind: string }) => v.kind)).not.toContain('vanishing');
    expect(runs[0].summary.firstLastRatio).toBeLessThan(1e-3);
  }, 120_000);

  it('validates with per-step histories and a run that blew up (NaN spelled as a string)', async () => {
    const { code, out } = await vgp('compare', '--preset', 'exploding-rnn', '--json', '--history');
    expect(code).toBe(0);
    expect(out).toContain('"NaN"');
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    validate(JSON.parse(out));
    expect(validate.errors ?? []).toEqual([]);
  }, 120_000);

  it('--seeds 3 on rnn-adding: per run the median/min/max of the test MSE and the time ratio, and k/N per verdict', async () => {
    // The structure does not depend on the budget: 30 steps keep the test short.
    const { code, out, err } = await vgp(
      'compare',
      '--preset',
      'rnn-adding',
      '--seeds',
      '3',
      '--steps',
      '30',
      '--json',
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    validate(JSON.parse(out));
    expect(validate.errors ?? []).toEqual([]);
    type S = { median: number; min: number; max: number; n: number; nonFinite: number };
    const doc = parseJson(out) as {
      seeds: number[];
      runs: { label: string; config: { seed: number }; summary: { testLoss: number; timeRatio: number } }[];
      aggregates: {
        label: string;
        seeds: number[];
        summary: Record<string, S>;
        verdicts: { kind: string; count: number; of: number }[];
      }[];
    };
    expect(doc.seeds).toEqual([1, 2, 3]);
    expect(doc.runs.map((r) => `${r.label}@${r.config.seed}`)).toEqual(
      [1, 2, 3].flatMap((s) => ['tanh RNN', 'LSTM', 'GRU'].map((l) => `${l}@${s}`)),
    );
    expect(doc.aggregates.map((a) => a.label)).toEqual(['tanh RNN', 'LSTM', 'GRU']);
    for (const a of doc.aggregates) {
      expect(a.seeds).toEqual([1, 2, 3]);
      const mine = doc.runs.filter((r) => r.label === a.label);
      for (const key of ['testLoss', 'timeRatio'] as const) {
        const values = mine.map((r) => r.summary[key]).sort((x, y) => x - y);
        expect(a.summary[key]).toEqual({
          median: values[1],
          min: values[0],
          max: values[2],
          n: 3,
          nonFinite: 0,
        });
      }
      for (const v of a.verdicts) {
        expect(v.of).toBe(3);
        expect(v.count).toBeGreaterThanOrEqual(1);
      }
    }
    // And the table prints the spreads and the counts.
    const text = await vgp('compare', '--preset', 'rnn-adding', '--seeds', '3', '--steps', '30');
    expect(text.out).toMatch(/seeds 1-3/);
    expect(text.out).toMatch(/median \[min, max\] over the seeds 1, 2, 3/);
    expect(text.out).toMatch(/vanishing [123]\/3/);
  }, 300_000);

  it('the schema rejects output that drifts from it', () => {
    const validate = new Ajv({ strict: true }).compile(schema);
    const minimal = {
      format: 'vgp-compare',
      version: 2,
      preset: null,
      base: {},
      variants: [],
      seeds: [1],
      runs: [],
      aggregates: [],
    };
    expect(validate(minimal)).toBe(false);
    expect(validate({ ...minimal, extra: 1 })).toBe(false);
  });
});
