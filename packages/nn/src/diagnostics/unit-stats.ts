/**
 * Per-unit reductions over a copied `[rows, units]` block. They run in plain JS on copies because the
 * probe samples at a view's rate (a few times a second), where one read per buffer beats a kernel
 * per column, and no kernel reduces by column.
 */

/** A unit's values over the batch, binned: `counts[unit * bins + b]` over [lo, hi]. */
export interface UnitHistogram {
  lo: number;
  hi: number;
  bins: number;
  counts: Float64Array;
}

/** Per-unit activation statistics of one column. */
export interface ColumnStats {
  mean: Float64Array;
  std: Float64Array;
  /** Fraction of the batch in the flat tails (sigmoid < 0.01 or > 0.99, |tanh| > 0.99); null for other kinds. */
  saturated: Float64Array | null;
  /** 1 where a ReLU unit is zero on every row (the monitor's dead-unit rule); null for other kinds. */
  dead: Uint8Array | null;
  hist: UnitHistogram;
}

/** ||column j||_2 of a row-major `[rows, cols]` block. */
export function columnNorms(d: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) {
      const v = d[o + j] as number;
      out[j] = (out[j] as number) + v * v;
    }
  }
  for (let j = 0; j < cols; j++) out[j] = Math.sqrt(out[j] as number);
  return out;
}

/** Column means of a row-major `[rows, cols]` block starting at `offset`. */
export function columnMeans(d: ArrayLike<number>, rows: number, cols: number, offset = 0): Float64Array {
  const out = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = offset + r * cols;
    for (let j = 0; j < cols; j++) out[j] = (out[j] as number) + (d[o + j] as number);
  }
  for (let j = 0; j < cols; j++) out[j] = (out[j] as number) / rows;
  return out;
}

/** The value range a histogram spans: the activation's own range when bounded, else the data's. */
function histRange(d: ArrayLike<number>, activation: string | null): [number, number] {
  if (activation === 'sigmoid') return [0, 1];
  if (activation === 'tanh') return [-1, 1];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  return hi > lo ? [lo, hi] : [lo - 0.5, lo + 0.5];
}

/** Mean, std, saturation, dead flags and a histogram per unit of a `[rows, cols]` activation block. */
export function columnStats(
  d: ArrayLike<number>,
  rows: number,
  cols: number,
  activation: string | null,
  bins: number,
): ColumnStats {
  const mean = columnMeans(d, rows, cols);
  const std = new Float64Array(cols);
  const sigmoid = activation === 'sigmoid';
  const saturating = sigmoid || activation === 'tanh';
  const saturated = saturating ? new Float64Array(cols) : null;
  const dead = activation === 'relu' ? new Uint8Array(cols).fill(1) : null;
  const [lo, hi] = bins > 0 ? histRange(d, activation) : [0, 1];
  const counts = new Float64Array(cols * bins);
  const scale = bins / (hi - lo);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) {
      const v = d[o + j] as number;
      // Two passes over a copy: (x - mean)^2 keeps a small spread that E[x^2] - E[x]^2 would lose.
      const e = v - (mean[j] as number);
      std[j] = (std[j] as number) + e * e;
      // The kernels' rule (countSaturated): sigmoid < 0.01 or > 0.99, |tanh| > 0.99.
      if (saturated && (sigmoid ? v < 0.01 || v > 0.99 : v > 0.99 || v < -0.99))
        saturated[j] = (saturated[j] as number) + 1;
      if (dead && v !== 0) dead[j] = 0;
      if (bins > 0 && Number.isFinite(v)) {
        const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) * scale)));
        const k = j * bins + b;
        counts[k] = (counts[k] as number) + 1;
      }
    }
  }
  for (let j = 0; j < cols; j++) {
    std[j] = Math.sqrt((std[j] as number) / rows);
    if (saturated) saturated[j] = (saturated[j] as number) / rows;
  }
  return { mean, std, saturated, dead, hist: { lo, hi, bins, counts } };
}

/**
 * The `k` units with the largest values (NaN and Infinity first: a non-finite unit is the one to see),
 * in unit order; all units when there are at most `k`.
 */
export function topUnits(values: ArrayLike<number> | null, units: number, k: number): number[] {
  const all = Array.from({ length: units }, (_, i) => i);
  if (units <= k) return all;
  if (!values) return all.slice(0, k);
  const key = (i: number) => {
    const v = values[i] as number;
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  return all
    .sort((a, b) => key(b) - key(a) || a - b)
    .slice(0, k)
    .sort((a, b) => a - b);
}

/**
 * |M| per edge between chosen inputs and outputs of a `[rows, gates * units]` matrix: the L2 norm
 * over the gate blocks (one value for Dense; an LSTM's four gates per input/unit pair), row-major
 * `[from.length, to.length]`.
 */
export function edgeNorms(
  m: ArrayLike<number>,
  units: number,
  gates: number,
  from: readonly number[],
  to: readonly number[],
): Float64Array {
  const out = new Float64Array(from.length * to.length);
  const stride = gates * units;
  from.forEach((i, a) => {
    to.forEach((j, b) => {
      let s = 0;
      for (let g = 0; g < gates; g++) {
        const v = m[i * stride + g * units + j] as number;
        s += v * v;
      }
      out[a * to.length + b] = Math.sqrt(s);
    });
  });
  return out;
}
