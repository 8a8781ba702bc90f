import { ShapeError, VgpError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { BatchNorm, LayerNorm, Rng, Tensor } from '../../src/index.js';
import {
  awayFromZero,
  backends,
  between,
  expectGradcheck,
  expectParity,
  expectSteadyMemory,
  uniform,
} from './helpers.js';

/** Per-column mean and biased variance of a rows x cols matrix. */
function columnStats(
  x: ArrayLike<number>,
  rows: number,
  cols: number,
): { mean: number[]; variance: number[] } {
  const mean = Array.from({ length: cols }, (_, c) => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * cols + c];
    return s / rows;
  });
  const variance = mean.map((m, c) => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += (x[r * cols + c] - m) ** 2;
    return s / rows;
  });
  return { mean, variance };
}

describe('BatchNorm', () => {
  it('passes the f64 gradient check in training mode and matches on TS f32 and WASM', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(41);
    for (let trial = 0; trial < 3; trial++) {
      const shape =
        trial === 2 ? [2, between(rng, 2, 3), between(rng, 1, 4)] : [between(rng, 2, 6), between(rng, 1, 5)];
      const x = Tensor.from(
        ts64,
        shape,
        uniform(
          rng,
          shape.reduce((a, b) => a * b),
          -2,
          2,
        ),
      );
      const layer = new BatchNorm(shape[shape.length - 1], { backend: ts64 });
      // Non-trivial gamma and beta, so their gradients and their effect on dx are both checked.
      ts64.write(layer.gamma.value.buf, awayFromZero(rng, layer.features));
      ts64.write(layer.beta.value.buf, uniform(rng, layer.features));
      expectGradcheck({ layer, x }, rng);
      layer.dispose();
      x.dispose();
    }
    await expectParity((backend, r) => {
      const layer = new BatchNorm(11, { backend });
      backend.write(layer.gamma.value.buf, awayFromZero(r, 11));
      return { layer, x: Tensor.from(backend, [9, 11], uniform(r, 99, -3, 3)) };
    }, 3);
  });

  it('normalizes with batch statistics, keeps PyTorch running statistics, and uses them in inference', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(5);
    const [rows, cols] = [6, 3];
    const data = uniform(rng, rows * cols, -2, 4);
    const x = Tensor.from(ts64, [rows, cols], data);
    const bn = new BatchNorm(cols, { backend: ts64 });
    const y = bn.forward(x, { training: true }).read();
    const { mean, variance } = columnStats(data, rows, cols);
    for (let i = 0; i < rows * cols; i++) {
      const c = i % cols;
      expect(y[i]).toBeCloseTo((data[i] - mean[c]) / Math.sqrt(variance[c] + 1e-5), 10);
    }
    const rm = bn.runningMean.read();
    const rv = bn.runningVar.read();
    for (let c = 0; c < cols; c++) {
      expect(rm[c]).toBeCloseTo(0.1 * mean[c], 12);
      expect(rv[c]).toBeCloseTo(0.9 + 0.1 * variance[c] * (rows / (rows - 1)), 12);
    }
    expect(bn.buffers().map((b) => b.name)).toEqual([`${bn.name}.runningMean`, `${bn.name}.runningVar`]);
    const yi = bn.forward(x, { training: false }).read();
    for (let i = 0; i < rows * cols; i++) {
      const c = i % cols;
      expect(yi[i]).toBeCloseTo((data[i] - rm[c]) / Math.sqrt(rv[c] + 1e-5), 10);
    }
    expect(() => bn.backward(Tensor.zeros(ts64, [rows, cols]))).toThrow(VgpError);
    expectSteadyMemory({ layer: bn, x });
    bn.dispose();
    x.dispose();
  });

  it('rejects a one-row training batch and a wrong width', async () => {
    const { ts64 } = await backends();
    const bn = new BatchNorm(3, { backend: ts64, name: 'bn' });
    const one = Tensor.zeros(ts64, [1, 3]);
    expect(() => bn.forward(one, { training: true })).toThrow(
      'bn: training needs at least 2 rows per batch, got 1',
    );
    const wide = Tensor.zeros(ts64, [4, 5]);
    expect(() => bn.forward(wide, { training: true })).toThrow(ShapeError);
    expect(() => bn.forward(wide, { training: true })).toThrow('bn: input has shape [4, 5], expected [*, 3]');
    bn.dispose();
    one.dispose();
    wide.dispose();
  });
});

describe('LayerNorm', () => {
  it('passes the f64 gradient check and matches on TS f32 and WASM', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(43);
    for (let trial = 0; trial < 3; trial++) {
      const shape =
        trial === 2 ? [between(rng, 1, 3), 2, between(rng, 2, 5)] : [between(rng, 1, 5), between(rng, 2, 6)];
      const x = Tensor.from(
        ts64,
        shape,
        uniform(
          rng,
          shape.reduce((a, b) => a * b),
          -2,
          2,
        ),
      );
      const layer = new LayerNorm(shape[shape.length - 1], { backend: ts64 });
      ts64.write(layer.gamma.value.buf, awayFromZero(rng, layer.features));
      ts64.write(layer.beta.value.buf, uniform(rng, layer.features));
      expectGradcheck({ layer, x }, rng);
      layer.dispose();
      x.dispose();
    }
    await expectParity((backend, r) => {
      const layer = new LayerNorm(13, { backend });
      backend.write(layer.gamma.value.buf, awayFromZero(r, 13));
      return { layer, x: Tensor.from(backend, [5, 13], uniform(r, 65, -3, 3)) };
    }, 4);
  });

  it('normalizes each row and allocates nothing in steady state', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(6);
    const data = uniform(rng, 12, -1, 3);
    const x = Tensor.from(ts64, [3, 4], data);
    const ln = new LayerNorm(4, { backend: ts64 });
    const y = ln.forward(x, { training: false }).read();
    const t = columnStats(
      Array.from({ length: 12 }, (_, i) => data[(i % 3) * 4 + Math.floor(i / 3)]),
      4,
      3,
    );
    for (let i = 0; i < 12; i++) {
      const r = Math.floor(i / 4);
      expect(y[i]).toBeCloseTo((data[i] - t.mean[r]) / Math.sqrt(t.variance[r] + 1e-5), 10);
    }
    expectSteadyMemory({ layer: ln, x });
    ln.dispose();
    x.dispose();
  });
});
