import { readFileSync } from 'node:fs';
import { ConfigError } from '@vgp/core';
import { type ExperimentConfig, getPreset, parseJson, type Variant, validateConfig } from '@vgp/nn';
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
    const isPlan = raw !== null && typeof raw === 'object' && 'base' in raw;
    plan = {
      preset: null,
      base: (isPlan ? raw.base : raw) as ExperimentConfig,
      variants: (isPlan ? (raw.variants ?? []) : []) as Variant[],
    };
    if (!Array.isArray(plan.variants)) throw new ConfigError(`${opts.config}: variants must be an array`);
  }
  const base = { ...plan.base };
  if (opts.seed !== undefined) base.seed = opts.seed;
  if (opts.backend !== undefined) base.backend = opts.backend;
  if (opts.steps !== undefined) base.steps = opts.steps;
  if (opts.every !== undefined) base.monitorEvery = opts.every;
  validateConfig(base);
  return { ...plan, base };
}

export { readJsonFile };
