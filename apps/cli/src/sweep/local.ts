import type { SweepJob } from '@vgp/nn';
import type { JobMessage } from './job-runner.js';
import { PoolClosedError, WorkerPool } from './pool.js';
import type { JobProgress } from './progress.js';
import type { ResultsFile } from './results.js';

/** The data a worker needs to run a job (its config, and what to label the result with). */
export function jobMessage(job: SweepJob): JobMessage {
  return {
    id: job.id,
    group: job.group,
    point: job.point,
    variant: job.variant,
    seed: job.seed,
    config: job.config,
  };
}

/**
 * Runs `jobs` on a pool of `threads` worker threads, appending each result to `results` as it arrives.
 * Aborting stops the pool: finished jobs are on disk, the ones in flight are lost and rerun next time.
 */
export async function runLocal(
  jobs: readonly SweepJob[],
  results: ResultsFile,
  opts: { threads: number; progress: JobProgress; signal?: AbortSignal },
): Promise<void> {
  const pool = await WorkerPool.start(Math.max(1, Math.min(opts.threads, jobs.length)));
  const stop = () => void pool.close();
  opts.signal?.addEventListener('abort', stop, { once: true });
  try {
    await Promise.all(
      jobs.map(async (job) => {
        try {
          const r = await pool.run(jobMessage(job));
          results.append(r);
          opts.progress.tick(r.status === 'failed');
        } catch (e) {
          if (!(e instanceof PoolClosedError)) throw e;
        }
      }),
    );
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    await pool.close();
  }
}
