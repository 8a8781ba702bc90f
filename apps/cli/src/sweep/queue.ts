import { type SweepJob, stringifyJson } from '@vgp/nn';
import type { Queue } from 'bullmq';
import { jobMessage } from './local.js';
import type { JobProgress } from './progress.js';
import { checkRedis, closeAll, outageReporter, whenAborted } from './redis.js';
import { failedResult, type JobResult, parseLine, type ResultsFile } from './results.js';

/** The queue `vgp sweep --queue` and `vgp worker --queue` meet on unless told another (`--queue-name`). */
export const DEFAULT_QUEUE_NAME = 'vgp-sweep';

/** Options of {@link runQueued}. */
export interface QueuedOptions {
  url: string;
  name: string;
  progress: JobProgress;
  /** Where a lost connection to Redis is reported (one line per outage). */
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** How often the collector asks Redis for the state of the jobs it still waits for, besides the events. */
const RECHECK_MS = 2000;
/** Jobs asked about per recheck after the first (which asks about all): events carry the rest. */
const RECHECK_JOBS = 50;

/**
 * Enqueues the `jobs` (data: the validated config and its id; the job id in Redis is the config's
 * hash, so enqueuing a job twice is a no-op) and writes each result to `results` as workers finish it.
 * Results already in Redis (from a collector that was stopped) are collected without rerunning;
 * jobs that failed before are queued again. Returns when every job has a result, or on abort.
 */
export async function runQueued(
  jobs: readonly SweepJob[],
  results: ResultsFile,
  opts: QueuedOptions,
): Promise<void> {
  const connection = await checkRedis(opts.url);
  // bullmq (and ioredis) load only when a queue is used: ~0.2 s of start-up every local sweep would pay.
  const { Queue, QueueEvents } = await import('bullmq');
  const queue = new Queue(opts.name, { connection });
  const events = new QueueEvents(opts.name, { connection });
  const report = outageReporter(opts.log, opts.url);
  queue.on('error', report);
  events.on('error', report);
  const pending = new Map(jobs.map((j) => [j.id, j]));
  let stopped = false;
  let wake: () => void = () => {};
  let nap: ReturnType<typeof setTimeout> | undefined;
  const record = (r: JobResult) => {
    // After a stop the results file is closed: a late event must not write to it.
    if (stopped || !pending.delete(r.id)) return;
    results.append(r);
    opts.progress.tick(r.status === 'failed');
    if (pending.size === 0) wake();
  };
  const failure = (id: string, reason: string) => {
    const j = pending.get(id);
    if (j) record(failedResult(j, reason, 'queue'));
  };
  const completed = (id: string, value: unknown) => {
    if (pending.has(id)) collect(id, value, record, failure);
  };
  events.on('completed', ({ jobId, returnvalue }) => completed(jobId, returnvalue));
  events.on('failed', ({ jobId, failedReason }) => failure(jobId, failedReason));
  const collecting = (async () => {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    // A job that failed in an earlier sweep is removed so that adding it again queues it afresh.
    for (const j of jobs) {
      const old = await queue.getJob(j.id);
      if (old && (await old.getState()) === 'failed') await old.remove();
    }
    await queue.addBulk(
      jobs.map((j) => ({ name: j.group, data: jobMessage(j), opts: { jobId: j.id, attempts: 1 } })),
    );
    let ids = [...pending.keys()];
    while (pending.size > 0 && !stopped) {
      await recheck(queue, ids, completed, failure);
      ids = [...pending.keys()].slice(0, RECHECK_JOBS);
      if (pending.size === 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        nap = setTimeout(resolve, RECHECK_MS);
      });
    }
  })();
  try {
    // A stop does not wait for Redis: with the server gone, its commands would wait for its return.
    await Promise.race([collecting, whenAborted(opts.signal)]);
  } finally {
    stopped = true;
    // End the recheck loop's pause now: its timer would keep the process up for up to RECHECK_MS.
    clearTimeout(nap);
    wake();
    collecting.catch(() => undefined);
    await closeAll([events, queue]);
  }
}

/** What {@link recheck} asks of a BullMQ queue. */
export type JobLookup = Pick<Queue, 'getJob' | 'getJobState'>;

/**
 * Collects the results of jobs that finished while no event reached us (before we listened, or lost).
 * The state is read before the job: a job read first may still be running, and finish before its state
 * is read, which would pair 'completed' with the return value it did not have yet.
 */
export async function recheck(
  queue: JobLookup,
  ids: readonly string[],
  completed: (id: string, value: unknown) => void,
  failure: (id: string, reason: string) => void,
): Promise<void> {
  for (const id of ids) {
    const state = await queue.getJobState(id);
    if (state !== 'completed' && state !== 'failed') continue;
    const job = await queue.getJob(id);
    if (!job) continue;
    if (state === 'completed') completed(id, job.returnvalue);
    else failure(id, job.failedReason);
  }
}

/**
 * Passes the result a worker returned for job `id` to `record`. A value that is not that job's result
 * line (another program on the same queue, a worker of another version) fails the job, saying why:
 * the sweep goes on, and a rerun tries the job again.
 */
export function collect(
  id: string,
  value: unknown,
  record: (r: JobResult) => void,
  failure: (id: string, reason: string) => void,
): void {
  let r: JobResult;
  try {
    r = parseLine(String(value), `the result of job ${id}`);
  } catch (e) {
    failure(id, (e as Error).message);
    return;
  }
  if (r.id !== id) failure(id, `the result of job ${id} is the result of job ${r.id}`);
  else record(r);
}

/** A result line as a queue job's return value: a string, so NaN and infinities survive the trip. */
export function resultValue(r: JobResult): string {
  return stringifyJson(r, 0);
}
