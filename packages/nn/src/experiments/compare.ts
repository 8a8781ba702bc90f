import { ConfigError } from '@vgp/core';
import type { RemedyId } from '../diagnostics/remedies.js';
import type { OptimizerSpec } from '../training/optimizer-spec.js';
import type { ScheduleSpec } from '../training/schedule.js';
import type { ClipOptions } from '../training/trainer.js';
import { aggregateRuns, type RunAggregate } from './aggregate.js';
import { applyRemedies } from './apply-remedies.js';
import { type ExperimentConfig, type ModelConfig, validateConfig } from './config.js';
import { type RunOptions, type RunResult, runExperiment } from './run.js';
import { loadTask } from './task-data.js';

/**
 * One variant of a comparison: the base config plus remedies and overrides. Task, seed, batch size and
 * steps always come from the base, so every variant sees the same samples in the same batch order, and
 * the same initial-weight stream (identical weights wherever the layer shapes and initializer agree).
 */
export interface Variant {
  /** Name of the variant in reports and legends. */
  label: string;
  /** Appended to the base's remedies. */
  remedies?: RemedyId[];
  /** Fields merged over the base model (e.g. `{ cell: 'lstm' }`). */
  model?: Partial<ModelConfig>;
  /** Replaces the base's optimizer. */
  optimizer?: OptimizerSpec;
  /** `null` removes the base's clipping. */
  clip?: ClipOptions | null;
  /** Replaces the base's schedule. */
  schedule?: ScheduleSpec;
}

/** Options of {@link compare}: those of a run, with the callbacks also told which run they concern. */
export interface CompareOptions extends Omit<RunOptions, 'data' | 'onRecord' | 'onStep'> {
  /** Per run, with its index in `[base, ...variants]`. */
  onRecord?: (run: number, record: Parameters<NonNullable<RunOptions['onRecord']>>[0]) => void;
  /** After every step of every run, with the run's index, the 1-based step number and its loss. */
  onStep?: (run: number, step: number, loss: number) => void;
  /** When a run starts, with its label. */
  onRunStart?: (run: number, label: string) => void;
  /**
   * Run every config on this many seeds: the base's seed and the next ones (default 1). Each seed gets
   * its own data, weights and batch order; the runs of one seed share them as always.
   */
  seeds?: number;
}

/** What {@link compare} returns: its inputs and one result per run. */
export interface CompareResult {
  /** The base config, as given. */
  base: ExperimentConfig;
  /** The variants, as given. */
  variants: Variant[];
  /** The seeds run, the base's first. */
  seeds: number[];
  /** Per seed (in `seeds` order): the base run first, then one per variant, in order. */
  runs: RunResult[];
  /** Per config (base first): the spread of each summary number over the seeds and k/N per verdict. */
  aggregates: RunAggregate[];
}

const FIXED = ['task', 'seed', 'batchSize', 'steps'];

/** The full config of a variant. Throws a `ConfigError` naming the variant and field when it cannot apply. */
export function variantConfig(base: ExperimentConfig, v: Variant): ExperimentConfig {
  for (const key of Object.keys(v)) {
    if (FIXED.includes(key)) {
      throw new ConfigError(
        `variant '${v.label}' sets ${key}; a comparison takes ${FIXED.join(', ')} from the base so every run sees the same data`,
      );
    }
  }
  const config = {
    ...base,
    label: v.label,
    model: { ...base.model, ...v.model } as ModelConfig,
    optimizer: v.optimizer ?? base.optimizer,
    clip: v.clip === null ? undefined : (v.clip ?? base.clip),
    schedule: v.schedule ?? base.schedule,
    remedies: [...(base.remedies ?? []), ...(v.remedies ?? [])],
  };
  try {
    validateConfig(config);
    applyRemedies(config);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`variant '${v.label}': ${e.message}`);
    throw e;
  }
  return config;
}

/**
 * Runs the base and every variant, one after another, on data built once from the base's task and
 * seed; with `seeds: N`, all of that again for each of N seeds, then aggregates each config over them.
 * Aborting stops the current run (its partial result is kept) and skips the rest.
 */
export async function compare(
  base: ExperimentConfig,
  variants: Variant[],
  opts: CompareOptions = {},
): Promise<CompareResult> {
  validateConfig(base);
  const n = opts.seeds ?? 1;
  if (!(Number.isInteger(n) && n >= 1)) throw new ConfigError(`seeds must be an integer >= 1, got ${n}`);
  const seeds = Array.from({ length: n }, (_, i) => base.seed + i);
  const configs = [{ ...base, label: base.label ?? 'base' }, ...variants.map((v) => variantConfig(base, v))];
  const runs: RunResult[] = [];
  for (const seed of seeds) {
    if (opts.signal?.aborted) break;
    const data = await loadTask(base.task, seed);
    for (const [j, config] of configs.entries()) {
      if (opts.signal?.aborted) break;
      const i = runs.length;
      opts.onRunStart?.(i, config.label ?? `run ${j}`);
      runs.push(
        await runExperiment(
          { ...config, seed },
          {
            data,
            signal: opts.signal,
            onRecord: opts.onRecord ? (r) => opts.onRecord?.(i, r) : undefined,
            onStep: opts.onStep ? (s, l) => opts.onStep?.(i, s, l) : undefined,
          },
        ),
      );
    }
  }
  const aggregates = configs.map((c, j) =>
    aggregateRuns(
      c.label ?? `run ${j}`,
      runs
        .filter((_, k) => k % configs.length === j)
        .map((r) => ({ seed: r.config.seed, summary: r.summary, verdicts: r.verdicts })),
    ),
  );
  return { base, variants, seeds, runs, aggregates };
}
