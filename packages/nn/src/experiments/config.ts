import { ConfigError } from '@vgp/core';
import { REMEDY_IDS, type RemedyId } from '../diagnostics/remedies.js';
import { TOY_2D_TASKS, type Toy2dTask } from '../tasks/toy2d.js';
import { checkModelSpec, type MlpSpec, type ModelSpec, type RecurrentSpec } from '../training/model-spec.js';
import { OPTIMIZERS, type OptimizerSpec } from '../training/optimizer-spec.js';
import { makeSchedule, type ScheduleSpec } from '../training/schedule.js';
import type { ClipOptions } from '../training/trainer.js';
import { applyRemedies } from './apply-remedies.js';
import { checkRunBudget, taskShape } from './budget.js';

/** The data an experiment trains on. Sizes default to values that train in seconds. */
export type TaskConfig =
  | {
      /** A 2-D binary classification task. */
      kind: Toy2dTask;
      /** Training points (default 512). */
      n?: number;
      /** Gaussian noise std per coordinate (default 0). */
      noise?: number;
    }
  | {
      /** Real handwritten digits. */
      kind: 'mnist';
      /** Training digits (default 2000). */
      train?: number;
      /** Held-out digits (default 500). */
      test?: number;
      /** `flat` for an mlp (784 inputs), `rows` for a recurrent net (28 steps of 28). Default `flat`. */
      layout?: 'flat' | 'rows';
    }
  | {
      /** The adding problem (see `addingProblem`). */
      kind: 'adding';
      /** Sequence length, >= 2. */
      length: number;
      /** Training sequences (default 512). */
      n?: number;
    }
  | {
      /** The copy task (see `copyTask`). */
      kind: 'copy';
      /** The delay between the symbols and the recall cue, >= 1. */
      length: number;
      /** Symbols to remember (default 10). */
      symbols?: number;
      /** Training sequences (default 512). */
      n?: number;
    }
  | CsvTaskConfig;

/**
 * Your own table (see `datasetFromCsv`). The rows come from `file` (a path, read by Node, relative to the
 * working directory) or `text` (the CSV itself: the page and worker threads pass it this way); a config
 * with neither (e.g. restored from a URL, which cannot carry the file) fails to load with a message that
 * says to load the file again. The split's seed is the config's `seed`.
 */
export interface CsvTaskConfig {
  /** Your own CSV table. */
  kind: 'csv';
  /** Path of the CSV file (Node only). */
  file?: string;
  /** The CSV text itself. */
  text?: string;
  /** The data's name in messages and reports (default: the file's name, or 'csv'). */
  name?: string;
  /** The target column: header name or 0-based index (default: the last column). */
  target?: string | number;
  /** Default: detected from the target column. */
  task?: 'classification' | 'regression';
  /** Share of rows held out for testing, in (0, 1) (default 0.2). */
  testFraction?: number;
}

/** Every task an experiment can train on: the 2-D toys, MNIST and the two long-memory sequence tasks. */
export const TASK_KINDS = [...TOY_2D_TASKS, 'mnist', 'adding', 'copy', 'csv'] as const;

/** A model spec whose input and output widths may be left out: the task supplies them. */
export type ModelConfig =
  | (Omit<MlpSpec, 'input' | 'output'> & Partial<Pick<MlpSpec, 'input' | 'output'>>)
  | (Omit<RecurrentSpec, 'input' | 'output'> & Partial<Pick<RecurrentSpec, 'input' | 'output'>>);

/**
 * One training run as plain JSON: the CLI reads it from a file, the playground keeps it in the URL, a
 * comparison derives its variants from it. `remedies` are applied in order on top of `model`,
 * `optimizer` and `clip` (see `applyRemedies`), so "the baseline plus batch norm" is the baseline's
 * config with `remedies: ['batch-norm']`.
 */
export interface ExperimentConfig {
  /** Name shown in reports and legends (default `'run'`). */
  label?: string;
  /** The data to train on. */
  task: TaskConfig;
  /** The network; input and output widths default to the task's. */
  model: ModelConfig;
  /** The update rule and its settings. */
  optimizer: OptimizerSpec;
  /** Remedies applied in order on top of the rest (see `applyRemedies`). */
  remedies?: RemedyId[];
  /** Gradient clipping (default none). */
  clip?: ClipOptions;
  /** Learning-rate schedule (default constant). */
  schedule?: ScheduleSpec;
  /** Samples per step, >= 1. */
  batchSize: number;
  /** Training steps (updates), >= 1. */
  steps: number;
  /** Seeds the data, the weights, dropout and shuffling: the same config gives the same run. */
  seed: number;
  /** Which backend runs the kernels. */
  backend: 'wasm' | 'ts';
  /** Record diagnostics every n-th step (default 1). */
  monitorEvery?: number;
}

const CONFIG_FIELDS = [
  'label',
  'task',
  'model',
  'optimizer',
  'remedies',
  'clip',
  'schedule',
  'batchSize',
  'steps',
  'seed',
  'backend',
  'monitorEvery',
];
const TASK_FIELDS: Record<string, readonly string[]> = {
  mnist: ['kind', 'train', 'test', 'layout'],
  adding: ['kind', 'length', 'n'],
  copy: ['kind', 'length', 'symbols', 'n'],
  csv: ['kind', 'file', 'text', 'name', 'target', 'task', 'testFraction'],
};
const TOY_FIELDS = ['kind', 'n', 'noise'];

function fail(field: string, want: string, got: unknown): never {
  throw new ConfigError(
    `experiment config: ${field} must be ${want}, got ${JSON.stringify(got) ?? String(got)}`,
  );
}

function int(obj: Record<string, unknown>, path: string, key: string, min: number, optional: boolean): void {
  const v = obj[key];
  if (v === undefined && optional) return;
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= min))
    fail(`${path}${key}`, `an integer >= ${min}`, v);
}

function only(obj: Record<string, unknown>, path: string, fields: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!fields.includes(key)) {
      throw new ConfigError(
        `experiment config: ${path || 'the config'} has no field '${key}'; allowed: ${fields.join(', ')}`,
      );
    }
  }
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(field, 'an object', v);
  return v as Record<string, unknown>;
}

/**
 * Checks the shape of a config (it usually comes from JSON) and throws a `ConfigError` naming the first
 * bad field, e.g. "experiment config: task.length must be an integer >= 2, got 0". The effective model
 * spec, the optimizer and the schedule are checked too, and the run's memory estimate against what the
 * backend holds (experiments/budget.ts), all before anything is allocated.
 * `maxRecords`: the history is capped at this many records (the playground's), for the memory estimate.
 */
export function validateConfig(raw: unknown, opts: { maxRecords?: number } = {}): ExperimentConfig {
  const c = object(raw, 'the config');
  only(c, '', CONFIG_FIELDS);
  const task = object(c.task, 'task');
  if (!(TASK_KINDS as readonly string[]).includes(task.kind as string)) {
    fail('task.kind', `one of ${TASK_KINDS.join(', ')}`, task.kind);
  }
  const kind = task.kind as string;
  only(task, 'task', TASK_FIELDS[kind] ?? TOY_FIELDS);
  if (kind === 'adding') int(task, 'task.', 'length', 2, false);
  if (kind === 'copy') {
    int(task, 'task.', 'length', 1, false);
    int(task, 'task.', 'symbols', 1, true);
  }
  if (kind === 'csv') validateCsvTask(task);
  else if (kind === 'mnist') {
    int(task, 'task.', 'train', 1, true);
    int(task, 'task.', 'test', 1, true);
    if (task.layout !== undefined && task.layout !== 'flat' && task.layout !== 'rows') {
      fail('task.layout', "'flat' or 'rows'", task.layout);
    }
  } else {
    int(task, 'task.', 'n', 2, true);
  }
  if (task.noise !== undefined && !(typeof task.noise === 'number' && task.noise >= 0)) {
    fail('task.noise', 'a number >= 0', task.noise);
  }
  const model = object(c.model, 'model');
  if (model.kind !== 'mlp' && model.kind !== 'recurrent')
    fail('model.kind', "'mlp' or 'recurrent'", model.kind);
  const opt = object(c.optimizer, 'optimizer');
  if (typeof opt.kind !== 'string') fail('optimizer.kind', 'a string such as "adam"', opt.kind);
  if (c.remedies !== undefined) {
    if (!Array.isArray(c.remedies)) fail('remedies', 'an array of remedy ids', c.remedies);
    c.remedies.forEach((r, i) => {
      if (!(REMEDY_IDS as readonly string[]).includes(r))
        fail(`remedies[${i}]`, `one of ${REMEDY_IDS.join(', ')}`, r);
    });
  }
  if (c.clip !== undefined) {
    const clip = object(c.clip, 'clip');
    only(clip, 'clip', ['value', 'norm']);
    for (const k of ['value', 'norm']) {
      const v = clip[k];
      if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v)))
        fail(`clip.${k}`, 'a number > 0', v);
    }
  }
  int(c, '', 'batchSize', 1, false);
  int(c, '', 'steps', 1, false);
  if (!(typeof c.seed === 'number' && Number.isInteger(c.seed))) fail('seed', 'an integer', c.seed);
  if (c.backend !== 'wasm' && c.backend !== 'ts') fail('backend', "'wasm' or 'ts'", c.backend);
  int(c, '', 'monitorEvery', 1, true);
  if (c.label !== undefined && typeof c.label !== 'string') fail('label', 'a string', c.label);
  checkBuildable(c as unknown as ExperimentConfig, opts.maxRecords);
  return c as unknown as ExperimentConfig;
}

/**
 * The checks that need the whole config: remedies fit the model, the effective model spec (widths from
 * the task) is valid, the optimizer names a known rule with numeric settings, the schedule is valid,
 * and the run fits in memory (experiments/budget.ts). None of them allocates anything.
 */
function checkBuildable(c: ExperimentConfig, maxRecords: number | undefined): void {
  const opt = c.optimizer as unknown as Record<string, unknown>;
  if (!(OPTIMIZERS as readonly string[]).includes(opt.kind as string))
    fail('optimizer.kind', `one of ${OPTIMIZERS.join(', ')}`, opt.kind);
  for (const [k, v] of Object.entries(opt)) {
    if (k !== 'kind' && !(typeof v === 'number' && Number.isFinite(v)))
      fail(`optimizer.${k}`, 'a finite number', v);
  }
  const effective = applyRemedies(c);
  const shape = taskShape(c.task);
  const m = effective.model;
  const spec: ModelSpec =
    m.kind === 'mlp'
      ? { ...m, input: m.input ?? shape.input, output: m.output ?? shape.output }
      : {
          ...m,
          input: m.input ?? shape.input,
          output: m.output ?? shape.output,
          head: m.head ?? (c.task.kind === 'copy' ? 'sequence' : 'last'),
        };
  let full: ModelSpec;
  try {
    full = checkModelSpec(spec);
    makeSchedule(effective.schedule, 1);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`experiment config: ${e.message}`);
    throw e;
  }
  checkRunBudget(effective, full, maxRecords === undefined ? {} : { maxRecords });
}

function validateCsvTask(task: Record<string, unknown>): void {
  for (const key of ['file', 'text', 'name']) {
    if (task[key] !== undefined && typeof task[key] !== 'string') fail(`task.${key}`, 'a string', task[key]);
  }
  if (task.file !== undefined && task.text !== undefined)
    fail('task.file', 'absent when task.text is given', task.file);
  const t = task.target;
  if (t !== undefined && typeof t !== 'string' && !(typeof t === 'number' && Number.isInteger(t))) {
    fail('task.target', 'a column name or a 0-based column index', t);
  }
  if (task.task !== undefined && task.task !== 'classification' && task.task !== 'regression') {
    fail('task.task', "'classification' or 'regression'", task.task);
  }
  const f = task.testFraction;
  if (f !== undefined && !(typeof f === 'number' && f > 0 && f < 1))
    fail('task.testFraction', 'a number in (0, 1)', f);
}
