import { ACTIVATIONS, type ActivationKind, DEFAULT_ALPHA } from '../../src/backend.js';
import { type Case, type Rng, SHAPES, U32 } from './helpers.js';
import type { KernelCases } from './table-types.js';

const ACT_SIZES = [1, 5, 17, 64, 65, 1031];

/**
 * Inputs over the interesting range (normal, scale 3, so |x| reaches ~10 where sigmoid and tanh
 * saturate), with exact zeros sprinkled in: every backend must take the same side at the kinks.
 */
function actInputs(rng: Rng, n: number): number[] {
  const x = rng.normals(n, 3);
  for (let i = 3; i < n; i += 7) x[i] = 0;
  return x;
}

/** The alphas each kind is tried with: its default and, where alpha matters, another. */
function alphasOf(kind: ActivationKind): number[] {
  if (kind === 'leakyRelu') return [DEFAULT_ALPHA.leakyRelu, 0.25];
  if (kind === 'elu') return [DEFAULT_ALPHA.elu, 0.5];
  return [DEFAULT_ALPHA[kind]];
}

/**
 * Tolerance per kind, absolute below |y| = 1 and relative above (floor 1).
 * A few ulps covers one libm-quality exp/tanh/log1p and the few roundings around it (1e-6 ~ 16 U32).
 * GELU's tanh form cancels in 1 + tanh(u) for x < 0 and in 1 - tanh(u)^2 for its derivative, where
 * the error of tanh is multiplied by 0.5*|x|*sqrt(2/pi)*(1 + 0.134 x^2), about 40 at |x| = 10.
 */
function actTol(kind: ActivationKind): number {
  return kind === 'gelu' ? 40 * 16 * U32 : 16 * U32;
}

const activation: Case[] = ACTIVATIONS.flatMap((kind) =>
  alphasOf(kind).flatMap((alpha) => [
    ...ACT_SIZES.map(
      (n): Case => ({
        name: `${kind} alpha=${alpha} n=${n}`,
        tol: actTol(kind),
        floor: 1,
        run: (k) => {
          const y = k.poisoned(n);
          k.be.activation(kind, k.buf(actInputs(k.rng, n)), y, alpha);
          return { y: k.read(y) };
        },
      }),
    ),
    {
      name: `${kind} alpha=${alpha} n=67 in place (y = x) on an unaligned view`,
      tol: actTol(kind),
      floor: 1,
      run: (k) => {
        const whole = k.buf(k.rng.normals(70));
        const x = k.view(whole, 1, 67);
        k.be.write(x, actInputs(k.rng, 67));
        k.be.activation(kind, x, x, alpha);
        return { whole: k.read(whole) };
      },
    },
  ]),
);

const activationGrad: Case[] = ACTIVATIONS.flatMap((kind) =>
  alphasOf(kind).flatMap((alpha) =>
    [...ACT_SIZES, 67].map(
      (n): Case => ({
        // n = 67 computes dx in place over dy, which the interface allows.
        name: `${kind} alpha=${alpha} n=${n}${n === 67 ? ' dx = dy' : ''}`,
        tol: actTol(kind),
        floor: 1,
        run: (k) => {
          const x = k.buf(actInputs(k.rng, n));
          const y = k.poisoned(n);
          // Each backend's own forward output is what its backward receives, as in a real layer.
          k.be.activation(kind, x, y, alpha);
          const dy = k.buf(k.rng.normals(n));
          const dx = n === 67 ? dy : k.poisoned(n);
          k.be.activationGrad(kind, x, y, dy, dx, alpha);
          return { dx: k.read(dx) };
        },
      }),
    ),
  ),
);

const softmax: Case[] = [...SHAPES, [4, 1031] as [number, number]].flatMap(([rows, cols]) =>
  [false, true].map(
    (inPlace): Case => ({
      name: `rows=${rows} cols=${cols}${inPlace ? ' y = x' : ''}`,
      // exp's relative error grows with its argument's size (the rounding of x - max, up to ~20 here,
      // is amplified by exp), so ~20 U32 on top of the sum's cols-term rounding; absolute below 1e-3.
      tol: (32 + cols) * U32,
      floor: 1e-3,
      run: (k) => {
        const x = k.buf(k.rng.normals(rows * cols, 4));
        const y = inPlace ? x : k.poisoned(rows * cols);
        k.be.softmax(x, rows, cols, y);
        return { y: k.read(y) };
      },
    }),
  ),
);

export const activationCases = { activation, activationGrad, softmax } satisfies KernelCases;
