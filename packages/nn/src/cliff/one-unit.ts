import { ConfigError } from '@vgp/core';

/**
 * The one-unit recurrent net of Pascanu, Mikolov & Bengio (2013), "On the difficulty of training
 * recurrent neural networks", section 3: x_t = w * sigmoid(x_{t-1}) + b for t = 1..T, from x_0, with
 * the loss (x_T - target)^2. Over (w, b) its loss surface has a near-vertical wall where the map's
 * fixed points bifurcate: there the gradient is hundreds of times its typical size.
 */
export interface OneUnitNet {
  /** Unrolled steps, an integer >= 1 (default 50). */
  T?: number;
  /** The initial state (default 0.5). */
  x0?: number;
  /** The value x_T is trained toward (default 0.7). */
  target?: number;
}

/** The net's loss and exact gradient at one (w, b). */
export interface CliffPoint {
  /** The final state x_T. */
  xT: number;
  /** (x_T - target)^2. */
  loss: number;
  /** dLoss/dw. */
  gw: number;
  /** dLoss/db. */
  gb: number;
  /** sqrt(gw^2 + gb^2). */
  gradNorm: number;
}

/** The net with every default filled in, checked. */
export function oneUnitNet(net: OneUnitNet = {}): Required<OneUnitNet> {
  const T = net.T ?? 50;
  if (!(Number.isInteger(T) && T >= 1)) throw new ConfigError(`cliff: T must be an integer >= 1, got ${T}`);
  const x0 = net.x0 ?? 0.5;
  const target = net.target ?? 0.7;
  if (!Number.isFinite(x0)) throw new ConfigError(`cliff: x0 must be a finite number, got ${x0}`);
  if (!Number.isFinite(target)) throw new ConfigError(`cliff: target must be a finite number, got ${target}`);
  return { T, x0, target };
}

/**
 * Loss and exact gradient in float64, by forward sensitivities (a closed-form recursion, so no
 * tape is needed for two parameters): with s = sigmoid(x_{t-1}) and s' = s (1 - s),
 *
 *   dx_t/dw = s + w s' dx_{t-1}/dw,    dx_t/db = 1 + w s' dx_{t-1}/db,    dx_0/dw = dx_0/db = 0,
 *
 * and dL/dw = 2 (x_T - target) dx_T/dw (likewise for b). The factor w s' multiplied T times is the
 * paper's point: where |w s'| stays above 1 near the bifurcation the sensitivities grow geometrically.
 * Tests check it against central finite differences.
 */
export function cliffPoint(w: number, b: number, net: Required<OneUnitNet>): CliffPoint {
  let x = net.x0;
  let dw = 0;
  let db = 0;
  for (let t = 0; t < net.T; t++) {
    const s = 1 / (1 + Math.exp(-x));
    const ws = w * s * (1 - s);
    dw = s + ws * dw;
    db = 1 + ws * db;
    x = w * s + b;
  }
  const r = x - net.target;
  const gw = 2 * r * dw;
  const gb = 2 * r * db;
  return { xT: x, loss: r * r, gw, gb, gradNorm: Math.hypot(gw, gb) };
}
