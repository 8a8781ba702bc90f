import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend.js';
import { ConfigError, ShapeError, VgpError } from '../../src/errors.js';
import { ALL_BACKENDS } from '../properties/backends.js';

// The buffer rules of the Backend interface, the same on every backend (nn code relies on them).
describe.each(ALL_BACKENDS)('memory contract on $label', ({ make }) => {
  let be: Backend;
  beforeAll(async () => {
    be = await make();
  });

  it('alloc zero-fills and read returns a copy', () => {
    const b = be.alloc(17);
    expect(Array.from(be.read(b))).toEqual(new Array(17).fill(0));
    be.write(
      b,
      Array.from({ length: 17 }, (_, i) => i),
    );
    const copy = be.read(b);
    copy[3] = -1;
    expect(be.read(b)[3]).toBe(3);
    be.free(b);
  });

  it('alloc refuses a negative or fractional length with a ConfigError', () => {
    expect(() => be.alloc(-1)).toThrow(ConfigError);
    expect(() => be.alloc(2.5)).toThrow(ConfigError);
  });

  it('write checks the length with a ShapeError that names the right one', () => {
    const b = be.alloc(5);
    expect(() => be.write(b, [1, 2, 3])).toThrow(ShapeError);
    expect(() => be.write(b, [1, 2, 3])).toThrow(/exactly 5/);
    be.free(b);
  });

  it('views share memory, must fit, and cannot be freed; freeing twice throws', () => {
    const b = be.alloc(10);
    const v = be.view(b, 3, 4);
    be.fill(v, 2);
    expect(Array.from(be.read(b))).toEqual([0, 0, 0, 2, 2, 2, 2, 0, 0, 0]);
    const vv = be.view(v, 1, 2);
    be.scale(vv, 3);
    expect(Array.from(be.read(b))).toEqual([0, 0, 0, 2, 6, 6, 2, 0, 0, 0]);
    expect(() => be.view(b, 8, 3)).toThrow(ShapeError);
    expect(() => be.free(v)).toThrow(VgpError);
    be.free(b);
    expect(() => be.free(b)).toThrow(VgpError);
    expect(() => be.read(v)).toThrow(VgpError);
  });

  it('refuses buffers of another backend instance', async () => {
    const other = await make();
    const b = other.alloc(3);
    expect(() => be.read(b)).toThrow(VgpError);
    other.dispose();
  });

  it('empty buffers work with every reduction', () => {
    const e = be.alloc(0);
    expect([be.sum(e), be.sumSquares(e), be.maxAbs(e), be.countNonFinite(e), be.countNearZero(e, 1)]).toEqual(
      [0, 0, 0, 0, 0],
    );
    be.free(e);
  });
});
