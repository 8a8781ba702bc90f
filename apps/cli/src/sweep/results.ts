import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@vgp/core';
import { parseJson, type RunSummary, stringifyJson, type Verdict } from '@vgp/nn';
import { makeDir } from '../io.js';

/** Identifies a line of a sweep's results file; bump the version on any incompatible change. */
export const RESULT_FORMAT = 'vgp-sweep-result';
export const RESULT_VERSION = 1;

/** The summary numbers that depend only on the job's config: the same bits on every worker. */
export type JobSummary = Omit<RunSummary, 'wallMs' | 'stepsPerSec'>;

/** One finished (or failed) job: a line of `results.jsonl`. */
export interface JobResult {
  format: typeof RESULT_FORMAT;
  version: typeof RESULT_VERSION;
  /** The job's id (hash of its config). */
  id: string;
  /** The grid point without the seed, as `SweepJob.group`. */
  group: string;
  /** The value of each axis but the seed, as `SweepJob.point`. */
  point: Record<string, unknown>;
  /** The variant's label, as `SweepJob.variant`. */
  variant: string | null;
  seed: number;
  /** `done`: summary and verdicts are set. `failed`: `error` says why; a rerun tries the job again. */
  status: 'done' | 'failed';
  summary?: JobSummary;
  verdicts?: Verdict[];
  error?: string;
  /** How long the job took and where it ran: different on every run, so kept apart from the results. */
  timing: { wallMs: number; stepsPerSec: number | null; worker: string };
}

/** Where a job sits, as a worker is told it: what a result line repeats about its job. */
export interface JobHead {
  id: string;
  group: string;
  point?: Record<string, unknown>;
  variant?: string | null;
  seed: number;
}

/** The start of a result line for `job`. */
export function resultHead(job: JobHead) {
  return {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    id: job.id,
    group: job.group,
    point: job.point ?? {},
    variant: job.variant ?? null,
    seed: job.seed,
  } as const;
}

/** The line of a job that failed (`worker` names where, `wallMs` how long it ran before). */
export function failedResult(job: JobHead, error: string, worker: string, wallMs = 0): JobResult {
  return { ...resultHead(job), status: 'failed', error, timing: { wallMs, stepsPerSec: null, worker } };
}

/** The file a sweep's results stream into, inside its output directory. */
export const RESULTS_FILE = 'results.jsonl';

/**
 * A sweep's results file, opened for appending. Each result is one `write` of one whole line on a file
 * opened with O_APPEND, so lines never interleave and a kill loses at most the line being written; a torn
 * last line (no newline) is cut off when the file is opened again.
 */
export class ResultsFile {
  /** The latest line per job id (a rerun may have appended a success after a failure). */
  readonly results = new Map<string, JobResult>();
  private fd: number;

  constructor(readonly dir: string) {
    try {
      makeDir(dir);
    } catch (e) {
      throw new ConfigError(
        `cannot create the output directory ${dir} (${(e as Error).message}); choose another folder with -d`,
      );
    }
    const path = join(dir, RESULTS_FILE);
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const end = text.lastIndexOf('\n') + 1;
    for (const [i, line] of text.slice(0, end).split('\n').entries()) {
      if (line.trim() === '') continue;
      const r = parseLine(line, `${path}:${i + 1}`);
      this.results.set(r.id, r);
    }
    this.fd = openSync(path, 'a');
    if (end < text.length) ftruncateSync(this.fd, Buffer.byteLength(text.slice(0, end)));
  }

  /** Whether `id` finished successfully in this or an earlier run. */
  done(id: string): boolean {
    return this.results.get(id)?.status === 'done';
  }

  append(result: JobResult): void {
    writeSync(this.fd, `${stringifyJson(result, 0)}\n`);
    this.results.set(result.id, result);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Parses one results line; a line that is not one is a `ConfigError` naming the file and line. */
export function parseLine(line: string, where: string): JobResult {
  let r: JobResult;
  try {
    r = parseJson(line) as JobResult;
  } catch (e) {
    throw new ConfigError(
      `${where} is not a JSON line: ${(e as Error).message}; delete the line to rerun its job`,
    );
  }
  if (r?.format !== RESULT_FORMAT || r.version !== RESULT_VERSION || typeof r.id !== 'string') {
    throw new ConfigError(
      `${where} is not a ${RESULT_FORMAT} v${RESULT_VERSION} line; is this a sweep's output directory?`,
    );
  }
  return r;
}
