import { describe, expect, it } from 'vitest';
import type { Backend, Buf } from '../../src/backend.js';
import { TsBackend } from '../../src/ts-backend.js';
import { compare, reference, runCase, seedOf } from './helpers.js';
import { PARITY_TABLE } from './table.js';
import type { KernelName } from './table-types.js';

/**
 * The parity suite must be able to fail. Each mutant below is the f32 reference with one kernel
 * subtly wrong, the way a fast kernel tends to go wrong; the table has to catch every one.
 */
function mutant(kernel: KernelName, impl: (base: TsBackend) => Partial<Backend>): [KernelName, Backend] {
  const base = new TsBackend({ precision: 'f32' });
  return [kernel, Object.assign(Object.create(base) as Backend, impl(base))];
}

const MUTANTS: [string, [KernelName, Backend]][] = [
  [
    'gemm reads C when beta = 0',
    mutant('gemm', (b) => ({
      gemm(tA, tB, m, n, k, alpha, a, bb, beta, c) {
        const old = b.read(c);
        b.gemm(tA, tB, m, n, k, alpha, a, bb, beta, c);
        if (beta === 0)
          b.write(
            c,
            b.read(c).map((v, i) => v + 0 * old[i]),
          );
      },
    })),
  ],
  [
    'gemm ignores transB',
    mutant('gemm', (b) => ({
      gemm: (tA, _tB, m, n, k, alpha, a, bb, beta, c) => b.gemm(tA, false, m, n, k, alpha, a, bb, beta, c),
    })),
  ],
  [
    "relu'(0) = 1",
    mutant('activationGrad', (b) => ({
      activationGrad(kind, x, y, dy, dx, alpha) {
        b.activationGrad(kind, x, y, dy, dx, alpha);
        if (kind !== 'relu') return;
        const xs = b.read(x);
        const d = b.read(dx);
        const g = b.read(dy);
        b.write(
          dx,
          d.map((v, i) => (xs[i] === 0 ? g[i] : v)),
        );
      },
    })),
  ],
  [
    'sum accumulated in f32',
    mutant('sum', (b) => ({
      sum: (x: Buf) => Array.from(b.read(x)).reduce((s, v) => Math.fround(s + v), 0),
    })),
  ],
  [
    'dropout mask not rescaled by 1/(1-p)',
    mutant('dropoutForward', (b) => ({
      dropoutForward(x, p, seed, y, mask) {
        b.dropoutForward(x, p, seed, y, mask);
        b.scale(mask, 1 - p);
        b.scale(y, 1 - p);
      },
    })),
  ],
  [
    'adam without bias correction',
    mutant('adamStep', (b) => ({
      adamStep: (w, g, m, v, lr, b1, b2, eps, wd, _step, dec) =>
        b.adamStep(w, g, m, v, lr, b1, b2, eps, wd, 1e9, dec),
    })),
  ],
  [
    'running variance biased',
    mutant('batchNormForward', (b) => ({
      batchNormForward(x, rows, cols, gamma, beta, eps, momentum, rm, rv, y, mean, invStd) {
        const before = b.read(rv);
        b.batchNormForward(x, rows, cols, gamma, beta, eps, momentum, rm, rv, y, mean, invStd);
        const after = b.read(rv);
        // Undo Bessel's correction on the batch term.
        b.write(
          rv,
          after.map(
            (v, c) => before[c] * (1 - momentum) + ((v - before[c] * (1 - momentum)) * (rows - 1)) / rows,
          ),
        );
      },
    })),
  ],
  [
    'mseLoss uses its target as scratch',
    mutant('mseLoss', (b) => ({
      mseLoss(pred, target, grad) {
        const loss = b.mseLoss(pred, target, grad);
        b.copy(grad, target);
        return loss;
      },
    })),
  ],
  [
    'log histogram rounds instead of flooring',
    mutant('logHistogram', (b) => ({
      logHistogram(x, minExp, maxExp, bins) {
        const add = b.read(bins);
        const width = (maxExp - minExp) / add.length;
        for (const v of b.read(x)) {
          if (!Number.isFinite(v)) continue;
          const i = Math.round((Math.log10(Math.abs(v)) - minExp) / width);
          add[Math.min(add.length - 1, Math.max(0, i))] += 1;
        }
        b.write(bins, add);
      },
    })),
  ],
];

describe('the parity table catches wrong kernels', () => {
  const ref = reference();
  it.each(MUTANTS)('%s', (_label, [kernel, be]) => {
    const failing = PARITY_TABLE[kernel].filter((c) => {
      const seed = seedOf(`${kernel} ${c.name}`);
      return compare(runCase(be, c, seed), runCase(ref, c, seed), c).length > 0;
    });
    expect(failing.length).toBeGreaterThan(0);
  });
});
