import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError } from '@vgp/core';
import {
  type CsvTaskConfig,
  type ExperimentConfig,
  getPreset,
  parseJson,
  type Variant,
  validateConfig,
} from '@vgp/nn';
import { InvalidArgumentError } from 'commander';

/** Options every experiment command takes. */
export interface CommonOptions {
  preset?: string;
  config?: string;
  seed?: number;
  backend?: 'wasm' | 'ts';
  steps?: number;
  every?: number;
  json?: boolean;
  csv?: boolean;
  out?: string;
  progress?: boolean;
  /** A CSV file to train on instead of the preset's or config's task. */
  data?: string;
  /** --data's target column: a header name or a 0-based index. */
  target?: string;
  /** --data's target kind (default: detected). */
  task?: 'classification' | 'regression';
  /** Share of --data rows held out for testing. */
  testFraction?: number;
}

/** commander argument parsers: each rejects bad input with a message saying what is expected. */
export function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!(value.trim() !== '' && Number.isInteger(n) && n >= min)) {
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got '${value}'.`);
    }
    return n;
  };
}

export function fraction(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(value.trim() !== '' && n > 0 && n < 1))
      throw new InvalidArgumentError(`${name} must be a number between 0 and 1 (exclusive), got '${value}'.`);
    return n;
  };
}

/** A name or path that must not be empty (an empty one would silently mean the current folder). */
export function nonEmpty(name: string, what: string) {
  return (value: string): string => {
    if (value.trim() === '') throw new InvalidArgumentError(`${name} needs ${what}, got ''.`);
    return value;
  };
}

/** A BullMQ queue name: not empty, and no ':' (it separates the parts of the queue's Redis keys). */
export function queueName(value: string): string {
  if (value.trim() === '' || value.includes(':')) {
    throw new InvalidArgumentError(
      `--queue-name must be a name without ':' (it separates the parts of the queue's Redis keys), got '${value}'.`,
    );
  }
  return value;
}

export function anyInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(value.trim() !== '' && Number.isInteger(n)))
      throw new InvalidArgumentError(`${name} must be an integer, got '${value}'.`);
    return n;
  };
}

/** A base config and its variants: from a preset, or from a JSON file holding `{ base, variants }` or one config. */
export interface Plan {
  preset: string | null;
  base: ExperimentConfig;
  variants: Variant[];
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return parseJson(text);
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export function loadPlan(opts: CommonOptions): Plan {
  // Your own data alone runs the deep-sigmoid preset's networks on it: a baseline and its remedies.
  if (opts.data !== undefined && opts.preset === undefined && opts.config === undefined) {
    opts = { ...opts, preset: DATA_DEFAULT_PRESET };
  }
  if ((opts.preset === undefined) === (opts.config === undefined)) {
    throw new ConfigError(
      'give exactly one of --preset NAME or --config FILE (see `vgp presets` for the names)',
    );
  }
  let plan: Plan;
  if (opts.preset !== undefined) {
    const p = getPreset(opts.preset);
    plan = { preset: p.name, base: structuredClone(p.base), variants: structuredClone(p.variants) };
  } else {
    const raw = readJsonFile(opts.config as string) as Record<string, unknown>;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new ConfigError(
        `${opts.config}: the config must be an object like { "task": ..., "model": ... } or { "base": ..., "variants": [...] }, got ${JSON.stringify(raw)?.slice(0, 40)}`,
      );
    }
    const isPlan = 'base' in raw;
    plan = {
      preset: null,
      base: (isPlan ? raw.base : raw) as ExperimentConfig,
      variants: (isPlan ? (raw.variants ?? []) : []) as Variant[],
    };
    if (!Array.isArray(plan.variants)) throw new ConfigError(`${opts.config}: variants must be an array`);
  }
  if (opts.config !== undefined) resolveCsvFile(plan.base, dirname(opts.config));
  const base = { ...plan.base };
  if (opts.data !== undefined) {
    Object.assign(base, withCsvTask(base, opts));
    plan.preset = null;
  } else {
    for (const [flag, v] of [
      ['--target', opts.target],
      ['--task', opts.task],
      ['--test-fraction', opts.testFraction],
    ]) {
      if (v !== undefined)
        throw new ConfigError(`${flag} goes with --data FILE.csv (it describes that file)`);
    }
  }
  if (opts.seed !== undefined) base.seed = opts.seed;
  if (opts.backend !== undefined) base.backend = opts.backend;
  if (opts.steps !== undefined) base.steps = opts.steps;
  if (opts.every !== undefined) base.monitorEvery = opts.every;
  validateConfig(base);
  return { ...plan, base };
}

/** The preset whose networks `--data` trains when no preset or config is given. */
export const DATA_DEFAULT_PRESET = 'deep-sigmoid';

/** The base config with its task replaced by the CSV of `--data` (widths then come from the file). */
function withCsvTask(base: ExperimentConfig, opts: CommonOptions): Partial<ExperimentConfig> {
  if (base.model.kind !== 'mlp') {
    throw new ConfigError(
      `--data trains an mlp on table rows, but this ${opts.preset ? `preset ('${opts.preset}')` : 'config'} has a ${base.model.kind} model; use --preset deep-sigmoid or glorot-vs-he, or a config with an mlp`,
    );
  }
  const { input: _input, output: _output, ...model } = base.model;
  const file = resolve(opts.data as string);
  const target = opts.target;
  const task: CsvTaskConfig = { kind: 'csv', file, name: basename(file) };
  if (target !== undefined) task.target = target;
  if (opts.task !== undefined) task.task = opts.task;
  if (opts.testFraction !== undefined) task.testFraction = opts.testFraction;
  return { task, model, label: base.label };
}

/** A config file's csv task names its file relative to the config file, as a user writing it expects. */
function resolveCsvFile(config: ExperimentConfig, dir: string): void {
  const task = config?.task as Partial<CsvTaskConfig> | undefined;
  if (task?.kind === 'csv' && typeof task.file === 'string') task.file = resolve(dir, task.file);
}

export { readJsonFile };
