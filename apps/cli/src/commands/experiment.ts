import { ConfigError } from '@vgp/core';
import {
  type CompareResult,
  compare,
  compareToJson,
  getPreset,
  histogramsToCsv,
  type RunResult,
  runExperiment,
  runsToCsv,
  runToJson,
  stringifyJson,
  variantConfig,
} from '@vgp/nn';
import { makeProgress } from '../format/progress.js';
import { report, seedsReport } from '../format/report.js';
import { emit, type Io } from '../io.js';
import { type CommonOptions, loadPlan } from '../options.js';

/** Ctrl-C stops the current run between steps; what ran so far is still reported. */
function interruptible(): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once('SIGINT', onInt);
  return { signal: ac.signal, done: () => process.off('SIGINT', onInt) };
}

function checkFormats(opts: CommonOptions & { histograms?: boolean }): void {
  if (opts.json && opts.csv) throw new ConfigError('choose one of --json and --csv');
  if (opts.histograms && !opts.csv)
    throw new ConfigError('--histograms goes with --csv (--json output always carries the histograms)');
}

/** The CSV a run or comparison prints: per-step rows, or with --histograms the gradient histograms. */
function csvOf(runs: readonly RunResult[], histograms: boolean | undefined): string {
  return histograms ? histogramsToCsv(runs) : runsToCsv(runs);
}

/** `vgp compare`: the base and every variant on the same data and seed. */
export async function compareCommand(
  io: Io,
  opts: CommonOptions & { history?: boolean; histograms?: boolean; seeds?: number },
): Promise<number> {
  checkFormats(opts);
  const plan = loadPlan(opts);
  const seeds = opts.seeds ?? 1;
  const perSeed = 1 + plan.variants.length;
  const runs = perSeed * seeds;
  const progress = makeProgress(io, opts.progress !== false && !opts.json, plan.base.steps * runs, runs);
  const stop = interruptible();
  let result: CompareResult;
  try {
    result = await compare(plan.base, plan.variants, {
      seeds,
      signal: stop.signal,
      onRunStart: (i, label) => progress.start(i, label),
      onStep: () => progress.step(),
    });
  } finally {
    progress.stop();
    stop.done();
  }
  if (opts.json) {
    emit(io, stringifyJson(compareToJson(result, { preset: plan.preset, history: opts.history })), opts.out);
  } else if (opts.csv) {
    emit(io, csvOf(result.runs, opts.histograms), opts.out);
  } else {
    const seedWords =
      result.seeds.length > 1
        ? `seeds ${result.seeds[0]}-${result.seeds[result.seeds.length - 1]}`
        : `seed ${plan.base.seed}`;
    const title = plan.preset
      ? `${getPreset(plan.preset).title} (${plan.base.steps} steps, ${seedWords}, ${plan.base.backend})`
      : undefined;
    emit(
      io,
      result.seeds.length > 1
        ? seedsReport(result.aggregates, result.runs.slice(0, perSeed), title)
        : report(result.runs, title),
      opts.out,
    );
  }
  return result.runs.some((r) => r.summary.cancelled) ? 130 : 0;
}

/** `vgp run`: one config (a preset's base, or one of its variants with --variant). */
export async function runCommand(
  io: Io,
  opts: CommonOptions & { variant?: string; histograms?: boolean },
): Promise<number> {
  checkFormats(opts);
  const plan = loadPlan(opts);
  let config = plan.base;
  if (opts.variant !== undefined) {
    const v = plan.variants.find((x) => x.label === opts.variant);
    if (!v) {
      const labels = plan.variants.map((x) => `'${x.label}'`).join(', ') || 'none';
      throw new ConfigError(`no variant '${opts.variant}' here; the variants are ${labels}`);
    }
    config = variantConfig(plan.base, v);
  }
  const progress = makeProgress(io, opts.progress !== false && !opts.json, config.steps, 1);
  const stop = interruptible();
  progress.start(0, config.label ?? 'run');
  try {
    const run = await runExperiment(config, { signal: stop.signal, onStep: () => progress.step() });
    progress.stop();
    if (opts.json)
      emit(io, stringifyJson({ format: 'vgp-run', version: 1, ...runToJson(run, true) }), opts.out);
    else if (opts.csv) emit(io, csvOf([run], opts.histograms), opts.out);
    else emit(io, report([run]), opts.out);
    return run.summary.cancelled ? 130 : 0;
  } finally {
    progress.stop();
    stop.done();
  }
}
