import { ConfigError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue, gradNorm, makeSchedule, Param, Tensor } from '../../src/index.js';
import { BACKEND_KINDS, backendOf, expectClose, tolOf } from './backends.js';

describe('learning-rate schedules', () => {
  it('constant', () => {
    const s = makeSchedule({ kind: 'constant' }, 0.1);
    expect([s(0), s(1000)]).toEqual([0.1, 0.1]);
    expect(makeSchedule(undefined, 0.3)(5)).toBe(0.3);
  });

  it('step: lr * gamma^floor(step / every)', () => {
    const s = makeSchedule({ kind: 'step', every: 10, gamma: 0.5 }, 0.8);
    expect([s(0), s(9), s(10), s(19), s(20), s(35)]).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.1]);
  });

  it('cosine: from lr at step 0 to minLr at total, halfway at total / 2, then flat', () => {
    const s = makeSchedule({ kind: 'cosine', total: 100, minLr: 0.01 }, 0.11);
    expect(s(0)).toBeCloseTo(0.11, 15);
    expect(s(50)).toBeCloseTo(0.06, 15);
    expect(s(25)).toBeCloseTo(0.01 + (0.1 * (1 + Math.cos(Math.PI / 4))) / 2, 15);
    expect(s(100)).toBeCloseTo(0.01, 15);
    expect(s(500)).toBeCloseTo(0.01, 15);
  });

  it('warm-up ramps linearly to the base rate, then hands over to the next schedule', () => {
    const s = makeSchedule({ kind: 'warmup', steps: 4, after: { kind: 'step', every: 2, gamma: 0.1 } }, 1);
    expect([0, 1, 2, 3].map(s)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(s(4)).toBe(1);
    expect(s(5)).toBe(1);
    expect(s(6)).toBeCloseTo(0.1, 15);
    const plain = makeSchedule({ kind: 'warmup', steps: 2 }, 0.5);
    expect([plain(0), plain(1), plain(2), plain(99)]).toEqual([0.25, 0.5, 0.5, 0.5]);
  });

  it('rejects bad schedule fields with a ConfigError naming the field', () => {
    const bad: [object, RegExp][] = [
      [{ kind: 'step', every: 0, gamma: 0.5 }, /schedule.every must be a positive integer, got 0/],
      [{ kind: 'step', every: 5, gamma: 2 }, /schedule.gamma must be in \(0, 1\]/],
      [{ kind: 'cosine', total: 1.5 }, /schedule.total must be a positive integer/],
      [{ kind: 'cosine', total: 10, minLr: 1 }, /schedule.minLr must be in \[0, lr\]/],
      [{ kind: 'warmup', steps: -1 }, /schedule.steps must be a positive integer/],
      [{ kind: 'exponential' }, /unknown schedule 'exponential'; use one of constant, step, cosine, warmup/],
    ];
    for (const [spec, message] of bad) {
      expect(() => makeSchedule(spec as never, 0.1)).toThrow(ConfigError);
      expect(() => makeSchedule(spec as never, 0.1)).toThrow(message);
    }
  });
});

describe.each(BACKEND_KINDS)('gradient clipping on %s', (kind) => {
  async function twoParams() {
    const b = await backendOf(kind);
    const p = new Param('a', Tensor.from(b, [2], [0, 0]));
    const q = new Param('b', Tensor.from(b, [1, 2], [0, 0]));
    b.write(p.grad.buf, [3, -4]);
    b.write(q.grad.buf, [0, 12]);
    return {
      b,
      params: [p, q],
      done: () => {
        p.dispose();
        q.dispose();
      },
    };
  }

  it('clipGradNorm returns the norm before clipping and rescales all grads together', async () => {
    const { params, done } = await twoParams();
    // Global norm sqrt(9 + 16 + 144) = 13.
    expect(gradNorm(params)).toBe(13);
    const norm = clipGradNorm(params, 6.5);
    expect(norm).toBe(13);
    const coef = 6.5 / (13 + 1e-6);
    expectClose(params[0].grad.read(), [3 * coef, -4 * coef], tolOf(kind), 'a.grad');
    expectClose(params[1].grad.read(), [0, 12 * coef], tolOf(kind), 'b.grad');
    expect(gradNorm(params)).toBeCloseTo(6.5, kind === 'ts' ? 6 : 4);
    done();
  });

  it('clipGradNorm leaves gradients within the limit untouched', async () => {
    const { params, done } = await twoParams();
    expect(clipGradNorm(params, 20)).toBe(13);
    expect([...params[0].grad.read(), ...params[1].grad.read()]).toEqual([3, -4, 0, 12]);
    done();
  });

  it('clipGradValue clamps each element to [-limit, limit]', async () => {
    const { params, done } = await twoParams();
    clipGradValue(params, 3.5);
    expect([...params[0].grad.read(), ...params[1].grad.read()]).toEqual([3, -3.5, 0, 3.5]);
    done();
  });

  it('rejects a limit that is not a positive finite number', async () => {
    const { params, done } = await twoParams();
    expect(() => clipGradNorm(params, 0)).toThrow(/clip maxNorm must be a finite number > 0/);
    expect(() => clipGradValue(params, Number.NaN)).toThrow(ConfigError);
    done();
  });
});
