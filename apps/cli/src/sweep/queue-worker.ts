import { checkJob, type JobMessage, WORKER_NAME } from './job-runner.js';
import { PoolClosedError, WorkerPool } from './pool.js';
import { resultValue } from './queue.js';
import { checkRedis, closeAll, outageReporter, whenAborted } from './redis.js';

/** Options of {@link runQueueWorker}. */
export interface QueueWorkerOptions {
  url: string;
  name: string;
  /** Jobs run at once, each on its own thread. */
  threads: number;
  /** Exit once the queue has had nothing waiting or running for this long. */
  idleMs: number;
  /**
   * How long a job stays claimed by a worker that stopped renewing its claim (killed, cut off) before
   * another worker takes it over; also how often this worker looks for such jobs.
   */
  lockMs: number;
  /** One line per job started and finished (stderr). */
  log: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Takes jobs from the queue until it is empty, running each on a pool thread. Each job is checked as
 * the CLI checks a config file before it runs; a bad job fails alone (without retries: it would fail
 * the same way again) and the worker goes on. An abort (Ctrl-C, SIGTERM) stops it at once: the jobs it
 * was running go back to the queue when their claim lapses (`lockMs`), for this or another worker.
 * Returns the number of jobs this worker ran.
 */
export async function runQueueWorker(opts: QueueWorkerOptions): Promise<number> {
  const connection = await checkRedis(opts.url);
  // Loaded here, not at the top: every vgp command imports this module's command, few use a queue.
  const { Queue, UnrecoverableError, Worker } = await import('bullmq');
  const pool = await WorkerPool.start(opts.threads);
  const queue = new Queue(opts.name, { connection });
  let ran = 0;
  const worker = new Worker(
    opts.name,
    async (job) => {
      const msg = job.data as JobMessage;
      try {
        checkJob(msg);
      } catch (e) {
        opts.log(`${WORKER_NAME}: job ${String(job.id)} refused: ${(e as Error).message}`);
        throw new UnrecoverableError((e as Error).message);
      }
      opts.log(`${WORKER_NAME}: job ${msg.id} started (${msg.group}, seed ${msg.seed})`);
      const r = await pool.run(msg).catch((e: unknown) => {
        // Stopped mid-job: report nothing, so the job is not marked failed; its claim lapses and it is
        // run again, here or on another worker.
        if (e instanceof PoolClosedError) return new Promise<never>(() => undefined);
        throw e;
      });
      ran++;
      opts.log(`${WORKER_NAME}: job ${msg.id} ${r.status} in ${(r.timing.wallMs / 1000).toFixed(1)} s`);
      if (r.status === 'failed') throw new UnrecoverableError(r.error);
      return resultValue(r);
    },
    {
      connection,
      concurrency: opts.threads,
      lockDuration: opts.lockMs,
      stalledInterval: opts.lockMs,
      // A killed worker's job is retried after its lock expires; twice more covers a second crash.
      maxStalledCount: 2,
    },
  );
  const report = outageReporter((line) => opts.log(`${WORKER_NAME}: ${line}`), opts.url);
  worker.on('error', report);
  queue.on('error', report);
  const stop = whenAborted(opts.signal).then(() => 'stop' as const);
  try {
    // Every wait on Redis also ends on a stop: with the server gone, it would wait for its return.
    if (
      (await Promise.race([Promise.all([worker.waitUntilReady(), queue.waitUntilReady()]), stop])) === 'stop'
    )
      return ran;
    let idleSince = performance.now();
    while (!opts.signal?.aborted) {
      const counts = await Promise.race([
        queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
        stop,
      ]);
      if (counts === 'stop') break;
      const busy = Object.values(counts).some((n) => n > 0);
      if (busy) idleSince = performance.now();
      else if (performance.now() - idleSince >= opts.idleMs) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, opts.idleMs / 2 + 1)));
    }
  } finally {
    if (opts.signal?.aborted) {
      // Do not wait for the jobs in flight: the pool's threads are stopped with them.
      const forced = { close: () => worker.close(true), disconnect: () => worker.disconnect() };
      await Promise.allSettled([pool.close(), closeAll([forced, queue])]);
    } else {
      await worker.close();
      await Promise.allSettled([closeAll([queue]), pool.close()]);
    }
  }
  return ran;
}
