// Reading and sorting per-thread CPU: the /proc text and the roles, never a machine's figures.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canSampleThreads, sampleThreads, statTicks, threadRoles } from '../src/thread-cpu.js';

describe('statTicks', () => {
  it('adds utime and stime (fields 14 and 15), counting fields after a command name that holds spaces', () => {
    const stat = '4242 (node worker) R 1 4242 4242 0 -1 4194304 512 0 0 0 731 42 0 0 20 0 9 0 100 0 0';
    expect(statTicks(stat)).toBe(773);
  });
});

describe('threadRoles', () => {
  it('names the thread whose id is the pid main, the busiest others the job threads, the rest background', () => {
    const cpu = new Map([
      [100, 0.3],
      [101, 0.2],
      [102, 5.1],
      [103, 0.4],
      [104, 4.9],
      [105, 0],
    ]);
    const r = threadRoles(cpu, 100, 2);
    expect(r.main).toBe(0.3);
    expect(r.workers).toEqual([5.1, 4.9]);
    expect(r.background).toBeCloseTo(0.6, 12);
    expect(threadRoles(cpu, 100, 1)).toMatchObject({ workers: [5.1] });
    expect(threadRoles(cpu, 100, 1).background).toBeCloseTo(5.5, 12);
  });
});

// A child whose main thread and one worker thread each spin until the process has used 0.6 s more CPU (a
// CPU clock, so a busy machine makes it slower, not different): each thread uses well over 0.1 s.
const SPIN = `
const spin = 'const t = process.cpuUsage(); while (process.cpuUsage(t).user + process.cpuUsage(t).system < 6e5);';
const { Worker } = require('node:worker_threads');
new Worker(spin, { eval: true });
eval(spin);
`;

describe('sampleThreads', () => {
  it.runIf(canSampleThreads())(
    'sees the CPU a live child spends on its main thread and on a worker thread',
    async () => {
      const child = spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' });
      const sampler = sampleThreads(child.pid as number, 20);
      await new Promise((r) => child.on('exit', r));
      const roles = threadRoles(sampler.stop(), child.pid as number, 1);
      expect(roles.main).toBeGreaterThan(0.1);
      expect(roles.workers[0]).toBeGreaterThan(0.1);
    },
  );
});
