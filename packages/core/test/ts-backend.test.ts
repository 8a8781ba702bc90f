import { describe, expect, it } from 'vitest';
import { SELU_ALPHA, SELU_LAMBDA } from '../src/backend.js';
import { ShapeError, VgpError } from '../src/errors.js';
import { TsBackend } from '../src/ts-backend.js';

// Hand-worked values for each kernel group of the reference backend; parity/ compares the others to it.

const be = new TsBackend({ precision: 'f64' });
const buf = (xs: number[]) => {
  const b = be.alloc(xs.length);
  be.write(b, xs);
  return b;
};
const arr = (b: ReturnType<typeof buf>) => Array.from(be.read(b));

describe('TsBackend memory', () => {
  it('alloc zero-fills, read copies, write checks the length', () => {
    const f32 = new TsBackend({ precision: 'f32' });
    const b = f32.alloc(5);
    expect(f32.read(b)).toBeInstanceOf(Float32Array);
    expect(Array.from(f32.read(b))).toEqual([0, 0, 0, 0, 0]);
    expect(f32.memoryBytes()).toBe(20);
    f32.write(b, [1, 2, 3, 4, 5]);
    const copy = f32.read(b);
    copy[0] = 99;
    expect(f32.read(b)[0]).toBe(1);
    expect(() => f32.write(b, [1, 2])).toThrow(ShapeError);
    expect(() => f32.write(b, [1, 2])).toThrow(/pass exactly 5/);
  });

  it('views share memory, cannot be freed, and do not count as memory', () => {
    const m = new TsBackend({ precision: 'f64' });
    const b = m.alloc(10);
    const v = m.view(b, 3, 4);
    expect(m.memoryBytes()).toBe(80);
    m.fill(v, 7);
    expect(Array.from(m.read(b))).toEqual([0, 0, 0, 7, 7, 7, 7, 0, 0, 0]);
    expect(() => m.free(v)).toThrow(VgpError);
    expect(() => m.view(b, 8, 3)).toThrow(ShapeError);
    m.free(b);
    expect(m.memoryBytes()).toBe(0);
    expect(() => m.free(b)).toThrow(VgpError);
    expect(() => m.read(v)).toThrow(/already freed/);
  });

  it('refuses an unknown precision', () => {
    expect(() => new TsBackend({ precision: 'f16' as 'f32' })).toThrow(/use 'f32' or 'f64'/);
  });

  it('refuses buffers of another backend and use after dispose', () => {
    const other = new TsBackend({ precision: 'f64' });
    const b = other.alloc(2);
    expect(() => be.read(b)).toThrow(/another backend/);
    other.dispose();
    expect(() => other.alloc(1)).toThrow(VgpError);
  });
});

describe('TsBackend elementwise and linear algebra', () => {
  it('fill, copy, scale, axpby, mul, clipByValue', () => {
    const x = buf([1, -2, 3]);
    const y = buf([Number.NaN, 1, 1]);
    be.axpby(2, x, 0, y); // beta = 0 ignores the NaN
    expect(arr(y)).toEqual([2, -4, 6]);
    be.axpby(1, x, 0.5, y);
    expect(arr(y)).toEqual([2, -4, 6]);
    be.mul(x, y, y);
    expect(arr(y)).toEqual([2, 8, 18]);
    be.scale(y, 0.5);
    be.copy(y, x);
    expect(arr(x)).toEqual([1, 4, 9]);
    be.clipByValue(x, 4);
    expect(arr(x)).toEqual([1, 4, 4]);
    be.fill(x, -1);
    expect(arr(x)).toEqual([-1, -1, -1]);
  });

  it('gemm handles each transpose with alpha and beta', () => {
    // A = [[1,2,3],[4,5,6]] (2x3), B = [[1,0],[0,1],[1,1]] (3x2): AB = [[4,5],[10,11]].
    const a = buf([1, 2, 3, 4, 5, 6]);
    const at = buf([1, 4, 2, 5, 3, 6]);
    const b = buf([1, 0, 0, 1, 1, 1]);
    const bt = buf([1, 0, 1, 0, 1, 1]);
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const c = buf([1, 1, 1, Number.NaN]);
      be.gemm(ta, tb, 2, 2, 3, 2, ta ? at : a, tb ? bt : b, 0, c);
      expect(arr(c)).toEqual([8, 10, 20, 22]);
      be.gemm(ta, tb, 2, 2, 3, 1, ta ? at : a, tb ? bt : b, -1, c);
      expect(arr(c)).toEqual([-4, -5, -10, -11]);
    }
  });

  it('biasAdd and biasGrad', () => {
    const y = buf([1, 2, 3, 4]);
    be.biasAdd(y, buf([10, 20]), 2, 2);
    expect(arr(y)).toEqual([11, 22, 13, 24]);
    const db = buf([1, 1]);
    be.biasGrad(y, 2, 2, 1, db);
    expect(arr(db)).toEqual([25, 47]);
  });
});

describe('TsBackend activations', () => {
  it('matches each formula and its derivative at a point', () => {
    const x = 0.7;
    const s = 1 / (1 + Math.exp(-x));
    const c = Math.sqrt(2 / Math.PI);
    const t = Math.tanh(c * (x + 0.044715 * x ** 3));
    const cases = {
      identity: [x, 1],
      sigmoid: [s, s * (1 - s)],
      tanh: [Math.tanh(x), 1 - Math.tanh(x) ** 2],
      relu: [x, 1],
      leakyRelu: [x, 1],
      elu: [x, 1],
      selu: [SELU_LAMBDA * x, SELU_LAMBDA],
      gelu: [0.5 * x * (1 + t), 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x)],
      softplus: [Math.log(1 + Math.exp(x)), s],
      swish: [x * s, s + x * s * (1 - s)],
    } as const;
    for (const [kind, [f, df]] of Object.entries(cases) as [keyof typeof cases, readonly number[]][]) {
      const xb = buf([x]);
      const yb = be.alloc(1);
      const dx = be.alloc(1);
      be.activation(kind, xb, yb, 0.1);
      be.activationGrad(kind, xb, yb, buf([2]), dx, 0.1);
      expect(be.read(yb)[0], kind).toBeCloseTo(f, 12);
      expect(be.read(dx)[0], kind).toBeCloseTo(2 * df, 12);
    }
  });

  it('takes the PyTorch convention at the kink x = 0 and on the negative side', () => {
    const x = buf([0, -1]);
    const y = be.alloc(2);
    const dx = be.alloc(2);
    const grad = (kind: 'relu' | 'leakyRelu' | 'elu' | 'selu', alpha: number) => {
      be.activation(kind, x, y, alpha);
      be.activationGrad(kind, x, y, buf([1, 1]), dx, alpha);
      return [arr(y), arr(dx)];
    };
    expect(grad('relu', 0)).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(grad('leakyRelu', 0.01)).toEqual([
      [0, -0.01],
      [0.01, 0.01],
    ]);
    const [ey, edx] = grad('elu', 1);
    expect(ey[1]).toBeCloseTo(Math.exp(-1) - 1, 14);
    expect(edx).toEqual([1, Math.exp(-1)]);
    expect(grad('selu', 0)[1][0]).toBeCloseTo(SELU_LAMBDA * SELU_ALPHA, 14);
  });

  it('sigmoid and softplus stay finite at +-1e30', () => {
    const x = buf([1e30, -1e30]);
    const y = be.alloc(2);
    be.activation('sigmoid', x, y, 0);
    expect(arr(y)).toEqual([1, 0]);
    be.activation('softplus', x, y, 0);
    expect(arr(y)).toEqual([1e30, 0]);
  });

  it('softmax rows sum to one even with huge logits', () => {
    const y = be.alloc(4);
    be.softmax(buf([1000, 1000, 0, Math.log(3)]), 2, 2, y);
    const got = arr(y);
    expect(got.slice(0, 2)).toEqual([0.5, 0.5]);
    expect(got[2]).toBeCloseTo(0.25, 15);
    expect(got[3]).toBeCloseTo(0.75, 15);
  });
});
