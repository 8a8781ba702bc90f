import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expandSweep } from '@vgp/nn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, resultLines, startVgp, tempDir, vgpProcess, waitFor } from './sweep-helpers.js';

// A real redis-server on a free loopback port, nothing saved to disk; stopped after the tests.
let redis: ChildProcess | undefined;
let url = '';

beforeAll(async () => {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run does it)');
  }
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let log = '';
  redis.stdout?.on('data', (d) => {
    log += String(d);
  });
  await waitFor(() => log.includes('Ready to accept connections'), 20_000, 'redis-server to start');
}, 30_000);

afterAll(async () => {
  if (!redis || redis.exitCode !== null) return;
  const gone = new Promise((r) => redis?.once('exit', r));
  redis.kill('SIGTERM');
  await gone;
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
});
