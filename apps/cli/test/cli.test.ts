import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseJson } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { vgp } from './helpers.js';

describe('vgp: bad arguments exit non-zero with a message that says what to change', () => {
  it.each([
    [['compare', '--preset', 'deep-sigmoid', '--steps', '0'], /--steps must be an integer >= 1, got '0'/],
    [['compare', '--preset', 'deep-sigmoid', '--seed', '1.5'], /--seed must be an integer, got '1.5'/],
    [['compare', '--preset', 'deep-sigmoid', '--backend', 'gpu'], /Allowed choices are wasm, ts/],
    [['compare', '--preset', 'nope'], /unknown preset 'nope'; use one of deep-sigmoid, /],
    [['compare'], /give exactly one of --preset NAME or --config FILE/],
    [['compare', '--preset', 'deep-sigmoid', '--json', '--csv'], /choose one of --json and --csv/],
    [
      ['run', '--preset', 'rnn-adding', '--variant', 'Transformer'],
      /no variant 'Transformer' here; the variants are 'LSTM', 'GRU'/,
    ],
    [['compare', '--config', '/nonexistent/x.json'], /cannot read \/nonexistent\/x.json/],
    [['diagnose', '/nonexistent/run.json'], /cannot read/],
    [['presets', 'nope'], /unknown preset 'nope'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j', async (argv, message) => {
    const { code, out, err } = await vgp(...argv);
    expect(code).not.toBe(0);
    expect(err).toMatch(message);
    expect(out).toBe('');
  });

  it('names the bad field of a config file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vgp-cli-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ task: { kind: 'adding', length: 0 }, model: { kind: 'recurrent' } }),
    );
    const { code, err } = await vgp('run', '--config', file);
    expect(code).toBe(1);
    expect(err).toMatch(/task.length must be an integer >= 2, got 0/);
  });
});

describe('vgp compare --config', () => {
  it('runs a { base, variants } file with the command-line overrides', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vgp-cli-'));
    const file = path.join(dir, 'plan.json');
    const base = {
      label: 'sigmoid',
      task: { kind: 'moons', n: 128, noise: 0.1 },
      model: { kind: 'mlp', depth: 4, width: 8, activation: 'sigmoid' },
      optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 },
      batchSize: 32,
      steps: 300,
      seed: 1,
      backend: 'wasm',
    };
    const variants = [
      { label: 'Adam', optimizer: { kind: 'adam', lr: 0.001 } },
      { label: 'ReLU + He', remedies: ['relu-he'] },
    ];
    writeFileSync(file, JSON.stringify({ base, variants }));
    const { code, out } = await vgp(
      'compare',
      '--config',
      file,
      '--steps',
      '20',
      '--backend',
      'ts',
      '--seed',
      '3',
      '--json',
    );
    expect(code).toBe(0);
    const doc = parseJson(out) as {
      preset: null;
      runs: { label: string; config: { steps: number; seed: number; backend: string } }[];
    };
    expect(doc.preset).toBeNull();
    expect(doc.runs.map((r) => r.label)).toEqual(['sigmoid', 'Adam', 'ReLU + He']);
    for (const r of doc.runs) expect(r.config).toMatchObject({ steps: 20, seed: 3, backend: 'ts' });
  }, 60_000);
});

describe('vgp presets', () => {
  it('lists every preset and explains one', async () => {
    const list = await vgp('presets');
    expect(list.code).toBe(0);
    for (const name of [
      'deep-sigmoid',
      'glorot-vs-he',
      'batchnorm-mnist',
      'rnn-adding',
      'rnn-copy',
      'exploding-rnn',
    ]) {
      expect(list.out).toContain(name);
    }
    const one = await vgp('presets', 'deep-sigmoid');
    expect(one.out).toMatch(/0\.25\^20 ~ 9\.1e-13/);
    expect(one.out).toContain('Glorot & Bengio 2010');
  });
});

describe('vgp run -> vgp diagnose', () => {
  it('writes a run with its history and diagnoses it again from the file, NaN included', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vgp-cli-'));
    const file = path.join(dir, 'run.json');
    const run = await vgp('run', '--preset', 'exploding-rnn', '--json', '--out', file);
    expect(run.code).toBe(0);
    expect(run.err).toContain(`wrote ${file}`);
    const doc = parseJson(readFileSync(file, 'utf8')) as {
      summary: { nonFiniteAt: number | null };
      history: unknown;
    };
    expect(doc.summary.nonFiniteAt).toBeGreaterThan(1);
    const diag = await vgp('diagnose', file, '--json');
    expect(diag.code).toBe(0);
    const [verdicts] = parseJson(diag.out) as { label: string; verdicts: { kind: string }[] }[];
    expect(verdicts?.verdicts.map((v) => v.kind)).toContain('non-finite');
    const text = await vgp('diagnose', file);
    expect(text.out).toMatch(/\[critical\] non-finite/);
  }, 60_000);

  it('prints CSV with one row per recorded step and run', async () => {
    const { code, out } = await vgp(
      'compare',
      '--preset',
      'glorot-vs-he',
      '--steps',
      '12',
      '--every',
      '3',
      '--csv',
    );
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^run,seed,step,loss,grad_norm_total,grad_rms:dense1,update_ratio:dense1,/);
    // Steps 3, 6, 9, 12 (the trainer counts from 1) for each of the 2 runs.
    expect(lines).toHaveLength(1 + 2 * 4);
    expect(lines[1]).toMatch(/^"?ReLU, Glorot init"?,1,3,/);
  }, 60_000);
});
