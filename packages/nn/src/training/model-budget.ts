/**
 * What a model costs in memory, computed from its spec alone, so a size no backend can hold is
 * rejected before the first buffer is allocated (a width of 100000 would otherwise fail deep inside
 * a typed-array constructor, or after minutes of swapping).
 */
import { ConfigError } from '@vgp/core';
import type { MlpSpec, RecurrentSpec } from './model-spec.js';

/**
 * The most either backend can hold: wasm32 addresses 4 GiB of linear memory (65536 pages of 64 KiB),
 * and the TS backend is given the same ceiling so a config that fits one backend fits the other.
 */
export const BACKEND_LIMIT_BYTES = 4 * 2 ** 30;

/** Bytes per stored number: every buffer on both backends is float32. */
export const FLOAT_BYTES = 4;

/** Gate blocks per recurrent cell: an rnn has one pre-activation, a GRU three (r, z, n), an LSTM four (i, f, g, o). */
export const CELL_GATES = { rnn: 1, gru: 3, lstm: 4 } as const;

/** Trainable numbers in a model, and the width that drives them (named in messages). */
export interface ModelSize {
  /** Trainable scalars (weights, biases, norm gains and shifts). */
  params: number;
  /** The largest single parameter (one weight matrix), in scalars. */
  largest: number;
  /** The spec field to lower when the model is too big: `width` or `hidden`. */
  field: 'width' | 'hidden';
  /** Its value. */
  value: number;
}

/** Counts the trainable scalars of a checked spec; the arithmetic is in float64, so it never overflows. */
export function modelSize(spec: MlpSpec | RecurrentSpec): ModelSize {
  if (spec.kind === 'mlp') {
    const { input, output, depth, width } = spec;
    // Norms add a gain and a shift per unit; batch norm's running mean/var are buffers, counted by the caller.
    const norm = spec.norm && spec.norm !== 'none' ? 2 * width : 0;
    const hidden = (depth - 1) * (width * width + width + norm);
    const params = input * width + width + norm + hidden + width * output + output;
    const largest = Math.max(input * width, depth > 1 ? width * width : 0, width * output);
    return { params, largest, field: 'width', value: width };
  }
  const { input, output, hidden: h, layers, cell } = spec;
  const g = CELL_GATES[cell];
  // A GRU keeps its input and hidden biases apart (PyTorch's b_ih, b_hh), the others one bias.
  const biases = cell === 'gru' ? 2 * g * h : g * h;
  // Closed form, not a loop over layers: a fuzzed `layers: 1e12` must be rejected at once.
  const params =
    input * g * h + (layers - 1) * h * g * h + layers * (h * g * h + biases) + h * output + output;
  const largest = Math.max(input * g * h, h * g * h, h * output);
  return { params, largest, field: 'hidden', value: h };
}

/** "1.2 GB", "340 MB", "12 kB", in units of 1024 as memory is sized (so the 4 GiB wasm32 limit reads "4 GB"). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const n = v >= 100 || u === 0 ? String(Math.round(v)) : v.toPrecision(2).replace(/\.0$/, '');
  return `${n} ${units[u]}`;
}

/**
 * Throws a `ConfigError` when the weights and their gradients alone (the least any training needs)
 * exceed `BACKEND_LIMIT_BYTES`, naming the field to lower. Runs with a known batch and optimizer get
 * the finer estimate of `checkRunBudget` (experiments/budget.ts).
 */
export function checkModelBudget(spec: MlpSpec | RecurrentSpec): void {
  const size = modelSize(spec);
  const weights = size.params * FLOAT_BYTES;
  if (2 * weights > BACKEND_LIMIT_BYTES) {
    throw new ConfigError(
      `model spec: ${size.field} ${size.value} needs ~${formatBytes(weights)} of weights ` +
        `(~${formatBytes(2 * weights)} with their gradients); WASM memory is limited to ` +
        `${formatBytes(BACKEND_LIMIT_BYTES)} (the TS backend to the same): lower model.${size.field}` +
        (spec.kind === 'mlp' ? ' or model.depth' : ' or model.layers'),
    );
  }
}
