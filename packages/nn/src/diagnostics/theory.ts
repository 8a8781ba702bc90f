/**
 * Theory beside measurement. Backpropagating through one layer y = f(xW + b) multiplies the signal
 * by W^T and by f'(z) elementwise: dL/dx = (dL/dy * f'(z)) W^T. So per layer the norm can shrink by
 * at most max|f'| times the scale of W, and over L layers by the product: the reason depth alone can
 * make gradients vanish (Hochreiter 1991; Bengio, Simard & Frasconi 1994; Glorot & Bengio 2010).
 */

/**
 * The largest value of |f'(x)| over all x. sigmoid' = s(1-s) peaks at 0.25 (x = 0); tanh' = 1 - tanh^2
 * peaks at 1; the ReLU family's slope is at most 1 (elu with alpha <= 1); SELU's negative side peaks at
 * lambda*alpha ~ 1.758 just left of 0; GELU's derivative peaks near 1.129 (x ~ 1.5) and swish's near
 * 1.0998 (x ~ 2.4), both just above 1 because they overshoot the identity slope.
 */
export const MAX_DERIVATIVE: Readonly<Record<string, number>> = {
  identity: 1,
  sigmoid: 0.25,
  tanh: 1,
  relu: 1,
  leakyRelu: 1,
  elu: 1,
  selu: 1.0507009873554805 * 1.6732632423543772,
  gelu: 1.129,
  softplus: 1,
  swish: 1.0998,
};

/**
 * The typical gain of backpropagating through a weight matrix W stored `[in, out]`: for a random
 * vector v, E||W v||^2 = in * var(W) * ||v||^2 when the entries are independent with mean 0, and
 * ||W||_F^2 = in * out * var(W), so the gain is ||W||_F / sqrt(out). Glorot init makes it about 1
 * for square layers; He init sqrt(2), which ReLU's halving brings back to 1.
 */
export function weightGain(weightNorm: number, shape: readonly number[]): number {
  const out = shape[shape.length - 1] ?? 1;
  return weightNorm / Math.sqrt(out);
}

/** The per-layer factor from `ratio` measured over `layers` layers: the geometric mean ratio^(1/layers). */
export function perLayerGain(ratio: number, layers: number): number {
  if (layers <= 0 || !(ratio >= 0)) return Number.NaN;
  return ratio ** (1 / layers);
}

/**
 * How many layers it takes to halve the signal at per-layer `gain`: ln(1/2)/ln(gain). Infinity at
 * gain >= 1 (it never halves); e.g. a gain of 0.5 halves every layer, 0.933 every 10 layers.
 */
export function layersToHalve(gain: number): number {
  if (!(gain > 0)) return Number.NaN;
  if (gain >= 1) return Number.POSITIVE_INFINITY;
  return Math.log(0.5) / Math.log(gain);
}

/** What is left of a signal after `layers` layers of `gain` each: gain^layers. */
export function remaining(gain: number, layers: number): number {
  return gain ** layers;
}

/**
 * A fraction for people: percentages down to 0.01% with two significant digits, scientific notation
 * below, a factor above 1 (1 itself is 100%). So 0.5^10 reads "0.098%", 0.25^10 reads "9.5e-7", 1.5^20 reads "3.3e3x".
 */
export function formatFraction(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  if (x > 1) return `${compact(x)}x`;
  if (x >= 1e-4) return `${twoDigits(x * 100)}%`;
  return compact(x);
}

/** Two significant digits, scientific outside [0.01, 10000): "9.5e-7", "3.3e3", "42". */
export function compact(x: number): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  const a = Math.abs(x);
  if (a >= 0.01 && a < 1e4) return twoDigits(x);
  const [mant, exp] = x.toExponential(1).split('e');
  return `${Number(mant)}e${Number(exp)}`;
}

/** Number() drops the trailing zeros and the exponent form toPrecision uses from 100 up. */
function twoDigits(x: number): string {
  return String(Number(x.toPrecision(2)));
}

/** "0.5^10 ~ 0.098%": how much of the signal `layers` layers of `gain` leave, as a sentence fragment. */
export function describeShrink(gain: number, layers: number): string {
  return `${Number(gain.toPrecision(3))}^${layers} ~ ${formatFraction(remaining(gain, layers))}`;
}
