import { availableParallelism } from 'node:os';
import type { Io } from '../io.js';
import { DEFAULT_QUEUE_NAME } from '../sweep/queue.js';
import { runQueueWorker } from '../sweep/queue-worker.js';
import { connectionFor } from '../sweep/redis.js';

/** Options of `vgp worker`. */
export interface WorkerOptions {
  queue: string;
  queueName?: string;
  jobs?: number;
  idle?: number;
  lock?: number;
  quiet?: boolean;
}

/** `vgp worker`: take sweep jobs from a Redis queue until it stays empty for `--idle` seconds. */
export async function workerCommand(io: Io, opts: WorkerOptions): Promise<number> {
  connectionFor(opts.queue); // a bad URL fails before the worker says it starts
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const threads = opts.jobs ?? availableParallelism();
    io.err(`vgp worker: taking jobs from ${opts.queue} with ${threads} threads\n`);
    const ran = await runQueueWorker({
      url: opts.queue,
      name: opts.queueName ?? DEFAULT_QUEUE_NAME,
      threads,
      idleMs: (opts.idle ?? 10) * 1000,
      lockMs: (opts.lock ?? 30) * 1000,
      log: (line) => {
        if (!opts.quiet) io.err(`${line}\n`);
      },
      signal: ac.signal,
    });
    io.err(`vgp worker: ${ac.signal.aborted ? 'stopped' : 'the queue is empty'}; ran ${ran} jobs\n`);
    return ac.signal.aborted ? 130 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
