import { type Backend, ConfigError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  AdamW,
  createOptimizer,
  Momentum,
  Nesterov,
  type Optimizer,
  Param,
  RMSprop,
  SGD,
  Tensor,
} from '../../src/index.js';
import { BACKEND_KINDS, backendOf, expectClose, tolOf } from './backends.js';

// A tiny parameter and a gradient that depends on the weights (as on a real loss): the gradient of
// L(w) = sum(0.5 * a * w^2 + b * w), g = a * w + b. Three elements with mixed signs and scales.
const W0 = [0.5, -1.5, 2];
const A = [1, 0.5, -0.25];
const B = [0.1, -0.2, 0.3];
const grad = (w: number[]) => w.map((wi, i) => A[i] * wi + B[i]);

/** Runs three optimizer steps on the tiny param, recomputing the gradient from the weights each time. */
function threeSteps(backend: Backend, make: (params: Param[]) => Optimizer): number[][] {
  const p = new Param('w', Tensor.from(backend, [3], W0));
  const opt = make([p]);
  const trail: number[][] = [];
  for (let t = 0; t < 3; t++) {
    backend.write(p.grad.buf, grad([...p.value.read()]));
    opt.step();
    trail.push([...p.value.read()]);
  }
  opt.dispose();
  p.dispose();
  return trail;
}

// The hand computations below follow the pseudocode of torch.optim's documentation line by line,
// for one scalar weight; `expected` maps them over the elements.
function expected(rule: (w: number, gradOf: (w: number) => number) => number[]): number[][] {
  const perElement = W0.map((w, i) => rule(w, (x) => A[i] * x + B[i]));
  return [0, 1, 2].map((t) => perElement.map((trail) => trail[t]));
}

describe.each(BACKEND_KINDS)(
  'optimizers on %s: first three steps match the published update rules',
  (kind) => {
    const tol = tolOf(kind);

    it('SGD: w <- w - lr * (g + wd * w)', async () => {
      const b = await backendOf(kind);
      const lr = 0.1;
      const wd = 0.01;
      const want = expected((w0, g) => {
        const w1 = w0 - lr * (g(w0) + wd * w0);
        const w2 = w1 - lr * (g(w1) + wd * w1);
        const w3 = w2 - lr * (g(w2) + wd * w2);
        return [w1, w2, w3];
      });
      // Anchor one value fully by hand: w0 = 0.5, g = 1*0.5 + 0.1 = 0.6, g' = 0.6 + 0.005 = 0.605, w1 = 0.4395.
      expect(want[0][0]).toBeCloseTo(0.4395, 12);
      const got = threeSteps(b, (ps) => new SGD(ps, { lr, weightDecay: wd }));
      for (let t = 0; t < 3; t++) expectClose(got[t], want[t], tol, `step ${t + 1}`);
    });

    it('momentum: b <- mu * b + g; w <- w - lr * b (b starts at g on step 1)', async () => {
      const b = await backendOf(kind);
      const [lr, mu, wd] = [0.1, 0.9, 0.001];
      const want = expected((w0, g) => {
        const g1 = g(w0) + wd * w0;
        const b1 = g1; // PyTorch: on the first step the buffer is the gradient itself
        const w1 = w0 - lr * b1;
        const g2 = g(w1) + wd * w1;
        const b2 = mu * b1 + g2;
        const w2 = w1 - lr * b2;
        const g3 = g(w2) + wd * w2;
        const b3 = mu * b2 + g3;
        return [w1, w2, w2 - lr * b3];
      });
      const got = threeSteps(b, (ps) => new Momentum(ps, { lr, momentum: mu, weightDecay: wd }));
      for (let t = 0; t < 3; t++) expectClose(got[t], want[t], tol, `step ${t + 1}`);
    });

    it('Nesterov: b <- mu * b + g; w <- w - lr * (g + mu * b)', async () => {
      const b = await backendOf(kind);
      const [lr, mu] = [0.05, 0.8];
      const want = expected((w0, g) => {
        const g1 = g(w0);
        const b1 = g1;
        const w1 = w0 - lr * (g1 + mu * b1);
        const g2 = g(w1);
        const b2 = mu * b1 + g2;
        const w2 = w1 - lr * (g2 + mu * b2);
        const g3 = g(w2);
        const b3 = mu * b2 + g3;
        return [w1, w2, w2 - lr * (g3 + mu * b3)];
      });
      const got = threeSteps(b, (ps) => new Nesterov(ps, { lr, momentum: mu }));
      for (let t = 0; t < 3; t++) expectClose(got[t], want[t], tol, `step ${t + 1}`);
    });

    it('RMSprop: v <- alpha * v + (1 - alpha) * g^2; w <- w - lr * g / (sqrt(v) + eps)', async () => {
      const b = await backendOf(kind);
      const [lr, alpha, eps, wd] = [0.01, 0.9, 1e-8, 0.1];
      const want = expected((w0, g) => {
        const g1 = g(w0) + wd * w0;
        const v1 = (1 - alpha) * g1 * g1; // v0 = 0
        const w1 = w0 - (lr * g1) / (Math.sqrt(v1) + eps);
        const g2 = g(w1) + wd * w1;
        const v2 = alpha * v1 + (1 - alpha) * g2 * g2;
        const w2 = w1 - (lr * g2) / (Math.sqrt(v2) + eps);
        const g3 = g(w2) + wd * w2;
        const v3 = alpha * v2 + (1 - alpha) * g3 * g3;
        return [w1, w2, w2 - (lr * g3) / (Math.sqrt(v3) + eps)];
      });
      // Step 1 moves each weight by lr / sqrt(1 - alpha) against the sign of its gradient.
      expect(want[0][0]).toBeCloseTo(0.5 - 0.01 / Math.sqrt(0.1), 7);
      const got = threeSteps(b, (ps) => new RMSprop(ps, { lr, alpha, eps, weightDecay: wd }));
      for (let t = 0; t < 3; t++) expectClose(got[t], want[t], tol, `step ${t + 1}`);
    });

    // Adam as torch.optim.Adam: g <- g + wd * w (L2); m, v moving averages; bias-corrected by 1 - beta^t.
    function adamByHand(lr: number, b1: number, b2: number, eps: number, wd: number, decoupled: boolean) {
      return expected((w0, g) => {
        let [w, m, v] = [w0, 0, 0];
        const out: number[] = [];
        // t = 1
        let gt = decoupled ? g(w) : g(w) + wd * w;
        if (decoupled) w = w * (1 - lr * wd);
        m = b1 * m + (1 - b1) * gt;
        v = b2 * v + (1 - b2) * gt * gt;
        w = w - (lr * (m / (1 - b1))) / (Math.sqrt(v / (1 - b2)) + eps);
        out.push(w);
        // t = 2
        gt = decoupled ? g(w) : g(w) + wd * w;
        if (decoupled) w = w * (1 - lr * wd);
        m = b1 * m + (1 - b1) * gt;
        v = b2 * v + (1 - b2) * gt * gt;
        w = w - (lr * (m / (1 - b1 ** 2))) / (Math.sqrt(v / (1 - b2 ** 2)) + eps);
        out.push(w);
        // t = 3
        gt = decoupled ? g(w) : g(w) + wd * w;
        if (decoupled) w = w * (1 - lr * wd);
        m = b1 * m + (1 - b1) * gt;
        v = b2 * v + (1 - b2) * gt * gt;
        w = w - (lr * (m / (1 - b1 ** 3))) / (Math.sqrt(v / (1 - b2 ** 3)) + eps);
        out.push(w);
        return out;
      });
    }

    it('Adam: bias-corrected moments, L2 weight decay in the gradient', async () => {
      const b = await backendOf(kind);
      const want = adamByHand(0.01, 0.9, 0.999, 1e-8, 0.05, false);
      // The first Adam step moves every weight by about lr against the sign of its gradient.
      expect(want[0][0]).toBeCloseTo(0.49, 6);
      expect(want[0][1]).toBeCloseTo(-1.49, 6);
      const got = threeSteps(b, (ps) => new Adam(ps, { lr: 0.01, weightDecay: 0.05 }));
      for (let t = 0; t < 3; t++) expectClose(got[t], want[t], tol, `step ${t + 1}`);
    });

    it('AdamW: decoupled decay w <- w * (1 - lr * wd) before the Adam step', async () => {
      const b = await backendOf(kind);
      const want = adamByHand(0.02, 0.8, 0.99, 1e-6, 0.1, true);
      const got = threeSteps(
        b,
        (ps) => new AdamW(ps, { lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1 }),
      );
      for (let t = 0; t < 3; t++) expectClose(got[t], want[t], tol, `step ${t + 1}`);
      // The two decays differ: the same settings with L2 land elsewhere.
      const l2 = adamByHand(0.02, 0.8, 0.99, 1e-6, 0.1, false);
      expect(Math.abs(l2[2][2] - want[2][2])).toBeGreaterThan(1e-5);
    });

    it('state is allocated once: steps allocate no backend memory', async () => {
      const b = await backendOf(kind);
      const p = new Param('w', Tensor.from(b, [64], new Float64Array(64).fill(0.5)));
      const opt = createOptimizer({ kind: 'adam' }, [p]);
      opt.step();
      const before = b.memoryBytes();
      for (let i = 0; i < 50; i++) opt.step();
      expect(b.memoryBytes()).toBe(before);
      expect(opt.stateOf(p)).toHaveLength(2);
      opt.dispose();
      p.dispose();
    });
  },
);

describe('createOptimizer', () => {
  it('builds each kind with PyTorch defaults', async () => {
    const b = await backendOf('ts');
    const p = new Param('w', Tensor.from(b, [2], [1, 2]));
    const adam = createOptimizer({ kind: 'adam' }, [p]) as Adam;
    expect([adam.lr, adam.beta1, adam.beta2, adam.eps, adam.weightDecay]).toEqual([
      1e-3, 0.9, 0.999, 1e-8, 0,
    ]);
    const adamw = createOptimizer({ kind: 'adamw' }, [p]) as AdamW;
    expect(adamw.weightDecay).toBe(0.01);
    const rms = createOptimizer({ kind: 'rmsprop', lr: 0.001 }, [p]) as RMSprop;
    expect([rms.alpha, rms.eps]).toEqual([0.99, 1e-8]);
    const nest = createOptimizer({ kind: 'nesterov', momentum: 0.5 }, [p]) as Momentum;
    expect([nest.nesterov, nest.momentum]).toEqual([true, 0.5]);
    for (const o of [adam, adamw, rms, nest]) o.dispose();
    p.dispose();
  });

  it('rejects bad hyper-parameters with a ConfigError naming the field and its range', async () => {
    const b = await backendOf('ts');
    const p = new Param('w', Tensor.from(b, [2], [1, 2]));
    const bad: [object, RegExp][] = [
      [{ kind: 'sgd', lr: -0.1 }, /sgd: lr must be in \[0, inf\).*got -0.1/],
      [{ kind: 'adam', lr: Number.NaN }, /adam: lr must be in .*got NaN/],
      [{ kind: 'momentum', momentum: 1 }, /momentum: momentum must be in \[0, 1\).*got 1/],
      [{ kind: 'adam', beta2: 1.5 }, /adam: beta2 must be in \[0, 1\)/],
      [{ kind: 'rmsprop', alpha: -0.1 }, /rmsprop: alpha must be in \[0, 1\)/],
      [{ kind: 'adamw', eps: 0 }, /adamw: eps must be a finite number > 0/],
      [{ kind: 'sgd', weightDecay: -1 }, /sgd: weightDecay must be in \[0, inf\)/],
      [
        { kind: 'sgd', momentum: 0.9 },
        /optimizer 'sgd' has no option 'momentum'; its options are kind, lr, weightDecay/,
      ],
      [
        { kind: 'nesterov', momentum: 0 },
        /nesterov: momentum must be in \(0, 1\) for the look-ahead, got 0; use 'sgd'/,
      ],
      [
        { kind: 'lbfgs' },
        /unknown optimizer 'lbfgs'; use one of sgd, momentum, nesterov, rmsprop, adam, adamw/,
      ],
    ];
    for (const [spec, message] of bad) {
      expect(() => createOptimizer(spec as never, [p])).toThrow(ConfigError);
      expect(() => createOptimizer(spec as never, [p])).toThrow(message);
    }
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/no parameters to optimize/);
    p.dispose();
  });
});
