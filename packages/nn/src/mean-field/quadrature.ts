/**
 * Expectations over a standard normal z, E_z[f(z)], by composite Gauss-Legendre quadrature in float64.
 *
 * Why not plain Gauss-Hermite: ReLU, leaky ReLU, ELU and SELU have a kink at 0, and a Gauss-Hermite
 * rule converges only algebraically across a kink. Here [-Z_MAX, Z_MAX] is cut into unit panels whose
 * edges include 0, and each panel gets a 16-point Gauss-Legendre rule: on every panel the integrand
 * phi(sqrt(q) z)^2 N(z) is smooth, so each panel is exact to about machine precision. The Gaussian
 * mass beyond |z| = 12 is about 2e-33, far below float64 resolution of the results.
 */

/** Half-width of the integration range in standard deviations. */
export const Z_MAX = 12;
/** Gauss-Legendre points per unit panel. */
const POINTS = 16;

/** Nodes and weights of the n-point Gauss-Legendre rule on [-1, 1] (Newton on P_n, as Numerical Recipes' gauleg). */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let t = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = t;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (t * p1 - p0)) / (t * t - 1);
      const step = p1 / dp;
      t -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    x[i] = -t;
    x[n - 1 - i] = t;
    w[i] = w[n - 1 - i] = 2 / ((1 - t * t) * dp * dp);
  }
  return { x, w };
}

/**
 * The standard-normal rule: nodes z_i and weights w_i (the Gaussian density folded in) such that
 * E_z[f(z)] ~ sum_i w_i f(z_i). Weights sum to 1 up to rounding; nodes are symmetric about 0 and none is 0.
 */
export interface NormalRule {
  /** The nodes, ascending. */
  z: Float64Array;
  /** The weights, density included. */
  w: Float64Array;
}

let cached: NormalRule | null = null;

/** The rule every mean-field expectation uses (built once). */
export function normalRule(): NormalRule {
  if (cached !== null) return cached;
  const gl = gaussLegendre(POINTS);
  const panels = 2 * Z_MAX;
  const z = new Float64Array(panels * POINTS);
  const w = new Float64Array(panels * POINTS);
  const norm = 1 / Math.sqrt(2 * Math.PI);
  for (let p = 0; p < panels; p++) {
    const mid = -Z_MAX + p + 0.5;
    for (let i = 0; i < POINTS; i++) {
      const k = p * POINTS + i;
      z[k] = mid + 0.5 * gl.x[i];
      w[k] = 0.5 * gl.w[i] * norm * Math.exp(-0.5 * z[k] * z[k]);
    }
  }
  cached = { z, w };
  return cached;
}
