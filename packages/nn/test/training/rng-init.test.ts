import { ConfigError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { INITIALIZERS, initValues, Rng } from '../../src/index.js';

const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextU32());

describe('Rng (xoshiro128**)', () => {
  it('is a pure function of the seed', () => {
    expect(draw(new Rng(42), 8)).toEqual(draw(new Rng(42), 8));
    expect(draw(new Rng(42), 8)).not.toEqual(draw(new Rng(43), 8));
  });

  it('matches xoshiro128** stepped by hand from its state after splitmix32 seeding', () => {
    // splitmix32 of seed 0: x += 0x9e3779b9 and the murmur3-style finalizer, four times.
    const splitmix = (() => {
      let x = 0;
      return () => {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
        return (z ^ (z >>> 16)) >>> 0;
      };
    })();
    let [s0, s1, s2, s3] = [splitmix(), splitmix(), splitmix(), splitmix()];
    const rotl = (v: number, k: number) => ((v << k) | (v >>> (32 - k))) >>> 0;
    const want: number[] = [];
    for (let i = 0; i < 5; i++) {
      // result = rotl(s1 * 5, 7) * 9; then the xorshift state update of Blackman & Vigna.
      want.push(Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0);
      const t = (s1 << 9) >>> 0;
      s2 = (s2 ^ s0) >>> 0;
      s3 = (s3 ^ s1) >>> 0;
      s1 = (s1 ^ s2) >>> 0;
      s0 = (s0 ^ s3) >>> 0;
      s2 = (s2 ^ t) >>> 0;
      s3 = rotl(s3, 11);
    }
    expect(draw(new Rng(0), 5)).toEqual(want);
  });

  it('fork gives independent named streams that do not depend on how much the parent drew', () => {
    const a = new Rng(7);
    const dataBefore = draw(a.fork('data'), 4);
    draw(a, 100);
    expect(draw(a.fork('data'), 4)).toEqual(dataBefore);
    expect(draw(a.fork('init'), 4)).not.toEqual(dataBefore);
    expect(draw(new Rng(8).fork('data'), 4)).not.toEqual(dataBefore);
    // Chained names are not concatenated names, and the empty name is not the parent.
    expect(draw(a.fork('da').fork('ta'), 4)).not.toEqual(dataBefore);
    expect(draw(a.fork(''), 4)).not.toEqual(draw(new Rng(7), 4));
  });

  it('uniform is in [0, 1) with mean 1/2; normal has mean 0 and variance 1', () => {
    const rng = new Rng(1);
    const n = 20000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      su += u;
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
    }
    // Tolerances are ~5 standard errors.
    expect(Math.abs(su / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sn / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('permutation and shuffle are permutations; int stays in range', () => {
    const rng = new Rng(3);
    const p = rng.permutation(100);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...p]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    const s = rng.shuffle(['a', 'b', 'c', 'd']);
    expect([...s].sort()).toEqual(['a', 'b', 'c', 'd']);
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
  });

  it('rejects a non-integer seed', () => {
    expect(() => new Rng(1.5)).toThrow(ConfigError);
  });
});

describe('initValues', () => {
  const std = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);

  it('scales by fan-in/fan-out as Glorot, He and LeCun prescribe', () => {
    const rng = new Rng(5);
    const [fi, fo] = [200, 100];
    // A uniform on [-b, b) has std b / sqrt(3).
    expect(std(initValues('glorotUniform', fi, fo, rng))).toBeCloseTo(Math.sqrt(2 / (fi + fo)), 2);
    expect(std(initValues('glorotNormal', fi, fo, rng))).toBeCloseTo(Math.sqrt(2 / (fi + fo)), 2);
    expect(std(initValues('heUniform', fi, fo, rng))).toBeCloseTo(Math.sqrt(2 / fi), 2);
    expect(std(initValues('heNormal', fi, fo, rng))).toBeCloseTo(Math.sqrt(2 / fi), 2);
    expect(std(initValues('lecunNormal', fi, fo, rng))).toBeCloseTo(Math.sqrt(1 / fi), 2);
    expect(std(initValues({ kind: 'normal', scale: 0.3 }, fi, fo, rng))).toBeCloseTo(0.3, 1);
    expect([...initValues({ kind: 'constant', value: 2 }, 2, 2, rng)]).toEqual([2, 2, 2, 2]);
  });

  it('orthogonal gives orthonormal columns (tall) or rows (wide), times the gain', () => {
    const rng = new Rng(6);
    for (const [r, c] of [
      [6, 3],
      [3, 6],
    ]) {
      const m = initValues({ kind: 'orthogonal', gain: 2 }, r, c, rng);
      const vecs = Math.min(r, c);
      for (let a = 0; a < vecs; a++) {
        for (let b = 0; b < vecs; b++) {
          let dot = 0;
          for (let k = 0; k < Math.max(r, c); k++) {
            dot += r >= c ? m[k * c + a] * m[k * c + b] : m[a * c + k] * m[b * c + k];
          }
          expect(dot).toBeCloseTo(a === b ? 4 : 0, 10);
        }
      }
    }
  });

  it('rejects an unknown initializer with the list of valid ones', () => {
    expect(() => initValues('kaiming' as never, 2, 2, new Rng(1))).toThrow(
      `unknown initializer 'kaiming'; use one of ${INITIALIZERS.join(', ')}`,
    );
  });
});
