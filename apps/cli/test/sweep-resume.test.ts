import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killStragglers, resultLines, startVgp, tempDir, vgpProcess, waitFor } from './sweep-helpers.js';

afterAll(killStragglers);

// Eight equal jobs of a few hundred milliseconds each: long enough to kill the sweep between two of them.
const SPEC = {
  name: 'resume',
  base: {
    task: { kind: 'moons', n: 256 },
    model: { kind: 'mlp', depth: 8, width: 32, activation: 'tanh' },
    optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 },
    batchSize: 64,
    steps: 120,
    seed: 1,
    backend: 'wasm',
  },
  axes: { seed: '1..8' },
};

describe('vgp sweep resumes', () => {
  it('after a kill mid-way, a rerun into the same directory runs only the missing jobs', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'spec.json'), JSON.stringify(SPEC));
    const args = ['sweep', '-c', 'spec.json', '--jobs', '1', '-d', 'out', '--json'];
    const first = startVgp(args, cwd);
    await waitFor(() => resultLines(join(cwd, 'out')).length >= 2, 120_000, 'two finished jobs');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const before = resultLines(join(cwd, 'out'));
    const k = before.length;
    expect(k).toBeGreaterThanOrEqual(2);
    expect(k).toBeLessThan(8);
    const kept = readFileSync(join(cwd, 'out', 'results.jsonl'), 'utf8');
    // A kill in the middle of a write leaves a torn last line: the rerun cuts it off and runs that job.
    appendFileSync(join(cwd, 'out', 'results.jsonl'), '{"format":"vgp-sweep-result","version":1,"id":"');

    const second = await vgpProcess(args, cwd);
    expect(second.code, second.err).toBe(0);
    expect(second.err).toContain(`8 jobs (${k} done before), ${8 - k} to run`);
    const text = readFileSync(join(cwd, 'out', 'results.jsonl'), 'utf8');
    expect(text.startsWith(kept)).toBe(true);
    const after = resultLines(join(cwd, 'out'));
    expect(after).toHaveLength(8);
    expect(new Set(after.map((l) => l.id)).size).toBe(8);
    // The jobs of the first run were not run again: their lines are the first k, unchanged.
    expect(after.slice(0, k)).toEqual(before);
    const doc = JSON.parse(second.out) as { groups: { seeds: number[] }[]; missing: number };
    expect(doc.groups[0]?.seeds).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(doc.missing).toBe(0);

    const third = await vgpProcess(args, cwd);
    expect(third.err).toContain('8 jobs (8 done before), 0 to run');
    expect(third.out).toBe(second.out);
  }, 240_000);
});
