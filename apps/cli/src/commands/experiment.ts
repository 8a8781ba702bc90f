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

/**
 * Ctrl-C stops the current run between steps; what ran so far is still written, marked partial. The
 * handler stays until the output is written (a signal cannot cut a synchronous write short while a
 * handler is installed); a second Ctrl-C quits at once, and since output is renamed into place whole,
 * that leaves no file rather than half of one.
 */
function interruptible(io: Io): { signal: AbortSignal; done: () => void } {
  const ac = new AbortController();
  const onInt = () => {
    if (ac.signal.aborted) process.exit(130);
    io.err('\nvgp: stopping after this step (Ctrl-C again to quit without writing)\n');
    ac.abort();
  };
  process.on('SIGINT', onInt);
  return { signal: ac.signal, done: () => process.off('SIGINT', onInt) };
}

/** "stopped at step k of n" for every run Ctrl-C cut short, and the runs it kept from starting. */
function stoppedNote(runs: readonly RunResult[], planned: number): string {
  const cut = runs.filter((r) => r.summary.cancelled);
  if (cut.length === 0) return '';
  const lines = cut.map(
    (r) =>
      `stopped at step ${r.summary.steps} of ${r.summary.requestedSteps} (${r.label}, interrupted): its numbers cover the steps run`,
  );
  if (runs.length < planned) lines.push(`${planned - runs.length} of ${planned} runs did not start`);
  return `\n${lines.join('\n')}`;
}

function checkFormats(opts: CommonOptions & { histograms?: boolean }): void {
  if (opts.json && opts.csv) throw new ConfigError('choose one of --json and --csv');
  if (opts.histograms && !opts.csv)
    throw new ConfigError('--histograms goes with --csv (--json output always carries the histograms)');
}

/** The CSV a run or comparison prints: per-step rows, or with --histograms the gradient histograms. */
async function csvOf(runs: readonly RunResult[], histograms: boolean | undefined): Promise<string> {
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
  const stop = interruptible(io);
  let result: CompareResult;
  try {
    result = await compare(plan.base, plan.variants, {
      seeds,
      signal: stop.signal,
      onRunStart: (i, label) => progress.start(i, label),
      onStep: () => progress.step(),
    });
  } catch (e) {
    progress.stop();
    stop.done();
    throw e;
  }
  progress.stop();
  try {
    const partial = result.runs.some((r) => r.summary.cancelled) || result.runs.length < runs;
    const note = partial ? stoppedNote(result.runs, runs) : '';
    if (opts.json) {
      const doc = compareToJson(result, { preset: plan.preset, history: opts.history });
      emit(io, stringifyJson(partial ? { ...doc, partial: true } : doc), opts.out);
    } else if (opts.csv) {
      emit(io, await csvOf(result.runs, opts.histograms), opts.out);
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
        (result.seeds.length > 1
          ? seedsReport(result.aggregates, result.runs.slice(0, perSeed), title)
          : report(result.runs, title)) + note,
        opts.out,
      );
    }
    if (note && (opts.json || opts.csv || opts.out)) io.err(`${note.trim()}\n`);
    return partial ? 130 : 0;
  } finally {
    stop.done();
  }
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
  const stop = interruptible(io);
  progress.start(0, config.label ?? 'run');
  try {
    const run = await runExperiment(config, { signal: stop.signal, onStep: () => progress.step() });
    progress.stop();
    const partial = run.summary.cancelled;
    const note = stoppedNote([run], 1);
    if (opts.json) {
      const doc = {
        format: 'vgp-run',
        version: 1,
        ...(partial ? { partial: true } : {}),
        ...runToJson(run, true),
      };
      emit(io, stringifyJson(doc), opts.out);
    } else if (opts.csv) emit(io, await csvOf([run], opts.histograms), opts.out);
    else emit(io, report([run]) + note, opts.out);
    if (note && (opts.json || opts.csv || opts.out)) io.err(`${note.trim()}\n`);
    return partial ? 130 : 0;
  } finally {
    progress.stop();
    stop.done();
  }
}
