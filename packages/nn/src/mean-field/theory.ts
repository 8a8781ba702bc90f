import { ACTIVATIONS, type ActivationKind, ConfigError, DEFAULT_ALPHA, TsBackend } from '@vgp/core';
import { normalRule } from './quadrature.js';

/**
 * Mean-field theory of signal propagation in a deep fully connected net at initialization
 * (Poole et al. 2016; Schoenholz et al. 2017, "Deep Information Propagation").
 *
 * Setting: W_l ~ N(0, sigma_w^2 / fan_in) (or orthogonal times sigma_w), b_l ~ N(0, sigma_b^2),
 * pre-activations h_l = W_l phi(h_{l-1}) + b_l. With z ~ N(0, 1):
 * - length map:  q_l = sigma_w^2 E_z[phi(sqrt(q_{l-1}) z)^2] + sigma_b^2, fixed point q*;
 * - chi_1 = sigma_w^2 E_z[phi'(sqrt(q*) z)^2], the per-layer factor of the squared backward signal
 *   ||dL/dh_l||^2: < 1 ordered (gradients vanish), > 1 chaotic (they explode), = 1 the edge of chaos;
 * - depth scale xi = 1 / |ln chi_1|: the layers over which the squared backward signal changes by a
 *   factor e (-1 / ln chi_1 in the ordered phase; infinite at the edge of chaos).
 * phi and phi' are the library's own activation kernels (TsBackend in float64), so the theory and the
 * layers use one definition: vgp's GELU is the tanh form, kinks take the x <= 0 branch.
 */

/** One point of the (sigma_w, sigma_b) plane for one activation. */
export interface MeanFieldInit {
  /** The hidden layers' activation. */
  activation: ActivationKind;
  /** Weight scale: W ~ N(0, sigma_w^2 / fan_in), or an orthogonal matrix times sigma_w. */
  sigmaW: number;
  /** Bias standard deviation: b ~ N(0, sigma_b^2). */
  sigmaB: number;
  /** leakyRelu slope or elu alpha (default as the layers: `DEFAULT_ALPHA`). */
  alpha?: number;
}

/** What the theory predicts at one point. */
export interface MeanFieldPoint extends Required<MeanFieldInit> {
  /**
   * The fixed point q* of the length map reached from q = 1, the stable one whose basin holds q = 1 when
   * there are several (0 when the map contracts to 0; Infinity
   * when q grows without bound, e.g. ReLU above sigma_w = sqrt(2) or identity above 1).
   */
  qStar: number;
  /** chi_1 = sigma_w^2 E[phi'(sqrt(q*) z)^2] (at an unbounded q*, its value at q = Q_MAX). */
  chi1: number;
  /** xi = 1 / |ln chi_1| layers (Infinity at chi_1 = 1). */
  depthScale: number;
}

/** The largest q the fixed-point search explores; beyond it q* counts as unbounded. */
export const Q_MAX = 1e12;
/** Below this q the length map counts as contracting to 0. */
const Q_MIN = 1e-14;
/** Bisection stops when the bracket's ends differ by this relative amount. */
const REL_TOL = 1e-13;

let backend: TsBackend | null = null;

/** E_z[phi(sqrt(q) z)^2] and E_z[phi'(sqrt(q) z)^2], through the float64 TS kernels. */
export function moments(
  activation: ActivationKind,
  q: number,
  alpha: number,
): { phi2: number; dphi2: number } {
  const { z, w } = normalRule();
  backend ??= new TsBackend({ precision: 'f64' });
  const b = backend;
  const n = z.length;
  const x = b.alloc(n);
  const y = b.alloc(n);
  const ones = b.alloc(n);
  const d = b.alloc(n);
  try {
    const s = Math.sqrt(q);
    b.write(
      x,
      Array.from(z, (v) => s * v),
    );
    b.fill(ones, 1);
    b.activation(activation, x, y, alpha);
    b.activationGrad(activation, x, y, ones, d, alpha);
    const yv = b.read(y);
    const dv = b.read(d);
    let phi2 = 0;
    let dphi2 = 0;
    for (let i = 0; i < n; i++) {
      phi2 += w[i] * yv[i] * yv[i];
      dphi2 += w[i] * dv[i] * dv[i];
    }
    return { phi2, dphi2 };
  } finally {
    for (const buf of [x, y, ones, d]) b.free(buf);
  }
}

/** phi applied to each value through the float64 TS kernel (the layers' own definition). */
export function applyActivation(
  activation: ActivationKind,
  values: ArrayLike<number>,
  alpha?: number,
): Float64Array {
  backend ??= new TsBackend({ precision: 'f64' });
  const b = backend;
  const x = b.alloc(values.length);
  const y = b.alloc(values.length);
  try {
    b.write(x, values);
    b.activation(activation, x, y, alpha ?? DEFAULT_ALPHA[activation]);
    return Float64Array.from(b.read(y));
  } finally {
    b.free(x);
    b.free(y);
  }
}

function checked(init: MeanFieldInit): Required<MeanFieldInit> {
  const { activation, sigmaW, sigmaB } = init;
  if (!(ACTIVATIONS as readonly string[]).includes(activation)) {
    throw new ConfigError(
      `mean field: unknown activation '${activation}'; use one of ${ACTIVATIONS.join(', ')}`,
    );
  }
  if (!(Number.isFinite(sigmaW) && sigmaW > 0)) {
    throw new ConfigError(`mean field: sigmaW must be a positive finite number, got ${sigmaW}`);
  }
  if (!(Number.isFinite(sigmaB) && sigmaB >= 0)) {
    throw new ConfigError(`mean field: sigmaB must be a finite number >= 0, got ${sigmaB}`);
  }
  const alpha = init.alpha ?? DEFAULT_ALPHA[activation];
  if (!Number.isFinite(alpha)) throw new ConfigError(`mean field: alpha must be finite, got ${alpha}`);
  return { activation, sigmaW, sigmaB, alpha };
}

/** One step of the length map: sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2. */
export function lengthMap(init: MeanFieldInit, q: number): number {
  const p = checked(init);
  return p.sigmaW ** 2 * moments(p.activation, q, p.alpha).phi2 + p.sigmaB ** 2;
}

/**
 * q*: the fixed point the length map reaches from q0 (default 1). g(q) = map(q) - q is walked from q0
 * in factors of 2 in the direction iteration would move (up while g > 0, down while g < 0) until it
 * changes sign, then the bracket is bisected in log q. Returns 0 if g stays negative down to 1e-14
 * (tanh with sigma_b = 0 and sigma_w <= 1), Infinity if g stays positive up to Q_MAX.
 */
export function fixedPoint(init: MeanFieldInit, q0 = 1): number {
  const p = checked(init);
  const g = (q: number) => lengthMap(p, q) - q;
  const g0 = g(q0);
  // A map that is the identity on q (ReLU at sigma_w = sqrt(2), sigma_b = 0): every q is fixed.
  if (Math.abs(g0) <= 1e-14 * q0) return q0;
  let lo = q0;
  let hi = q0;
  if (g0 > 0) {
    while (g(hi) > 0) {
      lo = hi;
      hi *= 2;
      if (hi > Q_MAX) return Number.POSITIVE_INFINITY;
    }
  } else {
    while (g(lo) < 0) {
      hi = lo;
      lo /= 2;
      if (lo < Q_MIN) return 0;
    }
  }
  // g(lo) >= 0 > g(hi): a stable crossing.
  while (hi / lo - 1 > REL_TOL) {
    const mid = Math.sqrt(lo * hi);
    if (g(mid) >= 0) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/** chi_1 at a given q: sigma_w^2 E[phi'(sqrt(q) z)^2]. */
export function chi1At(init: MeanFieldInit, q: number): number {
  const p = checked(init);
  // At q = 0 exactly a kinked phi' would be read at its kink; the limit q -> 0+ is what a net sees.
  return p.sigmaW ** 2 * moments(p.activation, Math.min(Math.max(q, Q_MIN), Q_MAX), p.alpha).dphi2;
}

/** xi = 1 / |ln chi_1|, Infinity at chi_1 = 1. */
export function depthScale(chi1: number): number {
  const l = Math.abs(Math.log(chi1));
  return l === 0 ? Number.POSITIVE_INFINITY : 1 / l;
}

/** q*, chi_1 and the depth scale at one point. */
export function meanField(init: MeanFieldInit): MeanFieldPoint {
  const p = checked(init);
  const qStar = fixedPoint(p);
  const chi1 = chi1At(p, qStar);
  return { ...p, qStar, chi1, depthScale: depthScale(chi1) };
}

/**
 * The predicted ratio ||dL/dh_1|| / ||dL/dh_depth|| between the first and the last hidden layer's
 * backward signal at q*: chi_1^((depth - 1) / 2) (depth - 1 steps, each multiplying the squared norm by chi_1).
 */
export function predictedGradientRatio(chi1: number, depth: number): number {
  if (!(Number.isInteger(depth) && depth >= 1)) {
    throw new ConfigError(`mean field: depth must be a positive integer, got ${depth}`);
  }
  return chi1 ** ((depth - 1) / 2);
}

/** Bracket of the critical search: sigma_w in [SIGMA_W_MIN, SIGMA_W_MAX]. */
export const SIGMA_W_MIN = 0.01;
/** Upper end of the critical search. */
export const SIGMA_W_MAX = 100;

/**
 * criticalSigmaW's answers (a sigma_w, or the ConfigError it threw) by activation, sigma_b and alpha.
 * One search costs ~1,500 quadratures (~100-200 ms), and `fitRemedies` asks for it on every diagnosis
 * of a vanishing tanh/sigmoid net (the critical-init remedy): the playground diagnoses every 500 ms,
 * so without this its deep sigmoid nets spent most of their time here instead of training.
 */
const criticalCache = new Map<string, number | ConfigError>();

/**
 * The edge of chaos: the sigma_w at which chi_1 = 1 for this activation and sigma_b (bisection in log
 * sigma_w on chi_1(sigma_w) - 1, each chi_1 at its own q*). Throws a `ConfigError` when chi_1 does not
 * cross 1 for sigma_w in [0.01, 100]. Pure in its arguments, so each is searched once per process.
 */
export function criticalSigmaW(activation: ActivationKind, sigmaB: number, alpha?: number): number {
  const key = `${activation} ${sigmaB} ${alpha ?? DEFAULT_ALPHA[activation]}`;
  let found = criticalCache.get(key);
  if (found === undefined) {
    try {
      found = searchCritical(activation, sigmaB, alpha);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      found = e;
    }
    criticalCache.set(key, found);
  }
  if (found instanceof ConfigError) throw new ConfigError(found.message);
  return found;
}

function searchCritical(activation: ActivationKind, sigmaB: number, alpha?: number): number {
  const at = (sigmaW: number) => meanField({ activation, sigmaW, sigmaB, alpha }).chi1 - 1;
  let lo = SIGMA_W_MIN;
  let hi = SIGMA_W_MAX;
  if (!(at(lo) < 0 && at(hi) > 0)) {
    throw new ConfigError(
      `mean field: chi_1 does not cross 1 for ${activation} with sigmaB ${sigmaB} and sigmaW in [${lo}, ${hi}]; try a smaller sigmaB`,
    );
  }
  while (hi / lo - 1 > 1e-12) {
    const mid = Math.sqrt(lo * hi);
    if (at(mid) < 0) lo = mid;
    else hi = mid;
  }
  // chi_1 can jump over 1 instead of passing through it: q* leaves one basin for another (GELU and
  // swish at small sigma_b) or becomes unbounded (softplus). That is no edge of chaos, so say so.
  const jump = at(hi) - at(lo);
  if (jump > 1e-6) {
    const [a, b] = [lo, hi].map((sigmaW) => fixedPoint({ activation, sigmaW, sigmaB, alpha }));
    throw new ConfigError(
      `mean field: for ${activation} with sigmaB ${sigmaB}, chi_1 jumps over 1 at sigmaW ${lo.toPrecision(6)} (q* jumps from ${a.toPrecision(4)} to ${b.toPrecision(4)}): there is no edge of chaos to set; try another sigmaB or activation`,
    );
  }
  return Math.sqrt(lo * hi);
}
