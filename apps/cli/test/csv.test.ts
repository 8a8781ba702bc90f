import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJson } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { vgp } from './helpers.js';
import { tempDir, vgpProcess } from './sweep-helpers.js';

// The library's CSV fixtures: the same bad files must give the same cell-level messages here.
const FIXTURES = fileURLToPath(new URL('../../../packages/nn/test/tasks/fixtures/csv/', import.meta.url));
const bad: { file: string; options: { target?: string; task?: string }; message: string }[] = JSON.parse(
  readFileSync(path.join(FIXTURES, 'bad-cases.json'), 'utf8'),
);
const good = (name: string) => path.join(FIXTURES, 'good', name);

const SMALL = {
  model: { kind: 'mlp', depth: 2, width: 8, activation: 'tanh' },
  optimizer: { kind: 'adam', lr: 0.01 },
  batchSize: 2,
  steps: 5,
  seed: 1,
  backend: 'ts',
};

interface CompareJson {
  runs: {
    label: string;
    config: { task: { kind: string; name: string } };
    summary: { testLoss: number; testAccuracy: number | null };
    verdicts: { kind: string }[];
  }[];
}

describe('vgp --data: a bad CSV exits 1 with the message that points at the cell', () => {
  it.each(bad)('$file', async ({ file, options, message }) => {
    const flags = [
      ...(options.target ? ['--target', options.target] : []),
      ...(options.task ? ['--task', options.task] : []),
    ];
    const { code, out, err } = await vgp(
      'run',
      '--data',
      path.join(FIXTURES, 'bad', file),
      ...flags,
      '--steps',
      '1',
    );
    expect(code).toBe(1);
    expect(err).toContain(message);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
    expect(out).toBe('');
  });

  it.each([
    [['run', '--preset', 'deep-sigmoid', '--target', 'x'], '--target goes with --data FILE.csv'],
    [
      ['run', '--data', good('comma.csv'), '--test-fraction', '1.5'],
      "--test-fraction must be a number between 0 and 1 (exclusive), got '1.5'",
    ],
    [
      ['run', '--data', good('comma.csv'), '--task', 'ranking'],
      'Allowed choices are classification, regression',
    ],
    [
      ['run', '--data', good('comma.csv'), '--preset', 'rnn-adding'],
      "--data trains an mlp on table rows, but this preset ('rnn-adding') has a recurrent model",
    ],
    [['run', '--data', '/nonexistent/data.csv'], "vgp: cannot read the data file '/nonexistent/data.csv'"],
    [
      ['run', '--data', good('comma.csv'), '--target', '7'],
      'target index 7 is out of range; the file has 3 columns',
    ],
  ])('%j', async (argv, message) => {
    const { code, err } = await vgp(...argv);
    expect(code).toBe(1);
    expect(err).toContain(message);
  });
});

describe('vgp --data: your table trains like a built-in task', () => {
  it('compare: the deep-sigmoid networks on three string classes; the sigmoid baseline vanishes, ReLU + He learns', async () => {
    const { code, out } = await vgp('compare', '--data', good('three-class.csv'), '--steps', '150', '--json');
    expect(code).toBe(0);
    const result = parseJson(out) as CompareJson;
    expect(result.runs.map((r) => r.label)).toEqual([
      'sigmoid (Glorot)',
      'ReLU + He',
      'residual + batch norm',
      'layer norm',
    ]);
    expect(result.runs[0].config.task).toMatchObject({ kind: 'csv', name: 'three-class.csv' });
    expect(result.runs[0].verdicts.map((v) => v.kind)).toContain('vanishing');
    const relu = result.runs[1].summary.testAccuracy as number;
    expect(relu).toBeGreaterThan(0.8);
  }, 60_000);

  it('run: a regression target by name, with a held-out fraction: test MSE < 0.1 (chance 1)', async () => {
    const { code, out } = await vgp(
      'run',
      '--data',
      good('regression.csv'),
      '--preset',
      'deep-sigmoid',
      '--variant',
      'ReLU + He',
      '--target',
      'price',
      '--task',
      'regression',
      '--test-fraction',
      '0.25',
      '--steps',
      '100',
      '--json',
    );
    expect(code).toBe(0);
    const run = parseJson(out) as CompareJson['runs'][0] & { config: { task: Record<string, unknown> } };
    expect(run.config.task).toMatchObject({
      kind: 'csv',
      target: 'price',
      task: 'regression',
      testFraction: 0.25,
    });
    expect(run.summary.testAccuracy).toBeNull();
    // The standardized target's variance is 1 (chance); 20 ReLU layers reach 0.01-0.06 over seeds 1-3.
    expect(run.summary.testLoss).toBeLessThan(0.1);
  }, 60_000);

  it.each(['semicolon.csv', 'tab.csv', 'quoted.csv', 'bom-crlf.csv', 'no-header.csv'])(
    '%s runs with a config whose task --data replaces (delimiters, quotes, BOM, no header)',
    async (file) => {
      // Four training rows: the config's batch of 2 fits them (the presets' batches of 64 would not).
      const config = path.join(mkdtempSync(path.join(tmpdir(), 'vgp-csv-')), 'small.json');
      writeFileSync(config, JSON.stringify({ ...SMALL, task: { kind: 'moons' } }));
      const { code, out, err } = await vgp('run', '--config', config, '--data', good(file), '--json');
      expect(err).not.toContain('vgp:');
      expect(code).toBe(0);
      const run = parseJson(out) as {
        config: { task: { kind: string; name: string } };
        summary: { steps: number };
      };
      expect(run.config.task).toMatchObject({ kind: 'csv', name: file });
      expect(run.summary.steps).toBe(SMALL.steps);
    },
  );

  it('a config file names its CSV relative to itself', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vgp-csv-'));
    writeFileSync(path.join(dir, 'data.csv'), readFileSync(good('comma.csv')));
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        task: { kind: 'csv', file: 'data.csv', target: 'species' },
        ...SMALL,
      }),
    );
    const { code, out } = await vgp('run', '--config', path.join(dir, 'config.json'), '--json');
    expect(code).toBe(0);
    expect((parseJson(out) as { config: { task: { file: string } } }).config.task.file).toBe(
      path.join(dir, 'data.csv'),
    );
  });

  it('sweep: a csv base runs on worker threads like a built-in task (2 depths x 2 seeds, 2 threads)', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'data.csv'), readFileSync(good('three-class.csv')));
    writeFileSync(
      path.join(cwd, 'sweep.json'),
      JSON.stringify({
        base: { ...SMALL, batchSize: 32, steps: 40, task: { kind: 'csv', file: 'data.csv', target: 'band' } },
        axes: { 'model.depth': [2, 4], seed: [1, 2] },
      }),
    );
    const { code, out, err } = await vgpProcess(
      ['sweep', '--config', 'sweep.json', '--jobs', '2', '--json'],
      cwd,
    );
    expect(code, err).toBe(0);
    const doc = parseJson(out) as { groups: { label: string; seeds: number[] }[]; failed: unknown[] };
    expect(doc.failed).toEqual([]);
    expect(doc.groups.map((g) => g.seeds)).toEqual([
      [1, 2],
      [1, 2],
    ]);
  }, 120_000);
});
