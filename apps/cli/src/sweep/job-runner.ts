import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { type Backend, ConfigError, createBackend } from '@vgp/core';
import { type ExperimentConfig, ExperimentRun, jobId, loadTask, validateJobConfig } from '@vgp/nn';
import { failedResult, type JobResult, resultHead } from './results.js';

/** What travels to a worker (a thread or another machine): data only, never code. */
export interface JobMessage {
  id: string;
  group: string;
  /** Where the job sits in the grid (labels for the results; not part of the id). */
  point?: Record<string, unknown>;
  variant?: string | null;
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
 * One backend per kind for the life of the thread: the WASM module is loaded and instantiated once,
 * and every job's model, trainer and monitor allocate in it and free what they took when done.
 */
const backends = new Map<ExperimentConfig['backend'], Promise<Backend>>();

export function threadBackend(kind: ExperimentConfig['backend']): Promise<Backend> {
  let b = backends.get(kind);
  if (b === undefined) {
    b = createBackend(kind);
    backends.set(kind, b);
  }
  return b;
}

/**
 * Runs one job on this thread's backend and returns its result line. A job that throws fails alone:
 * the error becomes a `failed` line and the worker goes on with the next job.
 */
export async function runJob(job: JobMessage): Promise<JobResult> {
  const head = resultHead(job);
  const start = performance.now();
  try {
    checkJob(job);
    const config = job.config as ExperimentConfig;
    const data = await loadTask(config.task, config.seed);
    const run = ExperimentRun.build(config, data, await threadBackend(config.backend));
    try {
      while (!run.done) run.step();
      const measures = run.measures();
      const { wallMs, stepsPerSec, ...summary } = run.summary(measures);
      return {
        ...head,
        status: 'done',
        summary,
        verdicts: run.verdicts(measures),
        timing: { wallMs, stepsPerSec, worker: WORKER_NAME },
      };
    } finally {
      run.dispose();
    }
  } catch (e) {
    // Any error, a typed one or a bug, fails this job only; the message goes in the line to be read.
    const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return failedResult(job, error, WORKER_NAME, performance.now() - start);
  }
}
