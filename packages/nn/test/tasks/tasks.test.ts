import { ConfigError, ShapeError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import {
  addingProblem,
  COPY_CLASSES,
  copyTask,
  DataError,
  sampleCount,
  subset,
  TOY_2D_TASKS,
  toy2d,
  validateDataset,
} from '../../src/index.js';

describe('2-D classification tasks', () => {
  it.each(TOY_2D_TASKS)('%s: shapes, balanced 0/1 labels, bounded points, deterministic by seed', (task) => {
    const d = toy2d(task, { n: 400, noise: 0.05, seed: 7 });
    expect(d.xShape).toEqual([400, 2]);
    expect(d.yShape).toEqual([400, 1]);
    expect(d.classes).toBe(2);
    validateDataset(d);
    expect(d.y.reduce((s, v) => s + v, 0)).toBe(200);
    for (const v of d.x) expect(Math.abs(v)).toBeLessThan(2.5);
    const again = toy2d(task, { n: 400, noise: 0.05, seed: 7 });
    expect(again.x).toEqual(d.x);
    expect(again.y).toEqual(d.y);
    const other = toy2d(task, { n: 400, noise: 0.05, seed: 8 });
    expect(other.x).not.toEqual(d.x);
  });

  it('the generators draw the shapes they are named for (noise 0)', () => {
    const radius = (x: Float32Array, i: number) => Math.hypot(x[2 * i], x[2 * i + 1]);
    const c = toy2d('circles', { n: 200, seed: 1 });
    for (let i = 0; i < 200; i++) {
      const r = radius(c.x, i);
      if (c.y[i] === 1) expect(r).toBeLessThan(0.5);
      else expect(r).toBeGreaterThanOrEqual(0.7 - 1e-6);
    }
    const x = toy2d('xor', { n: 200, seed: 1 });
    for (let i = 0; i < 200; i++) expect(x.x[2 * i] * x.x[2 * i + 1] > 0 ? 1 : 0).toBe(x.y[i]);
    const g = toy2d('gaussians', { n: 400, seed: 1 });
    let agree = 0;
    for (let i = 0; i < 400; i++) agree += (g.x[2 * i] + g.x[2 * i + 1] > 0 ? 1 : 0) === g.y[i] ? 1 : 0;
    // The blobs are 1.41 apart along the diagonal with std 0.25 each: nearly all on their side.
    expect(agree / 400).toBeGreaterThan(0.99);
    const s = toy2d('spiral', { n: 200, seed: 1 });
    for (let i = 0; i < 200; i++) expect(radius(s.x, i)).toBeLessThan(1);
  });

  it('rejects bad options with a ConfigError naming the field', () => {
    expect(() => toy2d('moons', { n: 0, seed: 1 })).toThrow(/moons: n must be a positive integer/);
    expect(() => toy2d('moons', { n: 10, noise: -1, seed: 1 })).toThrow(
      /moons: noise must be a finite number >= 0/,
    );
    expect(() => toy2d('moons', { n: 10, seed: 0.5 })).toThrow(ConfigError);
    expect(() => toy2d('swirl' as never, { n: 10, seed: 1 })).toThrow(/unknown 2-D task 'swirl'/);
  });
});

describe('sequence tasks', () => {
  it('adding problem: two markers, one per half, target the sum of the marked values', () => {
    const T = 60;
    const n = 50;
    const d = addingProblem({ n, length: T, seed: 3 });
    expect(d.xShape).toEqual([T, n, 2]);
    expect(d.yShape).toEqual([n, 1]);
    validateDataset(d);
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const marks: number[] = [];
      let sum = 0;
      for (let t = 0; t < T; t++) {
        const v = d.x[(t * n + i) * 2];
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(1);
        if (d.x[(t * n + i) * 2 + 1] === 1) {
          marks.push(t);
          sum += v;
        } else expect(d.x[(t * n + i) * 2 + 1]).toBe(0);
      }
      expect(marks).toHaveLength(2);
      expect(marks[0]).toBeLessThan(T / 2);
      expect(marks[1]).toBeGreaterThanOrEqual(T / 2);
      expect(d.y[i]).toBeCloseTo(sum, 6);
      sq += (d.y[i] - 1) ** 2;
    }
    // Predicting the constant 1 scores about var(U + U) = 1/6.
    expect(sq / n).toBeGreaterThan(0.1);
    expect(sq / n).toBeLessThan(0.25);
  });

  it('copy task: symbols, blanks, the cue, and the symbols recalled after the delay', () => {
    const T = 12;
    const S = 4;
    const n = 3;
    const d = copyTask({ n, length: T, symbols: S, seed: 5 });
    const steps = T + 2 * S;
    expect(d.xShape).toEqual([steps, n, COPY_CLASSES]);
    expect(d.yShape).toEqual([steps, n, 1]);
    validateDataset(d);
    const symbolAt = (t: number, i: number) => {
      const row = d.x.subarray((t * n + i) * COPY_CLASSES, (t * n + i + 1) * COPY_CLASSES);
      expect(row.reduce((s, v) => s + v, 0)).toBe(1);
      return row.indexOf(1);
    };
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < steps; t++) {
        const s = symbolAt(t, i);
        if (t < S) {
          expect(s).toBeGreaterThanOrEqual(1);
          expect(s).toBeLessThanOrEqual(8);
          expect(d.y[(T + S + t) * n + i]).toBe(s);
        } else expect(s).toBe(t === T + S - 1 ? 9 : 0);
        if (t < T + S) expect(d.y[t * n + i]).toBe(0);
      }
    }
  });

  it('rejects a bad length', () => {
    expect(() => addingProblem({ n: 4, length: 1, seed: 1 })).toThrow(
      /adding: length must be an integer >= 2/,
    );
    expect(() => copyTask({ n: 4, length: 0, seed: 1 })).toThrow(/copy: length must be an integer >= 1/);
  });
});

describe('data validation', () => {
  const good = () => toy2d('xor', { n: 6, seed: 1 });

  it('a NaN or Infinity in the inputs throws a DataError naming the data set and the sample', () => {
    const d = good();
    d.x[7] = Number.NaN;
    expect(() => validateDataset(d)).toThrow(DataError);
    expect(() => validateDataset(d)).toThrow(/data set 'xor': input of sample 3 \(feature 1\) is NaN/);
    const seq = addingProblem({ n: 4, length: 5, seed: 1 });
    seq.x[(2 * 4 + 1) * 2] = Number.POSITIVE_INFINITY;
    expect(() => validateDataset(seq)).toThrow(/input of sample 1 at time 2 \(feature 0\) is Infinity/);
  });

  it('label count not matching the input count throws a DataError', () => {
    const d = good();
    const wrong = { ...d, y: d.y.subarray(0, 5), yShape: [5, 1] };
    expect(() => validateDataset(wrong)).toThrow(DataError);
    expect(() => validateDataset(wrong)).toThrow(
      /6 inputs but 5 targets\/labels; give exactly one target per input/,
    );
  });

  it('a label outside the classes throws; a shape that does not fit the array throws a ShapeError', () => {
    const d = good();
    d.y[2] = 2;
    expect(() => validateDataset(d)).toThrow(
      /label of sample 2 \(feature 0\) is 2; labels must be integers in \[0, 2\)/,
    );
    const e = good();
    expect(() => validateDataset({ ...e, xShape: [6, 3] })).toThrow(ShapeError);
    expect(() => validateDataset({ ...e, xShape: [12] })).toThrow(
      /x has rank 1.*use \[n, features\] or \[time, n, features\]/,
    );
  });

  it('subset keeps the chosen samples, along axis 1 for sequences', () => {
    const seq = addingProblem({ n: 5, length: 4, seed: 2 });
    const s = subset(seq, [4, 1]);
    expect(s.xShape).toEqual([4, 2, 2]);
    expect(sampleCount(s)).toBe(2);
    for (let t = 0; t < 4; t++) {
      expect(s.x[(t * 2 + 0) * 2]).toBe(seq.x[(t * 5 + 4) * 2]);
      expect(s.x[(t * 2 + 1) * 2 + 1]).toBe(seq.x[(t * 5 + 1) * 2 + 1]);
    }
    expect([...s.y]).toEqual([seq.y[4], seq.y[1]]);
  });
});
