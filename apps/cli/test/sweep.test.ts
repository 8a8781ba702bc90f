import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandSweep, getPreset, parseJson } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { vgp } from './helpers.js';
import { resultLines, tempDir, vgpProcess } from './sweep-helpers.js';

interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}
interface SweepDoc {
  format: string;
  groups: {
    label: string;
    seeds: number[];
    summary: Record<string, Spread>;
    verdicts: { kind: string; count: number; of: number }[];
  }[];
  failed: unknown[];
  missing: number;
}

// The acceptance command with a shorter budget (30 steps instead of 300) to keep CI fast: the sigmoid
// net's gradient has vanished from the first step, so the result the preset is about already shows.
const ARGS = ['sweep', '--preset', 'deep-sigmoid', '--seeds', '4', '--steps', '30', '--json'];

describe('vgp sweep on a local pool', () => {
  it('gives per variant the spread of the first/last ratio and k/4 verdicts, bitwise the same on 1 and 2 threads', async () => {
    const cwd = tempDir();
    const two = await vgpProcess([...ARGS, '--jobs', '2', '-d', 'two'], cwd);
    const one = await vgpProcess([...ARGS, '--jobs', '1', '-d', 'one'], cwd);
    expect(two.code, two.err).toBe(0);
    expect(one.code, one.err).toBe(0);
    expect(two.out).toBe(one.out);

    const doc = parseJson(two.out) as SweepDoc;
    const preset = getPreset('deep-sigmoid');
    expect(doc.format).toBe('vgp-sweep');
    expect(doc.groups.map((g) => g.label)).toEqual([
      preset.base.label,
      ...preset.variants.map((v) => v.label),
    ]);
    expect(doc.failed).toEqual([]);
    expect(doc.missing).toBe(0);
    for (const g of doc.groups) {
      expect(g.seeds).toEqual([1, 2, 3, 4]);
      const r = g.summary.firstLastRatio as Spread;
      expect(r.n).toBe(4);
      expect(r.min).toBeLessThanOrEqual(r.median);
      expect(r.median).toBeLessThanOrEqual(r.max);
      for (const v of g.verdicts) expect(v.of).toBe(4);
    }
    const [sigmoid, relu] = doc.groups;
    expect(sigmoid?.verdicts.find((v) => v.kind === 'vanishing')).toEqual({
      kind: 'vanishing',
      count: 4,
      of: 4,
    });
    expect(sigmoid?.summary.firstLastRatio?.max).toBeLessThan(1e-6);
    expect(relu?.summary.firstLastRatio?.min).toBeGreaterThan(1e-3);

    // One line per job, under the ids the spec expands to.
    const plan = expandSweep({
      name: 'deep-sigmoid',
      base: { ...preset.base, steps: 30 },
      variants: preset.variants,
      axes: { seed: '1..4' },
    });
    for (const dir of ['one', 'two']) {
      const lines = resultLines(join(cwd, dir));
      expect(lines.map((l) => l.id).sort()).toEqual(plan.jobs.map((j) => j.id).sort());
      expect(lines.every((l) => l.status === 'done')).toBe(true);
    }

    // The two threads start on different nets and keep to the ones they have run (V8 compiles the
    // training code per thread): without that, both ran all four variants, two seeds each.
    const byThread = new Map<string, string[]>();
    for (const l of resultLines(join(cwd, 'two'))) {
      byThread.set(l.timing.worker, [...(byThread.get(l.timing.worker) ?? []), l.group]);
    }
    const runs = [...byThread.values()];
    expect(runs).toHaveLength(2);
    expect(runs[0]?.[0]).not.toBe(runs[1]?.[0]);
    expect(runs.reduce((n, groups) => n + new Set(groups).size, 0)).toBeLessThan(8);
  }, 180_000);

  it('prints a table and a CSV from the results already on disk, running nothing again', async () => {
    const cwd = tempDir();
    const spec = {
      base: {
        task: { kind: 'xor', n: 64 },
        model: { kind: 'mlp', depth: 2, width: 8, activation: 'tanh' },
        optimizer: { kind: 'sgd', lr: 0.1 },
        batchSize: 16,
        steps: 10,
        seed: 1,
        backend: 'wasm',
      },
      axes: { 'model.depth': [2, 6], seed: '1..2' },
    };
    writeFileSync(join(cwd, 'spec.json'), JSON.stringify(spec));
    const first = await vgpProcess(['sweep', '-c', 'spec.json', '--jobs', '2', '-d', 'out'], cwd);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/model\.depth=2 +│ 2\/2/);
    expect(first.out).toMatch(/model\.depth=6 +│ 2\/2/);
    const csv = await vgpProcess(['sweep', '-c', 'spec.json', '-d', 'out', '--csv'], cwd);
    expect(csv.code, csv.err).toBe(0);
    expect(csv.err).toContain('4 jobs (4 done before), 0 to run');
    const rows = csv.out.trim().split('\n');
    expect(rows[0]).toMatch(
      /^point,model\.depth,seeds,requestedSteps_median,requestedSteps_min,requestedSteps_max,/,
    );
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 4))).toEqual([
      ['model.depth=2', '2', '2', '10'],
      ['model.depth=6', '6', '2', '10'],
    ]);
  }, 120_000);

  it('rejects a bad axis value before running anything, naming the axis', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'bad.json'),
      JSON.stringify({ preset: 'deep-sigmoid', axes: { 'model.depth': [5, -1] } }),
    );
    const r = await vgpProcess(['sweep', '-c', 'bad.json', '-d', 'out'], cwd);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/vgp: sweep axis 'model.depth' = -1: .*depth must be a positive integer/);
    expect(resultLines(join(cwd, 'out'))).toEqual([]);
  }, 60_000);

  it('rejects contradictory options with a message saying what to change', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'seeded.json'),
      JSON.stringify({ preset: 'deep-sigmoid', axes: { seed: '1..2' } }),
    );
    const seeds = await vgp('sweep', '-c', join(cwd, 'seeded.json'), '--seeds', '3');
    expect(seeds.code).toBe(1);
    expect(seeds.err).toContain('the spec has a seed axis already; drop --seeds or the axis');
    const both = await vgp(
      'sweep',
      '--preset',
      'deep-sigmoid',
      '--queue',
      'redis://127.0.0.1:1',
      '--jobs',
      '2',
    );
    expect(both.err).toContain('with --queue, give --jobs to each `vgp worker` instead');
    const url = await vgp(
      'sweep',
      '--preset',
      'deep-sigmoid',
      '--queue',
      'http://x',
      '-d',
      join(cwd, 'never'),
    );
    expect(url.code).toBe(1);
    expect(url.err).toContain("--queue must start with redis:// or rediss://, got 'http://x'");
    expect(resultLines(join(cwd, 'never'))).toEqual([]);
    const none = await vgp('sweep', '--seeds', '2');
    expect(none.err).toContain('give exactly one of --preset NAME or --config FILE');
    const name = await vgp(
      'sweep',
      '--preset',
      'deep-sigmoid',
      '--queue-name',
      'x',
      '-d',
      join(cwd, 'never'),
    );
    expect(name.code).toBe(1);
    expect(name.err).toContain('--queue-name names a queue: give --queue redis://HOST:PORT with it');
    expect(resultLines(join(cwd, 'never'))).toEqual([]);
    const worker = await vgp('worker', '--queue', 'http://x');
    expect(worker.code).toBe(1);
    expect(worker.err).toBe("vgp: --queue must start with redis:// or rediss://, got 'http://x'\n");
  });

  it('says why an output directory cannot be made, and runs nothing', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'file'), 'not a folder');
    const cases = [
      // Where mkdir answers ENOENT under a folder that exists, Node 20's recursive mkdir never returned.
      ['/proc/vgp-sweep/out', "ENOENT: no such file or directory, mkdir '/proc/vgp-sweep'"],
      [join(cwd, 'file'), 'ENOTDIR'],
      [join(cwd, 'file', 'out'), 'ENOTDIR'],
    ];
    for (const [dir, why] of cases) {
      const r = await vgp('sweep', '--preset', 'deep-sigmoid', '--seeds', '1', '-d', dir as string);
      expect(r.code, r.err).toBe(1);
      expect(r.err).toContain(`cannot create the output directory ${dir} (`);
      expect(r.err).toContain(why);
      expect(r.err).toContain('choose another folder with -d');
    }
    const nested = join(cwd, 'a', 'b', 'c');
    const ok = await vgpProcess(
      ['sweep', '--preset', 'deep-sigmoid', '--seeds', '1', '--steps', '5', '-d', nested],
      cwd,
    );
    expect(ok.code, ok.err).toBe(0);
    expect(resultLines(nested)).toHaveLength(getPreset('deep-sigmoid').variants.length + 1);
  });

  it('refuses a queue name Redis keys cannot hold, and never starts more threads than jobs', async () => {
    const cwd = tempDir();
    for (const name of ['', 'a:b']) {
      for (const cmd of ['sweep', 'worker']) {
        const r = await vgp(
          cmd,
          ...(cmd === 'sweep' ? ['--preset', 'deep-sigmoid', '-d', join(cwd, 'never')] : []),
          '--queue',
          'redis://127.0.0.1:1',
          '--queue-name',
          name,
        );
        expect(r.code, `${cmd} --queue-name '${name}'`).toBe(1);
        expect(r.err).toContain(`--queue-name must be a name without ':'`);
        expect(r.err).toContain(`got '${name}'`);
        expect(r.err).not.toContain('bug in vgp');
      }
    }
    expect(resultLines(join(cwd, 'never'))).toEqual([]);
    const many = await vgpProcess(
      ['sweep', '--preset', 'deep-sigmoid', '--seeds', '1', '--steps', '2', '--jobs', '64', '-d', 'many'],
      cwd,
    );
    expect(many.code, many.err).toBe(0);
    expect(many.err).toContain('4 jobs (0 done before), 4 to run on 4 threads');
    expect(resultLines(join(cwd, 'many'))).toHaveLength(4);
  });
});
