import { ConfigError, TsBackend } from '@vgp/core';
import { Param, Tensor } from '../tensor.js';
import { checkModelSpec, type ModelSpec } from '../training/model-spec.js';
import { createOptimizer } from '../training/optimizer-spec.js';
import { applyRemedies } from './apply-remedies.js';
import { type Variant, variantConfig } from './compare.js';
import { type ExperimentConfig, validateConfig } from './config.js';
import { canonicalJson, jobId } from './job-id.js';
import { getPreset } from './presets/index.js';

/**
 * The values an axis takes: a list (`[5, 10, 20]`, `[[], ["relu-he"]]`), an inclusive integer range
 * (`"1..10"`), or an evenly spaced numeric grid (`{ "from": 1e-3, "to": 0.1, "count": 3, "scale": "log" }`).
 */
export type SweepAxisValues =
  | unknown[]
  | string
  | { from: number; to: number; count: number; scale?: 'linear' | 'log' };

/**
 * A sweep as JSON: a base config (or a preset's base and variants), optional variants as `vgp compare`
 * takes them, and axes keyed by config field path (`model.depth`, `optimizer.lr`, `seed`, `remedies`,
 * `task.length`...). Every combination of a variant and one value per axis is a job.
 */
export interface SweepSpec {
  /** Shown in reports; defaults to the preset's name or `'sweep'`. */
  name?: string;
  /** Take `base` and `variants` from this preset (then give neither). */
  preset?: string;
  /** The config every job starts from. */
  base?: ExperimentConfig;
  /** Applied on top of the base and axes as `vgp compare` applies them; the base itself is the first. */
  variants?: Variant[];
  /** Field path -> the values it takes. */
  axes?: Record<string, SweepAxisValues>;
}

/** One run of a sweep: a fully validated config and where it sits in the grid. */
export interface SweepJob {
  /** Hash of `config` (see `jobId`): the same job has the same id in every run of the sweep, anywhere. */
  id: string;
  /** Position in the expansion order (variants, then axes in the order given, seeds innermost). */
  index: number;
  /** The grid point without the seed: the variant's label and each other axis' value. Also `config.label`. */
  group: string;
  /** The value of each axis other than `seed` at this job. */
  point: Record<string, unknown>;
  /** The variant's label (the base's for the base), or null when the spec has no variants. */
  variant: string | null;
  /** The job's seed. */
  seed: number;
  /** The config the job runs (its label is `group`). */
  config: ExperimentConfig;
}

/** An expanded sweep: its axes with their values, the groups in order, and the jobs. */
export interface SweepPlan {
  name: string;
  axes: { path: string; values: unknown[] }[];
  groups: string[];
  jobs: SweepJob[];
}

/** More jobs than this is almost certainly a typo in a range (`1..100000`), not a plan. */
export const MAX_SWEEP_JOBS = 100_000;

const SPEC_FIELDS = ['name', 'preset', 'base', 'variants', 'axes'];

function specError(msg: string): never {
  throw new ConfigError(`sweep spec: ${msg}`);
}

/** Parses one axis' values into a list (see `SweepAxisValues`); errors name the axis. */
export function axisValues(path: string, raw: SweepAxisValues): unknown[] {
  const bad = (what: string): never => specError(`axis '${path}' ${what}`);
  if (typeof raw === 'string') {
    const m = /^\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*$/.exec(raw);
    if (!m) bad(`must be a list, a range like "1..10" or { from, to, count }, got ${JSON.stringify(raw)}`);
    const [lo, hi] = [Number(m?.[1]), Number(m?.[2])];
    if (hi < lo) bad(`range "${raw}" is empty; write the smaller end first`);
    if (hi - lo >= MAX_SWEEP_JOBS) bad(`range "${raw}" has more than ${MAX_SWEEP_JOBS} values`);
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  }
  if (Array.isArray(raw)) {
    if (raw.length === 0) bad('has no values; give at least one');
    const seen = new Set<string>();
    for (const v of raw) {
      const key = canonicalJson(v);
      if (seen.has(key)) bad(`lists ${key} twice; each value once`);
      seen.add(key);
    }
    return raw;
  }
  if (raw === null || typeof raw !== 'object')
    bad(`must be a list, a range or { from, to, count }, got ${raw}`);
  const { from, to, count, scale = 'linear', ...rest } = raw;
  if (Object.keys(rest).length > 0)
    bad(`has unknown field(s) ${Object.keys(rest).join(', ')}; use from, to, count, scale`);
  if (!(Number.isFinite(from) && Number.isFinite(to))) bad('needs finite numbers from and to');
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_SWEEP_JOBS))
    bad(`count must be an integer >= 1, got ${count}`);
  if (scale !== 'linear' && scale !== 'log')
    bad(`scale must be 'linear' or 'log', got ${JSON.stringify(scale)}`);
  if (scale === 'log' && !(from > 0 && to > 0)) bad('on a log scale needs from and to > 0');
  // Rounded to 12 significant digits so that 1e-3..1e-1 gives 0.01, not 0.010000000000000002.
  return Array.from({ length: count }, (_, i) => {
    const t = count === 1 ? 0 : i / (count - 1);
    const v = scale === 'log' ? from * (to / from) ** t : from + (to - from) * t;
    return Number(v.toPrecision(12));
  });
}

/** A copy of `config` with the field at the dotted `path` set to `value` (missing objects created). */
export function setPath(config: ExperimentConfig, path: string, value: unknown): ExperimentConfig {
  const keys = path.split('.');
  if (keys.some((k) => k === '')) specError(`axis '${path}' is not a field path like model.depth`);
  const out = structuredClone(config) as unknown as Record<string, unknown>;
  let obj = out;
  for (const key of keys.slice(0, -1)) {
    const next = obj[key] ?? {};
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      specError(`axis '${path}': '${key}' is not an object in the base config`);
    }
    obj[key] = next;
    obj = next as Record<string, unknown>;
  }
  obj[keys[keys.length - 1] as string] = structuredClone(value);
  return out as unknown as ExperimentConfig;
}

let checkBackend: TsBackend | undefined;

/**
 * Validates a job's config as a run would before its first step: the config's shape, its remedies, the
 * model spec (widths the task supplies stand in as 1) and the optimizer's settings. A queue worker calls
 * this on every job it takes, as the CLI does on a file.
 */
export function validateJobConfig(raw: unknown): ExperimentConfig {
  const config = validateConfig(raw);
  const model = applyRemedies(config).model;
  checkModelSpec({ ...model, input: model.input ?? 1, output: model.output ?? 1 } as ModelSpec);
  checkBackend ??= new TsBackend({ precision: 'f32' });
  const param = new Param('check.weight', Tensor.zeros(checkBackend, [1]));
  try {
    createOptimizer(applyRemedies(config).optimizer, [param]).dispose();
  } finally {
    param.dispose();
  }
  return config;
}

function message(e: unknown): string {
  if (e instanceof ConfigError) return e.message;
  throw e;
}

function label(path: string, v: unknown): string {
  return `${path}=${Array.isArray(v) ? `[${v.join(',')}]` : typeof v === 'object' ? canonicalJson(v) : String(v)}`;
}

/** Reads `raw` (usually parsed JSON) as a `SweepSpec` and expands it to validated jobs. */
export function expandSweep(raw: unknown): SweepPlan {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    specError('must be an object { base, axes }');
  const spec = raw as SweepSpec;
  for (const key of Object.keys(spec)) {
    if (!SPEC_FIELDS.includes(key)) specError(`has no field '${key}'; allowed: ${SPEC_FIELDS.join(', ')}`);
  }
  let base = spec.base;
  let variants = spec.variants ?? [];
  if (spec.preset !== undefined) {
    if (base !== undefined || spec.variants !== undefined)
      specError('give either preset or base/variants, not both');
    const p = getPreset(spec.preset);
    base = structuredClone(p.base);
    variants = structuredClone(p.variants);
  }
  if (base === undefined) specError('needs a base config (or a preset)');
  try {
    validateJobConfig(base);
  } catch (e) {
    specError(`base: ${message(e)}`);
  }
  if (!Array.isArray(variants)) specError('variants must be an array');
  const rawAxes = spec.axes ?? {};
  if (rawAxes === null || typeof rawAxes !== 'object' || Array.isArray(rawAxes))
    specError('axes must be an object');
  const axes = Object.entries(rawAxes).map(([path, v]) => {
    if (path === 'label') specError("axis 'label' is not allowed: labels are made from the axes");
    return { path, values: axisValues(path, v) };
  });
  const seedAxis = axes.find((a) => a.path === 'seed');
  if (seedAxis?.values.some((s) => !Number.isInteger(s))) specError("axis 'seed' takes integers");
  const others = axes.filter((a) => a.path !== 'seed');
  const points = others.reduce<unknown[][]>(
    (acc, a) => acc.flatMap((p) => a.values.map((v) => [...p, v])),
    [[]],
  );
  const seeds = (seedAxis?.values as number[] | undefined) ?? [base.seed];
  const count = (variants.length + 1) * points.length * seeds.length;
  if (count > MAX_SWEEP_JOBS)
    specError(`expands to ${count} jobs, more than ${MAX_SWEEP_JOBS}; fewer values`);

  const baseLabel = base.label ?? 'base';
  const jobs: SweepJob[] = [];
  const groups: string[] = [];
  const ids = new Map<string, string>();
  for (const variant of [null, ...variants]) {
    const variantLabel = variants.length > 0 ? (variant?.label ?? baseLabel) : null;
    for (const values of points) {
      const parts = others.map((a, i) => label(a.path, values[i]));
      const group = [...(variantLabel !== null ? [variantLabel] : []), ...parts].join(', ') || baseLabel;
      groups.push(group);
      for (const seed of seeds) {
        const where = `${group}, seed ${seed}`;
        const config = jobConfig(base, variant, others, values, seed, group, where);
        const id = jobId(config);
        const twin = ids.get(id);
        if (twin !== undefined)
          specError(`jobs '${twin}' and '${where}' run the same config; drop one value`);
        ids.set(id, where);
        const point = Object.fromEntries(others.map((a, i) => [a.path, values[i]]));
        jobs.push({ id, index: jobs.length, group, point, variant: variantLabel, seed, config });
      }
    }
  }
  return { name: spec.name ?? spec.preset ?? 'sweep', axes, groups, jobs };
}

/** Base, then the axes, then the variant (its remedies appended, its model fields merged over the axes'). */
function jobConfig(
  base: ExperimentConfig,
  variant: Variant | null,
  axes: { path: string }[],
  values: unknown[],
  seed: number,
  group: string,
  where: string,
): ExperimentConfig {
  const build = (only?: number): ExperimentConfig => {
    let c = setPath(base, 'seed', seed);
    axes.forEach((a, i) => {
      if (only === undefined || only === i) c = setPath(c, a.path, values[i]);
    });
    if (variant !== null) c = variantConfig(c, variant);
    return { ...c, label: group };
  };
  try {
    const config = build();
    validateJobConfig(config);
    return config;
  } catch (e) {
    const msg = message(e);
    // Blame the variant if it fails without any axis, else an axis that is wrong on its own, else the mix.
    try {
      validateJobConfig(build(-1));
    } catch (alone) {
      throw new ConfigError(`sweep job '${where}': ${message(alone)}`);
    }
    for (const [i, a] of axes.entries()) {
      try {
        validateJobConfig(build(i));
      } catch (single) {
        throw new ConfigError(`sweep axis '${a.path}' = ${canonicalJson(values[i])}: ${message(single)}`);
      }
    }
    throw new ConfigError(`sweep job '${where}': ${msg}`);
  }
}
