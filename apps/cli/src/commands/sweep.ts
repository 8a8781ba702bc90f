import { availableParallelism } from 'node:os';
import { ConfigError } from '@vgp/core';
import { expandSweep, getPreset, jobId, type SweepPlan, type SweepSpec, stringifyJson } from '@vgp/nn';
import { emit, type Io } from '../io.js';
import { readJsonFile } from '../options.js';
import { runLocal } from '../sweep/local.js';
import { makeJobProgress } from '../sweep/progress.js';
import { DEFAULT_QUEUE_NAME, runQueued } from '../sweep/queue.js';
import { connectionFor } from '../sweep/redis.js';
import { aggregateSweep, sweepCsv, sweepGaps, sweepJson, sweepTable } from '../sweep/report.js';
import { ResultsFile } from '../sweep/results.js';

/** Options of `vgp sweep`. */
export interface SweepOptions {
  preset?: string;
  config?: string;
  seeds?: number;
  steps?: number;
  every?: number;
  backend?: 'wasm' | 'ts';
  jobs?: number;
  dir?: string;
  queue?: string;
  queueName?: string;
  json?: boolean;
  csv?: boolean;
  out?: string;
  progress?: boolean;
}

/** The spec the options describe: a file or a preset, with --seeds and the base overrides applied. */
export function sweepSpec(opts: SweepOptions): SweepSpec {
  if ((opts.preset === undefined) === (opts.config === undefined)) {
    throw new ConfigError(
      'give exactly one of --preset NAME or --config FILE (a sweep spec, see docs/sweeps.md)',
    );
  }
  let spec: SweepSpec;
  if (opts.preset !== undefined) {
    spec = { preset: opts.preset };
  } else {
    const raw = readJsonFile(opts.config as string);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new ConfigError(`${opts.config}: a sweep spec is an object { base, variants?, axes }`);
    }
    spec = raw as SweepSpec;
  }
  if (spec.preset !== undefined && spec.base === undefined && spec.variants === undefined) {
    const p = getPreset(spec.preset);
    spec = {
      name: spec.name ?? p.name,
      base: structuredClone(p.base),
      variants: structuredClone(p.variants),
      axes: spec.axes,
    };
  }
  const axes = { ...spec.axes };
  if (opts.seeds !== undefined) {
    if (axes.seed !== undefined)
      throw new ConfigError('the spec has a seed axis already; drop --seeds or the axis');
    const first = spec.base?.seed ?? 1;
    axes.seed = `${first}..${first + opts.seeds - 1}`;
  }
  const base = spec.base && {
    ...spec.base,
    ...(opts.steps !== undefined && { steps: opts.steps }),
    ...(opts.every !== undefined && { monitorEvery: opts.every }),
    ...(opts.backend !== undefined && { backend: opts.backend }),
  };
  return { ...spec, base, axes };
}

/** The default output directory: the sweep's name and a hash of its job ids, so a rerun finds it. */
export function defaultDir(plan: SweepPlan): string {
  return `vgp-sweep-${plan.name.replace(/[^\w.-]+/g, '-')}-${jobId(plan.jobs.map((j) => j.id)).slice(0, 8)}`;
}

/** Ctrl-C stops the sweep: finished jobs are on disk, and a rerun into the same directory resumes. */
function interruptible(): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once('SIGINT', onInt);
  return { signal: ac.signal, done: () => process.off('SIGINT', onInt) };
}

/** `vgp sweep`: expand a spec to jobs, run the missing ones (locally or through a queue), aggregate. */
export async function sweepCommand(io: Io, opts: SweepOptions): Promise<number> {
  if (opts.json && opts.csv) throw new ConfigError('choose one of --json and --csv');
  if (opts.queue !== undefined && opts.jobs !== undefined) {
    throw new ConfigError(
      '--jobs sets local threads; with --queue, give --jobs to each `vgp worker` instead',
    );
  }
  if (opts.queueName !== undefined && opts.queue === undefined) {
    throw new ConfigError('--queue-name names a queue: give --queue redis://HOST:PORT with it');
  }
  const plan = expandSweep(sweepSpec(opts));
  if (opts.queue !== undefined) connectionFor(opts.queue); // a bad URL fails before anything is written
  const dir = opts.dir ?? defaultDir(plan);
  const results = new ResultsFile(dir);
  const todo = plan.jobs.filter((j) => !results.done(j.id));
  const skipped = plan.jobs.length - todo.length;
  // No more threads than jobs: each one loads the backend and warms up V8 for nothing otherwise.
  const threads = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), todo.length));
  const where =
    opts.queue !== undefined ? `the queue at ${opts.queue}` : `${threads} thread${threads === 1 ? '' : 's'}`;
  io.err(
    `vgp sweep: ${plan.jobs.length} jobs (${skipped} done before), ${todo.length} to run on ${where}; results in ${dir}\n`,
  );
  const progress = makeJobProgress(io, opts.progress !== false && !opts.json, plan.jobs.length, skipped);
  const stop = interruptible();
  try {
    if (todo.length > 0 && opts.queue !== undefined) {
      await runQueued(todo, results, {
        url: opts.queue,
        name: opts.queueName ?? DEFAULT_QUEUE_NAME,
        progress,
        log: (line) => io.err(`vgp sweep: ${line}\n`),
        signal: stop.signal,
      });
    } else if (todo.length > 0) {
      await runLocal(todo, results, {
        threads,
        progress,
        signal: stop.signal,
      });
    }
  } finally {
    progress.stop();
    stop.done();
    results.close();
  }
  const groups = aggregateSweep(plan, results.results);
  const gaps = sweepGaps(plan, results.results);
  if (opts.json) emit(io, stringifyJson(sweepJson(plan, groups, gaps)), opts.out);
  else if (opts.csv) emit(io, sweepCsv(plan, groups), opts.out);
  else emit(io, sweepTable(groups), opts.out);
  for (const f of gaps.failed)
    io.err(`vgp sweep: job ${f.id} (${f.group}, seed ${f.seed}) failed: ${f.error}\n`);
  if (stop.signal.aborted) {
    io.err(
      `vgp sweep: interrupted with ${gaps.missing} jobs to go; run the same command again to finish them\n`,
    );
    return 130;
  }
  return gaps.failed.length > 0 || gaps.missing > 0 ? 1 : 0;
}
