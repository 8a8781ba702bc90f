import { ConfigError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { CLIFF_GRID, cliffDescent, cliffGrid, cliffPoint, oneUnitNet } from '../../src/cliff/index.js';

const net = oneUnitNet();

describe('the one-unit net of Pascanu et al. 2013', () => {
  it('computes x_T by iterating x_t = w sigmoid(x_{t-1}) + b', () => {
    // T = 2 by hand: x1 = w s(0.5) + b, x2 = w s(x1) + b.
    const s = (x: number) => 1 / (1 + Math.exp(-x));
    const x1 = 3 * s(0.5) - 1;
    const x2 = 3 * s(x1) - 1;
    const p = cliffPoint(3, -1, oneUnitNet({ T: 2 }));
    expect(p.xT).toBeCloseTo(x2, 14);
    expect(p.loss).toBeCloseTo((x2 - 0.7) ** 2, 14);
  });

  it('gives the exact gradient: central finite differences agree to 1e-6 relative away from the wall', () => {
    const grid = cliffGrid({ w: [-2, 12], b: [-6, 2], nw: 29, nb: 17 });
    const h = 1e-6;
    let checked = 0;
    let worst = 0;
    for (const w of grid.w) {
      for (const b of grid.b) {
        const p = cliffPoint(w, b, net);
        // Away from the wall (a gradient far above the typical one) and from the minimum (where a
        // relative error of a near-zero gradient means nothing).
        if (!(p.gradNorm < 20 * grid.medianGradNorm && p.gradNorm > 1e-3)) continue;
        const fw = (cliffPoint(w + h, b, net).loss - cliffPoint(w - h, b, net).loss) / (2 * h);
        const fb = (cliffPoint(w, b + h, net).loss - cliffPoint(w, b - h, net).loss) / (2 * h);
        const rel = Math.hypot(fw - p.gw, fb - p.gb) / p.gradNorm;
        worst = Math.max(worst, rel);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
    expect(worst).toBeLessThan(1e-6);
  });

  it('the finite differences see the gradient change by orders of magnitude across the wall', () => {
    // The test above would pass for a gradient that is wrong only near the wall; here the exact
    // gradient on the wall still matches a finer central difference.
    const p = cliffPoint(4.9, -2.55, net);
    const h = 1e-8;
    const fw = (cliffPoint(4.9 + h, -2.55, net).loss - cliffPoint(4.9 - h, -2.55, net).loss) / (2 * h);
    expect(p.gradNorm).toBeGreaterThan(500);
    expect(Math.abs(fw - p.gw) / Math.abs(p.gw)).toBeLessThan(1e-4);
  });
});

describe('cliffGrid over w in [-2, 12] x b in [-6, 2], 281 x 161, T = 50', () => {
  const grid = cliffGrid(CLIFF_GRID);

  it('samples the rectangle with both ends included', () => {
    expect(grid.w.length).toBe(281);
    expect(grid.b.length).toBe(161);
    expect(grid.w[0]).toBe(-2);
    expect(grid.w[280]).toBe(12);
    expect(grid.b[160]).toBe(2);
    expect(grid.w[138]).toBeCloseTo(4.9, 12);
    expect(grid.gradNorm.length).toBe(281 * 161);
  });

  it('peaks on the wall near (4.9, -2.55) at about 860, against a median of about 11.6', () => {
    expect(Math.abs(grid.peak.w - 4.9)).toBeLessThanOrEqual(0.3);
    expect(Math.abs(grid.peak.b + 2.55)).toBeLessThanOrEqual(0.3);
    expect(grid.peak.gradNorm).toBeGreaterThan(800);
    expect(grid.peak.gradNorm).toBeLessThan(920);
    expect(grid.medianGradNorm).toBeGreaterThan(11);
    expect(grid.medianGradNorm).toBeLessThan(12.2);
    // The stored value at the peak's index is the reported one.
    const i = grid.w.indexOf(grid.peak.w);
    const j = grid.b.indexOf(grid.peak.b);
    expect(grid.gradNorm[j * 281 + i]).toBe(grid.peak.gradNorm);
    expect(Math.max(...grid.gradNorm)).toBe(grid.peak.gradNorm);
  });

  it('rejects a bad grid with a message naming the field', () => {
    expect(() => cliffGrid({ w: [1, 0], b: [0, 1], nw: 3, nb: 3 })).toThrow(ConfigError);
    expect(() => cliffGrid({ w: [0, 1], b: [0, 1], nw: 1, nb: 3 })).toThrow(/NW must be an integer/);
    expect(() => cliffGrid(CLIFF_GRID, { T: 0 })).toThrow(/T must be an integer >= 1/);
  });
});

describe('cliffDescent from (6, -3), lr 0.05, 400 steps', () => {
  const plain = cliffDescent({ start: [6, -3], lr: 0.05, steps: 400 });
  const clipped = cliffDescent({ start: [6, -3], lr: 0.05, steps: 400, clip: 1 });

  it('without clipping hits the wall and is thrown: its largest step is >= 10x the clipped one', () => {
    expect(plain.stepSizes.length).toBe(400);
    expect(plain.w.length).toBe(401);
    expect(plain.largestStep).toBeGreaterThan(0.9);
    expect(plain.largestStep).toBeLessThan(1.1);
    expect(clipped.largestStep).toBeLessThanOrEqual(0.05 + 1e-12);
    expect(clipped.largestStep).toBeGreaterThan(0.049);
    expect(plain.largestStep).toBeGreaterThanOrEqual(10 * clipped.largestStep);
    // The jump happens where the gradient is large: on the wall.
    expect(plain.gradNorm[plain.largestStepAt - 1]).toBeGreaterThan(15);
  });

  it('records each update as the difference of consecutive points', () => {
    for (const t of [plain, clipped]) {
      for (let k = 0; k < t.stepSizes.length; k += 37) {
        const d = Math.hypot(
          (t.w[k + 1] as number) - (t.w[k] as number),
          (t.b[k + 1] as number) - (t.b[k] as number),
        );
        expect(d).toBeCloseTo(t.stepSizes[k] as number, 12);
      }
      expect(t.finalLoss).toBe(t.loss[t.loss.length - 1]);
    }
  });

  it('both descend: the final loss is below the start', () => {
    expect(plain.finalLoss).toBeLessThan(plain.loss[0] as number);
    expect(clipped.finalLoss).toBeLessThan(clipped.loss[0] as number);
  });

  it('rejects bad options', () => {
    expect(() => cliffDescent({ lr: 0 })).toThrow(/lr must be a number > 0/);
    expect(() => cliffDescent({ clip: -1 })).toThrow(/clip must be a number > 0/);
    expect(() => cliffDescent({ steps: 1.5 })).toThrow(/steps must be an integer/);
    expect(() => cliffDescent({ start: [Number.NaN, 0] })).toThrow(/start must be two finite/);
  });
});
