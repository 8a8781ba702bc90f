import type { Buf } from '../../src/backend.js';
import { type Case, type Kit, SIZES, U32 } from './helpers.js';
import type { KernelCases } from './table-types.js';

const f = Math.fround;
const STEPS = 3;

/**
 * Runs `STEPS` updates with a fresh gradient each time (so the state buffers carry over) and returns
 * the weights and the state. Weights move by ~lr per step, so their error is a few roundings of w
 * itself: compared normwise. States are sums of a few terms of one sign per step.
 */
function steps(k: Kit, n: number, state: number, update: (w: Buf, g: Buf, s: Buf[], step: number) => void) {
  const w = k.buf(k.rng.normals(n));
  const s = Array.from({ length: state }, () => k.zeros(n));
  for (let t = 1; t <= STEPS; t++) update(w, k.buf(k.rng.normals(n)), s, t);
  return Object.fromEntries([['w', k.read(w)], ...s.map((b, i) => [`state${i}`, k.read(b)])]);
}

const OPT_TOL = 32 * U32;
const DECAYS = [0, f(0.01)];

export const optimizerCases = {
  sgdStep: SIZES.flatMap((n) =>
    DECAYS.map(
      (wd): Case => ({
        name: `n=${n} weightDecay=${wd}`,
        tol: OPT_TOL,
        run: (k) => steps(k, n, 0, (w, g) => k.be.sgdStep(w, g, f(0.1), wd)),
      }),
    ),
  ),
  momentumStep: SIZES.flatMap((n) =>
    [false, true].map(
      (nesterov): Case => ({
        name: `n=${n} nesterov=${nesterov}`,
        tol: OPT_TOL,
        run: (k) =>
          steps(k, n, 1, (w, g, [v]) => k.be.momentumStep(w, g, v, f(0.05), f(0.9), f(0.01), nesterov)),
      }),
    ),
  ),
  rmspropStep: SIZES.flatMap((n) =>
    DECAYS.map(
      (wd): Case => ({
        name: `n=${n} weightDecay=${wd}`,
        tol: OPT_TOL,
        run: (k) => steps(k, n, 1, (w, g, [sq]) => k.be.rmspropStep(w, g, sq, f(0.01), f(0.99), f(1e-8), wd)),
      }),
    ),
  ),
  adamStep: SIZES.flatMap((n) =>
    [false, true].map(
      (decoupled): Case => ({
        name: `n=${n} decoupled=${decoupled}`,
        // beta^step and the bias corrections add a few roundings on top.
        tol: 2 * OPT_TOL,
        run: (k) =>
          steps(k, n, 2, (w, g, [m, v], t) =>
            k.be.adamStep(w, g, m, v, f(0.01), f(0.9), f(0.999), f(1e-8), f(0.05), t, decoupled),
          ),
      }),
    ),
  ),
} satisfies KernelCases;
