import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { ConfigError } from '@vgp/core';
import { jobId, runExperiment, validateJobConfig } from '@vgp/nn';
import { type JobResult, RESULT_FORMAT, RESULT_VERSION } from './results.js';

/** What travels to a worker (a thread or another machine): data only, never code. */
export interface JobMessage {
  id: string;
  group: string;
  seed: number;
  config: unknown;
}

/** Names this worker in results: machine, process and thread. */
export const WORKER_NAME = `${hostname()}:${process.pid}:${threadId}`;

/**
 * Checks a job as the CLI checks a config file: the config must be valid and its id must be the hash of
 * that config (a job altered on the way, or made by another version of vgp, is refused, not run).
 */
export function checkJob(job: JobMessage): void {
  if (
    job === null ||
    typeof job !== 'object' ||
    typeof job.id !== 'string' ||
    typeof job.group !== 'string'
  ) {
    throw new ConfigError('sweep job: must be { id, group, seed, config }');
  }
  validateJobConfig(job.config);
  const id = jobId(job.config);
  if (id !== job.id) {
    throw new ConfigError(
      `sweep job ${job.id}: its config hashes to ${id}; it was changed or made by another vgp`,
    );
  }
}

/**
 * Runs one job and returns its result line. A job that throws fails alone: the error becomes a `failed`
 * line and the worker goes on with the next job.
 */
export async function runJob(job: JobMessage): Promise<JobResult> {
  const head = {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    id: job.id,
    group: job.group,
    seed: job.seed,
  } as const;
  const start = performance.now();
  try {
    checkJob(job);
    const run = await runExperiment(job.config as Parameters<typeof runExperiment>[0]);
    const { wallMs, stepsPerSec, ...summary } = run.summary;
    return {
      ...head,
      status: 'done',
      summary,
      verdicts: run.verdicts,
      timing: { wallMs, stepsPerSec, worker: WORKER_NAME },
    };
  } catch (e) {
    // Any error, a typed one or a bug, fails this job only; the message goes in the line to be read.
    return {
      ...head,
      status: 'failed',
      error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      timing: { wallMs: performance.now() - start, stepsPerSec: null, worker: WORKER_NAME },
    };
  }
}
