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

  it('the schema rejects output that drifts from it', () => {
    const validate = new Ajv({ strict: true }).compile(schema);
    const minimal = { format: 'vgp-compare', version: 1, preset: null, base: {}, variants: [], runs: [] };
    expect(validate(minimal)).toBe(false);
    expect(validate({ ...minimal, extra: 1 })).toBe(false);
  });
});
