/**
 * Bad input, table-driven: every row exits 1 within 5 s (the CLI rejects before training), prints one
 * or two lines without a stack trace, names the field or option to change, and leaves no output file
 * (nor a temporary one) behind. The first rows are the ones a careless first user ran into.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getPreset } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { vgp } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vgp-bad-'));
const outDir = path.join(dir, 'out');
mkdirSync(outDir);

function file(name: string, content: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const sigmoid = getPreset('deep-sigmoid').base;
const adding = getPreset('rnn-adding').base;
/** The deep-sigmoid base with `patch` merged in (nested objects replaced whole). */
const config = (name: string, patch: Record<string, unknown>) => file(name, { ...sigmoid, ...patch });
const model = (patch: Record<string, unknown>) => ({ model: { ...sigmoid.model, ...patch } });

const record = {
  step: 1,
  loss: 0.7,
  metric: null,
  gradNormTotal: 1,
  preClipNorm: null,
  params: [
    {
      name: 'dense1.weight',
      layer: 'dense1',
      role: 'weight',
      shape: [2, 4],
      gradNorm: 1,
      gradRms: 0.3,
      weightNorm: 2,
      updateRatio: null,
      nearZeroFrac: null,
      nonFinite: 0,
    },
  ],
  layers: [],
};
const history = (records: unknown[]) =>
  file(`h${Math.random().toString(36).slice(2)}.json`, { meta: {}, records });

type Row = [what: string, argv: string[], names: RegExp];

const rows: Row[] = [
  // The table.
  ['width 100000', ['run', '-c', config('w1e5.json', model({ width: 100_000 }))], /model\.width/],
  ['width 20000', ['run', '-c', config('w2e4.json', model({ width: 20_000 }))], /model\.width/],
  ['--out names a folder', ['run', '-p', 'deep-sigmoid', '--out', outDir], /--out .* is a folder/],
  [
    '--out in a missing folder',
    ['run', '-p', 'deep-sigmoid', '--out', path.join(dir, 'nope', 'r.json')],
    /--out .*does not exist/,
  ],
  ['diagnose: records are not a vgp history', ['diagnose', history([{ a: 1 }])], /records\[0\]\.step/],
  [
    'diagnose: a partial history',
    ['diagnose', history([{ ...record, params: undefined }])],
    /records\[0\]\.params/,
  ],
  ['diagnose: {"records": []}', ['diagnose', file('empty.json', { records: [] })], /records is empty/],
  [
    'diagnose: an old playground export without histories',
    ['diagnose', file('pg.json', { format: 'vgp-playground-runs/1', runs: [{ label: 'a', records: [] }] })],
    /runs\[0\] has no history.*export the runs again/,
  ],
  // Configs.
  ['config is not JSON', ['run', '-c', file('bad.json', '{ task: ')], /bad\.json is not valid JSON/],
  ['config is an array', ['run', '-c', file('arr.json', [1, 2])], /the config must be an object/],
  ['config is null', ['run', '-c', file('null.json', 'null')], /the config must be an object/],
  ['config is a folder', ['run', '-c', outDir], /cannot read .*out/],
  ['unknown field', ['run', '-c', config('typo.json', { stpes: 10 })], /no field 'stpes'/],
  ['negative steps', ['run', '-c', config('neg.json', { steps: -5 })], /steps must be an integer >= 1/],
  [
    'batchSize as a string',
    ['run', '-c', config('bs.json', { batchSize: '32' })],
    /batchSize must be an integer/,
  ],
  ['model.kind cnn', ['run', '-c', config('cnn.json', model({ kind: 'cnn' }))], /model\.kind/],
  [
    'unknown activation',
    ['run', '-c', config('act.json', model({ activation: 'swish2' }))],
    /activation 'swish2'/,
  ],
  ['depth 0', ['run', '-c', config('d0.json', model({ depth: 0 }))], /depth must be a positive integer/],
  [
    'unknown optimizer',
    ['run', '-c', config('opt.json', { optimizer: { kind: 'adamx' } })],
    /optimizer\.kind/,
  ],
  [
    'lr as a word',
    ['run', '-c', config('lr.json', { optimizer: { kind: 'sgd', lr: 'fast' } })],
    /optimizer\.lr/,
  ],
  ['unknown remedy', ['run', '-c', config('rem.json', { remedies: ['magic'] })], /remedies\[0\]/],
  [
    'remedy that does not fit',
    ['run', '-c', file('bn-rnn.json', { ...adding, remedies: ['batch-norm'] })],
    /batch-norm/,
  ],
  [
    'bad schedule',
    ['run', '-c', config('sch.json', { schedule: { kind: 'step', every: 0, gamma: 0.5 } })],
    /schedule\.every/,
  ],
  ['negative clip', ['run', '-c', config('clip.json', { clip: { norm: -1 } })], /clip\.norm/],
  ['unknown task', ['run', '-c', config('task.json', { task: { kind: 'imagenet' } })], /task\.kind/],
  ['a billion samples', ['run', '-c', config('n.json', { task: { kind: 'spiral', n: 1e9 } })], /task\.n/],
  ['a huge batch', ['run', '-c', config('batch.json', { batchSize: 5e7 })], /lower batchSize/],
  ['a billion steps', ['run', '-c', config('steps.json', { steps: 1e9 })], /monitorEvery/],
  [
    'recurrent hidden 60000',
    ['run', '-c', file('hid.json', { ...adding, model: { ...adding.model, hidden: 60_000 } })],
    /model\.hidden/,
  ],
  // Arguments.
  ['--steps abc', ['run', '-p', 'deep-sigmoid', '--steps', 'abc'], /--steps/],
  ['--every 0', ['run', '-p', 'deep-sigmoid', '--every', '0'], /--every/],
  ['--seed 1e400', ['run', '-p', 'deep-sigmoid', '--seed', '1e400'], /--seed/],
  ['--backend gpu', ['run', '-p', 'deep-sigmoid', '--backend', 'gpu'], /--backend/],
  ['unknown option', ['run', '-p', 'deep-sigmoid', '--stepz', '5'], /--stepz/],
  ['--json with --csv', ['compare', '-p', 'deep-sigmoid', '--json', '--csv'], /--json and --csv/],
  [
    '--variant not in the plan',
    ['run', '-p', 'deep-sigmoid', '--variant', 'Transformer'],
    /variant 'Transformer'/,
  ],
  [
    '--preset and --config',
    ['run', '-p', 'deep-sigmoid', '-c', config('ok.json', {})],
    /--preset NAME or --config FILE/,
  ],
  ['--out is empty', ['compare', '-p', 'deep-sigmoid', '--out', ''], /--out needs a file name/],
  // An empty path would mean the current folder: read as a file (EISDIR) or, for -d, written into.
  ['--config is empty', ['run', '--config', ''], /--config needs a file name, got ''/],
  ['--data is empty', ['compare', '--data', ''], /--data needs a CSV file name, got ''/],
  ['sweep --config is empty', ['sweep', '--config', ''], /--config needs a file name, got ''/],
  ['sweep -d is empty', ['sweep', '-p', 'deep-sigmoid', '-d', ''], /--dir needs a folder name/],
  ['diagnose: an empty file name', ['diagnose', ''], /vgp diagnose needs a file name, got ''/],
  // Histories.
  ['diagnose: not JSON', ['diagnose', file('h.txt', 'loss,step\n1,2')], /h\.txt is not valid JSON/],
  ['diagnose: an array', ['diagnose', file('harr.json', [1])], /holds no training history/],
  ['diagnose: steps out of order', ['diagnose', history([record, record])], /records\[1\]\.step/],
  [
    'diagnose: gradRms as a string',
    ['diagnose', history([{ ...record, params: [{ ...record.params[0], gradRms: 'big' }] }])],
    /records\[0\]\.params\[0\]\.gradRms/,
  ],
  [
    'diagnose: a comparison without --history',
    ['diagnose', file('cmp.json', { format: 'vgp-compare', runs: [{ label: 'a' }] })],
    /--history/,
  ],
  ['diagnose: a folder', ['diagnose', outDir], /cannot read/],
  [
    'diagnose: --out in a missing folder',
    ['diagnose', history([record]), '--out', '/nonexistent/d.json'],
    /--out/,
  ],
];

/** Runs the CLI in-process, failing if it takes 5 s (the CLI must reject before any training). */
async function within5s(argv: string[]) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`vgp ${argv.join(' ')} still running after 5 s`)), 5000);
  });
  try {
    return await Promise.race([vgp(...argv), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe(`bad input: ${rows.length} rows`, () => {
  it('covers the issue table and at least 20 more', () => {
    expect(rows.length).toBeGreaterThanOrEqual(8 + 20);
  });

  it.each(rows)('%s', async (_what, argv, names) => {
    // Every row that trains would write here; none may leave it (or a temporary file) behind.
    const out = path.join(outDir, `${Math.random().toString(36).slice(2)}.json`);
    const withOut = argv.includes('--out') ? argv : [...argv, '--out', out];
    const { code, out: stdout, err } = await within5s(withOut);
    expect(code).toBe(1);
    expect(err).toMatch(names);
    expect(err).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(err.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(outDir)).toEqual([]);
  });
});
