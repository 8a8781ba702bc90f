import { ConfigError } from '@vgp/core';
import type { Rng } from './rng.js';

/** Names of the weight initializers. */
export const INITIALIZERS = [
  'zeros',
  'constant',
  'uniform',
  'normal',
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'lecunUniform',
  'lecunNormal',
  'orthogonal',
  'varianceScaling',
] as const;

/** The name of a weight initializer; see {@link initValues} for each formula. */
export type InitName = (typeof INITIALIZERS)[number];

/**
 * An initializer: a name, or a name with its parameter. `constant` uses `value`; `uniform` draws from
 * [-scale, scale) and `normal` from N(0, scale^2) (scale default 0.05, as Keras); `orthogonal` and
 * `varianceScaling` use `gain` (default 1), the mean-field sigma_w.
 */
export type InitSpec =
  | InitName
  | {
      /** The initializer. */
      kind: InitName;
      /** `uniform`: the bound; `normal`: the standard deviation (default 0.05). */
      scale?: number;
      /** `constant`: the value every entry takes (default 0). */
      value?: number;
      /**
       * `orthogonal`: the factor applied to the orthonormal matrix; `varianceScaling`: sigma_w, the
       * weights' std times sqrt(fan_in) (default 1).
       */
      gain?: number;
    };

/**
 * Values for a `fanIn x fanOut` weight matrix (row-major, the layout of Dense weights `[in, out]`).
 * Formulas as PyTorch (fan-in modes, not truncated):
 * Glorot/Xavier (Glorot & Bengio 2010): uniform bound sqrt(6/(in+out)), normal std sqrt(2/(in+out)).
 * He/Kaiming (He et al. 2015, gain sqrt(2) for ReLU): uniform bound sqrt(6/in), normal std sqrt(2/in).
 * LeCun (LeCun et al. 1998): uniform bound sqrt(3/in), normal std sqrt(1/in).
 * Orthogonal (Saxe et al. 2014): Gram-Schmidt of a Gaussian matrix, rows or columns orthonormal, times gain.
 * Variance scaling (the mean-field parameterization, Poole et al. 2016): normal with std gain / sqrt(in),
 * so gain is sigma_w (LeCun normal is gain 1, He normal gain sqrt(2)).
 */
export function initValues(spec: InitSpec, fanIn: number, fanOut: number, rng: Rng): Float64Array {
  const { kind, scale, value, gain } = typeof spec === 'string' ? { kind: spec } : spec;
  if (!(INITIALIZERS as readonly string[]).includes(kind)) {
    throw new ConfigError(`unknown initializer '${kind}'; use one of ${INITIALIZERS.join(', ')}`);
  }
  if (!(Number.isInteger(fanIn) && fanIn > 0 && Number.isInteger(fanOut) && fanOut > 0)) {
    throw new ConfigError(
      `initializer '${kind}' needs positive integer fan-in and fan-out, got ${fanIn} and ${fanOut}`,
    );
  }
  const n = fanIn * fanOut;
  const uniform = (bound: number) => Float64Array.from({ length: n }, () => rng.range(-bound, bound));
  const normal = (std: number) => Float64Array.from({ length: n }, () => std * rng.normal());
  switch (kind) {
    case 'zeros':
      return new Float64Array(n);
    case 'constant':
      return new Float64Array(n).fill(finite('value', value ?? 0));
    case 'uniform':
      return uniform(finite('scale', scale ?? 0.05));
    case 'normal':
      return normal(finite('scale', scale ?? 0.05));
    case 'glorotUniform':
      return uniform(Math.sqrt(6 / (fanIn + fanOut)));
    case 'glorotNormal':
      return normal(Math.sqrt(2 / (fanIn + fanOut)));
    case 'heUniform':
      return uniform(Math.sqrt(6 / fanIn));
    case 'heNormal':
      return normal(Math.sqrt(2 / fanIn));
    case 'lecunUniform':
      return uniform(Math.sqrt(3 / fanIn));
    case 'lecunNormal':
      return normal(Math.sqrt(1 / fanIn));
    case 'orthogonal':
      return orthogonal(fanIn, fanOut, finite('gain', gain ?? 1), rng);
    case 'varianceScaling':
      return normal(finite('gain', gain ?? 1) / Math.sqrt(fanIn));
  }
}

function finite(name: string, v: number): number {
  if (!Number.isFinite(v)) throw new ConfigError(`initializer ${name} must be a finite number, got ${v}`);
  return v;
}

/**
 * A rows x cols matrix with orthonormal rows (rows <= cols) or orthonormal columns (rows > cols):
 * modified Gram-Schmidt on the shorter side's vectors of a Gaussian matrix. Gaussian vectors are
 * linearly independent with probability 1; a degenerate one is redrawn.
 */
function orthogonal(rows: number, cols: number, gain: number, rng: Rng): Float64Array {
  const count = Math.min(rows, cols);
  const len = Math.max(rows, cols);
  const vecs: Float64Array[] = [];
  while (vecs.length < count) {
    const v = Float64Array.from({ length: len }, () => rng.normal());
    for (const u of vecs) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += u[i] * v[i];
      for (let i = 0; i < len; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < len; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm < 1e-8) continue;
    for (let i = 0; i < len; i++) v[i] /= norm;
    vecs.push(v);
  }
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = gain * (rows <= cols ? vecs[r][c] : vecs[c][r]);
    }
  }
  return out;
}
