import { describe, expect, it } from 'vitest';
import { OutOfMemoryError, ShapeError, VgpError } from '../src/errors.js';
import { WasmBackend } from '../src/wasm-backend.js';

const MiB = 2 ** 20;
const ramp = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => k + i * 0.25);

describe('WasmBackend memory', () => {
  it('keeps every buffer and kernel result right across a memory.grow in the middle of use', async () => {
    const be = await WasmBackend.create({ build: 'debug' });
    const sizes = [1, 3, 17, 64, 1031];
    const bufs = sizes.map((n) => be.alloc(n));
    for (const [k, b] of bufs.entries()) be.write(b, ramp(b.length, k));
    const before = be.memoryBytes();
    const snapshot = be.read(bufs[4]); // a copy taken before the grow must survive it
    // 8 Mi floats = 32 MiB, far past the initial memory: the allocator has to grow it.
    const big = be.alloc(8 * MiB);
    expect(be.memoryBytes()).toBeGreaterThan(before + 32 * MiB - 1);
    for (const [k, b] of bufs.entries()) expect(be.read(b)).toEqual(ramp(b.length, k));
    expect(snapshot).toEqual(ramp(1031, 4));
    // A kernel on pre-grow buffers, and writes and reads through the re-derived view.
    be.axpby(2, bufs[3], 1, be.view(bufs[4], 0, 64));
    const want = ramp(1031, 4).map((v, i) => (i < 64 ? v + 2 * (3 + i * 0.25) : v));
    expect(be.read(bufs[4])).toEqual(want);
    be.fill(big, 0.5);
    expect(be.sum(big)).toBe(4 * MiB);
    be.write(bufs[0], [42]);
    expect(be.read(bufs[0])).toEqual(Float32Array.of(42));
    be.free(big);
    for (const b of bufs) be.free(b);
  });

  it('returns to the same memory size over 10,000 alloc/compute/free rounds after warm-up', async () => {
    const be = await WasmBackend.create({ build: 'simd' });
    const round = (r: number) => {
      const n = 1 + ((r * 37) % 509);
      const x = be.alloc(n);
      const y = be.alloc(n + 3);
      be.fill(x, 1);
      be.scale(x, 2);
      const s = be.sum(x);
      be.free(y);
      be.free(x);
      return s === 2 * n;
    };
    for (let r = 0; r < 600; r++) round(r);
    const warm = be.memoryBytes();
    let ok = 0;
    for (let r = 0; r < 10_000; r++) if (round(r)) ok++;
    expect(ok).toBe(10_000);
    expect(be.memoryBytes()).toBe(warm);
  });

  it('zero-fills fresh buffers, even on reused blocks', async () => {
    const be = await WasmBackend.create({ build: 'debug' });
    const a = be.alloc(100);
    be.fill(a, Number.NaN);
    be.free(a);
    const b = be.alloc(100);
    expect(be.countNonFinite(b)).toBe(0);
    expect(be.sumSquares(b)).toBe(0);
    expect(be.alloc(0).length).toBe(0);
  });

  it('read returns a copy; write checks the length', async () => {
    const be = await WasmBackend.create({ build: 'debug' });
    const a = be.alloc(5);
    be.write(a, [1, 2, 3, 4, 5]);
    const copy = be.read(a);
    copy[0] = 99;
    be.scale(a, 2);
    expect(copy).toEqual(Float32Array.of(99, 2, 3, 4, 5));
    expect(be.read(a)).toEqual(Float32Array.of(2, 4, 6, 8, 10));
    expect(() => be.write(a, [1, 2])).toThrow(ShapeError);
  });
});

describe('WasmBackend views', () => {
  it('share memory with the parent, both ways, and kernels touch only the window', async () => {
    const be = await WasmBackend.create({ build: 'debug' });
    const p = be.alloc(10);
    be.write(p, ramp(10, 0));
    const v = be.view(p, 3, 5);
    expect(v.length).toBe(5);
    expect(be.read(v)).toEqual(ramp(10, 0).subarray(3, 8));
    be.scale(v, -1); // SIMD body of 4 plus a tail of 1, on an address that is not 16-byte aligned
    const want = ramp(10, 0).map((x, i) => (i >= 3 && i < 8 ? -x : x));
    expect(be.read(p)).toEqual(want);
    be.write(p, new Float32Array(10).fill(7));
    expect(be.read(v)).toEqual(new Float32Array(5).fill(7));
    const vv = be.view(v, 1, 2); // a view of a view is offset from the original parent
    be.write(vv, [1, 2]);
    expect(be.read(p)[4]).toBe(1);
    expect(be.read(p)[5]).toBe(2);
    expect(be.view(p, 10, 0).length).toBe(0);
  });

  it('reject windows that do not fit', async () => {
    const be = await WasmBackend.create({ build: 'debug' });
    const p = be.alloc(10);
    expect(() => be.view(p, 8, 3)).toThrow(ShapeError);
    expect(() => be.view(p, -1, 2)).toThrow(ShapeError);
    expect(() => be.view(p, 1.5, 2)).toThrow(ShapeError);
  });
});

describe('WasmBackend free errors', () => {
  it('throws VgpError on freeing a view, freeing twice, use after free and foreign buffers', async () => {
    const be = await WasmBackend.create({ build: 'debug' });
    const other = await WasmBackend.create({ build: 'debug' });
    const p = be.alloc(8);
    const v = be.view(p, 0, 4);
    expect(() => be.free(v)).toThrow(VgpError);
    be.free(p);
    expect(() => be.free(p)).toThrow(/freed twice/);
    expect(() => be.read(p)).toThrow(/after free/);
    expect(() => be.read(v)).toThrow(/after free/);
    // The freed block is reused by the next allocation of that size; the stale handle stays dead.
    const q = be.alloc(8);
    expect(() => be.free(p)).toThrow(VgpError);
    be.write(q, ramp(8, 1));
    expect(be.read(q)).toEqual(ramp(8, 1));
    const foreign = other.alloc(8);
    expect(() => be.read(foreign)).toThrow(/another backend/);
    expect(() => be.free(foreign)).toThrow(VgpError);
    expect(() => be.alloc(-1)).toThrow(VgpError);
    be.dispose();
    expect(() => be.alloc(1)).toThrow(/dispose/);
  });
});

describe('WasmBackend length checks', () => {
  it('rejects buffers shorter than the sizes say, before the kernel can touch memory', async () => {
    const be = await WasmBackend.create({ build: 'debug' });
    const a = be.alloc(6);
    const b = be.alloc(6);
    const c = be.alloc(3); // 2 x 2 would need 4
    const guard = be.alloc(4); // likely the next block: a kernel overrunning c would write here
    be.fill(c, 7);
    be.fill(guard, 9);
    expect(() => be.gemm(false, false, 2, 2, 3, 1, a, b, 0, c)).toThrow(/gemm: c has 3 floats but needs 4/);
    expect(() => be.gemm(false, false, -2, -2, 3, 1, a, b, 0, c)).toThrow(ShapeError);
    expect(() => be.biasAdd(a, c, 2, 4)).toThrow(/biasAdd: y has 6 floats but needs 8/);
    expect(() => be.layerNormForward(a, 1, 6, c, c, 1e-5, b, c, c)).toThrow(/layerNormForward: gamma/);
    expect(() => be.lstmCellForward(a, c, 1, 2, c, c)).toThrow(
      /lstmCellForward: gates has 6 floats but needs 8/,
    );
    expect(() => be.mul(a, c, b)).toThrow(/mul: b has 3 floats but needs 6/);
    expect(be.read(c)).toEqual(new Float32Array(3).fill(7));
    expect(be.read(guard)).toEqual(new Float32Array(4).fill(9));
    // Longer buffers than needed are fine (a kernel may work on a prefix).
    be.gemm(false, false, 1, 1, 3, 1, a, b, 0, c);
    expect(be.read(c)[0]).toBe(0);
  });
});

describe('WasmBackend out of memory', () => {
  it('throws OutOfMemoryError when memory cannot grow, and stays usable', async () => {
    const be = await WasmBackend.create({ build: 'simd', maxMemoryBytes: 16 * MiB });
    const keep = be.alloc(1000);
    be.write(keep, ramp(1000, 3));
    expect(() => be.alloc(8 * MiB)).toThrow(OutOfMemoryError); // 32 MiB past a 16 MiB cap
    // Fill the heap 1 MiB at a time until it refuses, then give it all back and do it again.
    const chunks = [];
    let err: unknown;
    try {
      for (;;) chunks.push(be.alloc(MiB / 4));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutOfMemoryError);
    expect(String((err as Error).message)).toMatch(/free unused buffers/);
    expect(chunks.length).toBeGreaterThan(10);
    expect(be.memoryBytes()).toBeLessThanOrEqual(16 * MiB);
    for (const c of chunks) be.free(c);
    const again = be.alloc(MiB / 4);
    be.fill(again, 2);
    expect(be.sum(again)).toBe(MiB / 2);
    expect(be.read(keep)).toEqual(ramp(1000, 3));
  });

  it('throws OutOfMemoryError past the wasm32 4 GiB limit and for blocks the allocator cannot hold', async () => {
    const be = await WasmBackend.create({ build: 'simd' });
    expect(() => be.alloc(2 ** 30)).toThrow(OutOfMemoryError); // 4 GiB: never addressable
    expect(() => be.alloc(300 * MiB)).toThrow(OutOfMemoryError); // 1.2 GiB: past the TLSF block limit
    expect(be.memoryBytes()).toBeLessThan(64 * MiB); // refused before growing
    const x = be.alloc(3);
    be.write(x, [1, -2, 3]);
    expect(be.maxAbs(x)).toBe(3);
  });
});
