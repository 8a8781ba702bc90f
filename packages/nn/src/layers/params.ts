import { type Backend, ConfigError } from '@vgp/core';
import { type InitSpec, initValues } from '../init.js';
import type { LayerOptions } from '../layer.js';
import type { Rng } from '../rng.js';
import { Param, type ParamRole, Tensor } from '../tensor.js';

/** Options of layers that own weight matrices. */
export interface WeightLayerOptions extends LayerOptions {
  /** Draws the initial weights; pass one `Rng` (or forks of it) to every layer for a reproducible model. */
  rng: Rng;
  /** Initializer of the weight matrices (default `glorotUniform`, as Keras). */
  init?: InitSpec;
}

/** The initializer of weight matrices when a layer is given none: `glorotUniform`, as Keras. */
export const DEFAULT_INIT: InitSpec = 'glorotUniform';

/** A `[fanIn, fanOut]` matrix parameter drawn from `spec`. */
export function matrixParam(
  backend: Backend,
  name: string,
  fanIn: number,
  fanOut: number,
  spec: InitSpec,
  rng: Rng,
  role: ParamRole = 'weight',
): Param {
  const value = Tensor.from(backend, [fanIn, fanOut], initValues(spec, fanIn, fanOut, rng));
  return new Param(name, value, { role, fanIn, fanOut });
}

/** A vector parameter of `n` entries, all `fill` (biases and shifts 0, gains 1). */
export function vectorParam(backend: Backend, name: string, n: number, fill: number, role: ParamRole): Param {
  const value = Tensor.zeros(backend, [n]);
  if (fill !== 0) backend.fill(value.buf, fill);
  return new Param(name, value, { role, fanIn: n, fanOut: n });
}

/** Throws a `ConfigError` unless `v` is a positive integer (a width, a feature count). */
export function positiveInt(owner: string, what: string, v: number): number {
  if (!(Number.isInteger(v) && v > 0)) {
    throw new ConfigError(`${owner}: ${what} must be a positive integer, got ${v}`);
  }
  return v;
}
