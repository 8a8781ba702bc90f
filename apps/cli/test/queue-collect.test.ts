import { describe, expect, it } from 'vitest';
import { collect, type JobLookup, recheck, resultValue } from '../src/sweep/queue.js';
import { type JobResult, resultHead } from '../src/sweep/results.js';

const head = (id: string) => resultHead({ id, group: 'g', seed: 1 });
const done = (id: string): JobResult => ({
  ...head(id),
  status: 'done',
  verdicts: [],
  timing: { wallMs: 1, stepsPerSec: 1, worker: 'w' },
});

/**
 * A queue whose job 'j' is running until the first question about it has been answered, then
 * completed: each answer is a snapshot of that moment, as two Redis round trips are.
 */
function finishingQueue() {
  let asked = 0;
  const snapshot = () => {
    const finished = asked++ > 0;
    return { finished, returnvalue: finished ? resultValue(done('j')) : null };
  };
  const queue = {
    getJobState: async () => (snapshot().finished ? 'completed' : 'active'),
    getJob: async () => {
      const s = snapshot();
      return { returnvalue: s.returnvalue, failedReason: '' };
    },
  } as unknown as JobLookup;
  return queue;
}

describe('collecting queued results', () => {
  it('a job that completes between two questions is collected once it has its result, never as "null"', async () => {
    const queue = finishingQueue();
    const got: JobResult[] = [];
    const failed: string[] = [];
    const onCompleted = (id: string, v: unknown) =>
      collect(
        id,
        v,
        (r) => got.push(r),
        (_, why) => failed.push(why),
      );
    await recheck(queue, ['j'], onCompleted, (_, why) => failed.push(why));
    // First question: still running, so nothing yet; the next recheck finds it completed.
    expect(got).toEqual([]);
    await recheck(queue, ['j'], onCompleted, (_, why) => failed.push(why));
    expect(failed).toEqual([]);
    expect(got.map((r) => [r.id, r.status])).toEqual([['j', 'done']]);
  });

  it("a return value that is not the job's result line fails that job, saying why, and does not throw", () => {
    const got: JobResult[] = [];
    const failed: [string, string][] = [];
    const run = (id: string, v: unknown) =>
      collect(
        id,
        v,
        (r) => got.push(r),
        (i, why) => failed.push([i, why]),
      );
    run('a', 'null');
    run('b', '{"format":"vgp-sweep-result"');
    run('c', resultValue(done('someone-else')));
    run('d', resultValue(done('d')));
    expect(got.map((r) => r.id)).toEqual(['d']);
    expect(failed.map(([i]) => i)).toEqual(['a', 'b', 'c']);
    expect(failed[0]?.[1]).toMatch(/the result of job a is not a vgp-sweep-result v1 line/);
    expect(failed[1]?.[1]).toMatch(/the result of job b is not a JSON line/);
    expect(failed[2]?.[1]).toBe('the result of job c is the result of job someone-else');
  });
});
