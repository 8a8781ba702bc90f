import { describe, expect, it } from 'vitest';
import { loadMnist, MNIST_SIZE, mnistAll, validateDataset } from '../../src/index.js';

describe('MNIST from the mnist package', () => {
  it('holds the 10,000 real digits, pixels in [0, 1], roughly 1,000 per class', async () => {
    const all = await mnistAll();
    expect(all.xShape).toEqual([MNIST_SIZE, 784]);
    expect(all.classes).toBe(10);
    const counts = new Array(10).fill(0);
    for (const label of all.y) counts[label]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let max = 0;
    let min = 1;
    let ink = 0;
    for (const v of all.x) {
      max = Math.max(max, v);
      min = Math.min(min, v);
      ink += v;
    }
    expect(min).toBe(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.99);
    // Digits are mostly background: mean intensity about 0.13, as in the full MNIST.
    expect(ink / all.x.length).toBeGreaterThan(0.08);
    expect(ink / all.x.length).toBeLessThan(0.2);
  });

  it('splits deterministically by seed into disjoint train and test sets', async () => {
    const a = await loadMnist({ train: 300, test: 100, seed: 1 });
    const b = await loadMnist({ train: 300, test: 100, seed: 1 });
    const c = await loadMnist({ train: 300, test: 100, seed: 2 });
    validateDataset(a.train);
    validateDataset(a.test);
    expect(a.train.xShape).toEqual([300, 784]);
    expect(a.test.yShape).toEqual([100, 1]);
    expect(b.train.x).toEqual(a.train.x);
    expect(b.test.y).toEqual(a.test.y);
    expect(c.train.x).not.toEqual(a.train.x);
    // No image of the test set is also in the training set (compare by content).
    const key = (x: Float32Array, i: number) => x.subarray(i * 784, (i + 1) * 784).join(',');
    const train = new Set(Array.from({ length: 300 }, (_, i) => key(a.train.x, i)));
    for (let i = 0; i < 100; i++) expect(train.has(key(a.test.x, i))).toBe(false);
  });

  it("'rows' layout is [28, n, 28], row t of each image at time t", async () => {
    const flat = await loadMnist({ train: 20, test: 10, seed: 4 });
    const rows = await loadMnist({ train: 20, test: 10, seed: 4, layout: 'rows' });
    expect(rows.train.xShape).toEqual([28, 20, 28]);
    expect(rows.test.y).toEqual(flat.test.y);
    for (const [i, t, c] of [
      [0, 0, 0],
      [3, 14, 9],
      [19, 27, 27],
      [7, 10, 15],
    ]) {
      expect(rows.train.x[(t * 20 + i) * 28 + c]).toBe(flat.train.x[i * 784 + t * 28 + c]);
    }
  });

  it('rejects a split larger than the data', async () => {
    await expect(loadMnist({ train: 9000, test: 2000, seed: 1 })).rejects.toThrow(
      /train \+ test = 11000 exceeds/,
    );
    await expect(loadMnist({ train: 0, seed: 1 })).rejects.toThrow(/mnist: train must be a positive integer/);
  });
});
