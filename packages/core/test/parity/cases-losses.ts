import { type Case, type Rng, SHAPES, SIZES, U32 } from './helpers.js';
import type { KernelCases } from './table-types.js';

/** Rows of non-negative targets summing to one: one-hot, or soft (normalized uniforms). */
function targets(rng: Rng, rows: number, cols: number, soft: boolean): number[] {
  const t = new Array(rows * cols).fill(0);
  for (let r = 0; r < rows; r++) {
    if (!soft) {
      t[r * cols + rng.int(0, cols - 1)] = 1;
      continue;
    }
    const u = rng.uniforms(cols, 0, 1);
    const s = u.reduce((a, b) => a + b, 0);
    for (let c = 0; c < cols; c++) t[r * cols + c] = Math.fround(u[c] / s);
  }
  return t;
}

const mseLoss: Case[] = SIZES.map(
  (n): Case => ({
    name: `n=${n}`,
    // A mean of n non-negative terms: at worst n*U32 relative (f32 accumulation), no cancellation;
    // grad = 2d/N rounds d and the division.
    tol: (n + 4) * U32,
    floor: 0,
    run: (k) => {
      const grad = k.poisoned(n);
      const loss = k.be.mseLoss(k.buf(k.rng.normals(n)), k.buf(k.rng.normals(n)), grad);
      return { loss, grad: { v: k.read(grad), tol: 4 * U32 } };
    },
  }),
);

const softmaxCrossEntropy: Case[] = [...SHAPES, [4, 1031] as [number, number]].flatMap(([rows, cols]) =>
  [false, true].map(
    (soft): Case => ({
      name: `rows=${rows} cols=${cols} ${soft ? 'soft' : 'one-hot'} targets`,
      // log softmax = z - lse: absolute error ~U32*(|z| + |lse|) per term, so the loss is compared with
      // the logits' magnitude as its floor; the gradient behaves as softmax (see there), over rows.
      tol: (32 + cols) * U32,
      run: (k) => {
        const z = k.rng.normals(rows * cols, 4);
        const grad = k.poisoned(rows * cols);
        const loss = k.be.softmaxCrossEntropy(
          k.buf(z),
          k.buf(targets(k.rng, rows, cols, soft)),
          rows,
          cols,
          grad,
        );
        const zMax = z.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
        return { loss: { v: loss, floor: 2 * zMax }, grad: { v: k.read(grad), floor: 1e-3 / rows } };
      },
    }),
  ),
);

const bceWithLogits: Case[] = SIZES.map(
  (n): Case => ({
    name: `n=${n}`,
    // max(z,0) - z*t cancels for t near 1: each term's absolute error is ~U32*(|z| + 1), so the mean's
    // floor is mean(|z| + 1). The gradient (sigmoid(z) - t)/n is absolute below 1/n.
    tol: 16 * U32,
    run: (k) => {
      const z = k.rng.normals(n, 4);
      const grad = k.poisoned(n);
      const loss = k.be.bceWithLogits(k.buf(z), k.buf(k.rng.uniforms(n, 0, 1)), grad);
      const scale = z.reduce((s, v) => s + Math.abs(v) + 1, 0) / n;
      return { loss: { v: loss, floor: scale }, grad: { v: k.read(grad), floor: 1 / n } };
    },
  }),
);

// Seeds include ones above 2^31, which must survive the trip to a u32 on the WASM side.
const DROPOUT_SEEDS = [0, 12345, 0xdeadbeef, 0xffffffff];

const dropoutForward: Case[] = SIZES.flatMap((n) =>
  [0, 0.1, 0.5, 0.9].map(
    (p, i): Case => ({
      name: `n=${n} p=${p} seed=${DROPOUT_SEEDS[i]}`,
      // The mask is the same bits on both sides (dropoutUniform); 1/(1-p) and x*mask round once each.
      tol: 3 * U32,
      floor: 0,
      run: (k) => {
        const y = k.poisoned(n);
        const mask = k.poisoned(n);
        k.be.dropoutForward(k.buf(k.rng.normals(n)), Math.fround(p), DROPOUT_SEEDS[i], y, mask);
        return { y: k.read(y), mask: k.read(mask) };
      },
    }),
  ),
);

export const lossCases = {
  mseLoss,
  softmaxCrossEntropy,
  bceWithLogits,
  dropoutForward,
} satisfies KernelCases;
