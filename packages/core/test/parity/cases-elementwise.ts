import { SIZES, U32 } from './helpers.js';
import type { Case, KernelCases } from './table-types.js';

// One f32 rounding per element at most: the reference result rounded to f32 is within U32 relative.
const ONE_ROUNDING = 2 * U32;

export const elementwiseCases = {
  fill: SIZES.map(
    (n): Case => ({
      name: `n=${n}`,
      tol: 0, // fill stores a value already representable in f32: exact
      run: (k) => {
        const x = k.buf(k.rng.normals(n));
        const v = k.rng.normal(5);
        k.be.fill(x, v);
        return { x: k.read(x) };
      },
    }),
  ),
  copy: [
    ...SIZES.map(
      (n): Case => ({
        name: `n=${n}`,
        tol: 0, // a copy is exact
        run: (k) => {
          const src = k.buf(k.rng.normals(n));
          const dst = k.poisoned(n);
          k.be.copy(src, dst);
          return { dst: k.read(dst), src: k.read(src) };
        },
      }),
    ),
    {
      name: 'unaligned views n=37',
      tol: 0,
      run: (k) => {
        const whole = k.buf(k.rng.normals(100));
        k.be.copy(k.view(whole, 1, 37), k.view(whole, 50, 37));
        return { whole: k.read(whole) };
      },
    },
  ],
  scale: SIZES.map(
    (n): Case => ({
      name: `n=${n}`,
      tol: ONE_ROUNDING,
      run: (k) => {
        const x = k.buf(k.rng.normals(n, 3));
        k.be.scale(x, k.rng.normal(2));
        return { x: k.read(x) };
      },
    }),
  ),
  axpby: [
    ...SIZES.flatMap((n) =>
      [0, 1, -0.75].map(
        (beta): Case => ({
          name: `n=${n} beta=${beta}`,
          // Three roundings (two products, one sum); cancellation makes it normwise.
          tol: 4 * U32,
          run: (k) => {
            const x = k.buf(k.rng.normals(n));
            // beta = 0 must ignore y, even NaN (documented).
            const y = beta === 0 ? k.poisoned(n) : k.buf(k.rng.normals(n));
            k.be.axpby(k.rng.normal(), x, beta, y);
            return { y: k.read(y) };
          },
        }),
      ),
    ),
  ],
  mul: SIZES.flatMap((n) =>
    (['separate', 'out=a', 'out=b'] as const).map(
      (alias): Case => ({
        name: `n=${n} ${alias}`,
        tol: ONE_ROUNDING,
        floor: 0, // a product has no cancellation: elementwise relative
        run: (k) => {
          const a = k.buf(k.rng.normals(n));
          const b = k.buf(k.rng.normals(n));
          const out = alias === 'out=a' ? a : alias === 'out=b' ? b : k.poisoned(n);
          k.be.mul(a, b, out);
          return { out: k.read(out) };
        },
      }),
    ),
  ),
  clipByValue: SIZES.map(
    (n): Case => ({
      name: `n=${n}`,
      tol: 0, // a clamp only selects values: exact
      run: (k) => {
        const x = k.buf(k.rng.normals(n, 2));
        k.be.clipByValue(x, k.rng.uniform(0.1, 2));
        return { x: k.read(x) };
      },
    }),
  ),
} satisfies KernelCases;
