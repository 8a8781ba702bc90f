import { join } from 'node:path';
import { expandSweep } from '@vgp/nn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  killStragglers,
  resultLines,
  startRedis,
  startVgp,
  type TestRedis,
  tempDir,
  vgpProcess,
  waitFor,
} from './sweep-helpers.js';

// A real redis-server on a free loopback port, nothing saved to disk; stopped after the tests.
let redis: TestRedis | undefined;
let url = '';

beforeAll(async () => {
  redis = await startRedis();
  url = redis.url;
}, 30_000);

afterAll(async () => {
  killStragglers();
  await redis?.kill();
});

// 20 jobs: the deep-sigmoid preset's four variants on five seeds, 30 steps each.
const SWEEP = ['sweep', '--preset', 'deep-sigmoid', '--seeds', '5', '--steps', '30', '--json'];

describe('vgp sweep --queue with vgp worker processes', () => {
  it('collects all 20 results when a worker is killed mid-job, the same bits as the local pool', async () => {
    const cwd = tempDir();
    // --lock 2: a job whose worker died is taken over after ~2-4 s instead of BullMQ's default 30.
    const worker = () =>
      startVgp(['worker', '--queue', url, '--jobs', '1', '--lock', '2', '--idle', '3'], cwd);
    const a = worker();
    const b = worker();
    const sweep = startVgp([...SWEEP, '--queue', url, '-d', 'queued'], cwd);

    // Kill worker a while it runs a job. It is stopped first (SIGSTOP) and its stderr read after a
    // pause: a job it finished just before could otherwise say so too late, and be taken for the victim.
    const started = () => [...a.err().matchAll(/job (\w+) started/g)].map((m) => m[1] as string);
    let victim = '';
    const deadline = Date.now() + 120_000;
    for (let seen = 0; victim === ''; seen = started().length) {
      await waitFor(() => started().length > seen, deadline - Date.now(), 'worker a to start a job');
      a.child.kill('SIGSTOP');
      await new Promise((r) => setTimeout(r, 300));
      victim = started().find((id) => !a.err().includes(`job ${id} done`)) ?? '';
      if (victim === '') a.child.kill('SIGCONT');
    }
    a.child.kill('SIGKILL');
    expect(await a.exited).toBe('SIGKILL');

    expect(await sweep.exited, sweep.err()).toBe(0);
    expect(await b.exited, b.err()).toBe(0);
    const lines = resultLines(join(cwd, 'queued'));
    expect(lines).toHaveLength(20);
    expect(new Set(lines.map((l) => l.id)).size).toBe(20);
    expect(lines.every((l) => l.status === 'done')).toBe(true);
    // The killed job was retried by worker b, which ran it to the end.
    const retried = lines.find((l) => l.id === victim);
    expect(retried?.timing.worker).toMatch(new RegExp(`:${b.child.pid}:`));
    expect(b.err()).toContain(`job ${victim} done`);

    // The same sweep on the local pool gives the same output, bit for bit.
    const local = await vgpProcess([...SWEEP, '--jobs', '2', '-d', 'local'], cwd);
    expect(local.code, local.err).toBe(0);
    expect(sweep.out()).toBe(local.out);
  }, 300_000);

  it('a worker refuses a job whose config is bad, and that job alone fails', async () => {
    const cwd = tempDir();
    const { Queue } = await import('bullmq');
    const name = 'vgp-bad-jobs';
    const queue = new Queue(name, { connection: { url, maxRetriesPerRequest: null } });
    const [good] = expandSweep({
      base: {
        task: { kind: 'xor', n: 32 },
        model: { kind: 'mlp', depth: 2, width: 4, activation: 'tanh' },
        optimizer: { kind: 'sgd', lr: 0.1 },
        batchSize: 8,
        steps: 5,
        seed: 1,
        backend: 'wasm',
      },
    }).jobs;
    try {
      const bad = { ...good?.config, steps: 0 };
      await queue.add('bad', { id: good?.id, group: 'bad', seed: 1, config: bad }, { jobId: 'bad' });
      await queue.add(
        'forged',
        { id: good?.id, group: 'forged', seed: 1, config: { ...bad, steps: 6 } },
        { jobId: 'forged' },
      );
      await queue.add(
        'good',
        { id: good?.id, group: good?.group, seed: 1, config: good?.config },
        { jobId: 'good' },
      );
      const w = await vgpProcess(
        ['worker', '--queue', url, '--queue-name', name, '--jobs', '1', '--idle', '1'],
        cwd,
      );
      expect(w.code, w.err).toBe(0);
      expect(w.err).toMatch(/job bad refused: experiment config: steps must be an integer >= 1, got 0/);
      expect(w.err).toMatch(/job forged refused: sweep job \w+: its config hashes to \w+/);
      const states = await Promise.all(
        ['bad', 'forged', 'good'].map(async (id) => (await queue.getJob(id))?.getState()),
      );
      expect(states).toEqual(['failed', 'failed', 'completed']);
      const done = JSON.parse(String((await queue.getJob('good'))?.returnvalue));
      expect(done.status).toBe('done');
      expect(done.summary.steps).toBe(5);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 60_000);

  it('an unreachable Redis is one line that names it, from the sweep and from a worker, not a wait', async () => {
    const cwd = tempDir();
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const runs = await Promise.all([
      vgpProcess([...SWEEP, '--queue', nobody, '-d', 'out'], cwd),
      vgpProcess(['worker', '--queue', nobody, '--idle', '1'], cwd),
    ]);
    for (const r of runs) {
      expect(r.code).toBe(1);
      expect(r.err).toContain(
        `vgp: cannot reach Redis at ${nobody} (connect ECONNREFUSED ${nobody.slice('redis://'.length)}); is redis-server running there`,
      );
      expect(r.err).not.toMatch(/^\s+at /m);
    }
    // The sweep wrote nothing: there is no result, not even a failed one.
    expect(resultLines(join(cwd, 'out'))).toEqual([]);
  }, 60_000);

  it('Redis gone mid-sweep: each side says so once, and Ctrl-C or SIGTERM still stops it', async () => {
    const own = await startRedis();
    const cwd = tempDir();
    try {
      const worker = startVgp(['worker', '--queue', own.url, '--jobs', '1', '--idle', '30'], cwd);
      // Long jobs: the sweep is still waiting for most of them when Redis goes.
      const sweep = startVgp(
        [
          'sweep',
          '--preset',
          'deep-sigmoid',
          '--seeds',
          '3',
          '--steps',
          '3000',
          '--queue',
          own.url,
          '-d',
          'out',
        ],
        cwd,
      );
      await waitFor(() => worker.err().includes(' started '), 60_000, 'the worker to start a job');
      await own.kill('SIGKILL');
      const lost = `lost Redis at ${own.url} (connect ECONNREFUSED`;
      await waitFor(
        () => worker.err().includes(lost) && sweep.err().includes(lost),
        60_000,
        'both to notice that Redis is gone',
      );
      sweep.child.kill('SIGINT');
      worker.child.kill('SIGTERM');
      expect(await sweep.exited, sweep.err()).toBe(130);
      expect(await worker.exited, worker.err()).toBe(130);
      expect(sweep.err()).toMatch(/interrupted with \d+ jobs to go; run the same command again/);
      expect(worker.err()).toMatch(/vgp worker: stopped; ran \d+ jobs/);
      for (const p of [sweep, worker]) {
        expect(p.err().split(lost).length - 1).toBe(1);
        expect(p.err()).not.toMatch(/^\s+at /m);
      }
      // What finished before is on disk, whole; the rest is for a rerun.
      expect(resultLines(join(cwd, 'out')).every((l) => l.status === 'done')).toBe(true);
    } finally {
      await own.kill('SIGKILL');
    }
  }, 120_000);
});
