// Flush to zero (issue 17): the kernels that produce gradients and states store results below
// float32's smallest normal as +0 on every f32 backend (WASM builds and the TS twin alike), keep
// IEEE subnormals with `flushSubnormals: false`, and float64 never flushes. Each case below feeds a
// kernel inputs whose exact results are ~5e-39 (subnormal in f32) beside ordinary ones, on the SIMD
// lanes and on the scalar tails (sizes that are not multiples of 4).
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { type Backend, F32_MIN_NORMAL, type Floats } from '../src/backend.js';
import { createBackend } from '../src/create-backend.js';
import { ConfigError } from '../src/errors.js';
import { TsBackend } from '../src/ts-backend.js';
import { WasmBackend } from '../src/wasm-backend.js';

// The relaxed build needs this flag on Node 20; vitest gives each test file its own process.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

/** 1e-38 rounded to f32: a normal input whose halves (5e-39) are subnormal. */
const EDGE = Math.fround(1e-38);
/** A subnormal input. */
const SUB = Math.fround(1e-40);

interface FlushCase {
  name: string;
  /** Runs the kernel and returns the outputs that flush (concatenated). */
  run(be: Backend): number[];
}

const put = (be: Backend, xs: number[]) => {
  const b = be.alloc(xs.length);
  be.write(b, xs);
  return b;
};
const read = (be: Backend, ...bufs: Parameters<Backend['read']>[0][]) =>
  bufs.flatMap((b) => Array.from(be.read(b) as Floats));
/** n values alternating between `tiny` and `normal`. */
const mixed = (n: number, tiny: number, normal: number) =>
  Array.from({ length: n }, (_, i) => (i % 2 === 0 ? tiny : normal));

const CASES: FlushCase[] = [
  {
    // 1e-20 * 1e-20 summed 3 times: 3e-40; one 4x8 tile through the full path, the rest edges.
    name: 'gemm',
    run(be) {
      const [m, n, k] = [5, 9, 3];
      const a = put(be, mixed(m * k, 1e-20, 0.5));
      const b = put(be, Array(k * n).fill(Math.fround(1e-20)));
      const c = be.alloc(m * n);
      be.gemm(false, false, m, n, k, 1, a, b, 0, c);
      const scaled = put(be, [1e-30, 1, 1e-30]);
      be.gemm(false, false, 1, 3, 0, 1, a, b, Math.fround(1e-10), scaled); // k = 0: C = beta*C
      return read(be, c, scaled);
    },
  },
  ...(['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'selu', 'gelu', 'softplus', 'swish'] as const).map(
    (kind): FlushCase => ({
      name: `activationGrad ${kind}`,
      run(be) {
        const x = put(be, Array(7).fill(1));
        const y = be.alloc(7);
        be.activation(kind, x, y, 0.5);
        const dx = be.alloc(7);
        be.activationGrad(kind, x, y, put(be, mixed(7, SUB, 1)), dx, 0.5);
        return read(be, dx);
      },
    }),
  ),
  {
    name: 'biasGrad',
    run(be) {
      const db = be.alloc(5);
      // Columns 0, 2, 4 sum two subnormals, columns 1, 3 two ordinary numbers.
      be.biasGrad(put(be, [...mixed(5, SUB, 2), ...mixed(5, SUB, 2)]), 2, 5, 0, db);
      return read(be, db);
    },
  },
  {
    name: 'scale',
    run(be) {
      const x = put(be, mixed(7, EDGE, 1));
      be.scale(x, 0.5);
      return read(be, x);
    },
  },
  {
    // Pre-activations 0: i = f = o = 0.5, g = 0, so c = cPrev/2 and h = tanh(c)/2.
    name: 'lstmCellForward and lstmCellBackward',
    run(be) {
      const [batch, hidden] = [2, 5];
      const s = batch * hidden;
      const gates = be.alloc(4 * s);
      const cPrev = put(be, mixed(s, EDGE, 1));
      const c = be.alloc(s);
      const h = be.alloc(s);
      be.lstmCellForward(gates, cPrev, batch, hidden, c, h);
      const dgates = be.alloc(4 * s);
      const dcPrev = be.alloc(s);
      be.lstmCellBackward(
        gates,
        cPrev,
        c,
        be.alloc(s),
        put(be, mixed(s, EDGE, 1)),
        batch,
        hidden,
        dgates,
        dcPrev,
      );
      return read(be, c, h, dgates, dcPrev);
    },
  },
  {
    // Pre-activations 0: r = z = 0.5, n = 0, so h = hPrev/2 and dhPrev = dh/2.
    name: 'gruCellForward and gruCellBackward',
    run(be) {
      const [batch, hidden] = [2, 5];
      const s = batch * hidden;
      const gx = be.alloc(3 * s);
      const gh = be.alloc(3 * s);
      const hPrev = put(be, mixed(s, EDGE, 1));
      const h = be.alloc(s);
      be.gruCellForward(gx, gh, hPrev, batch, hidden, h);
      const [dgx, dgh, dhPrev] = [be.alloc(3 * s), be.alloc(3 * s), be.alloc(s)];
      be.gruCellBackward(gx, gh, hPrev, put(be, mixed(s, EDGE, 1)), batch, hidden, dgx, dgh, dhPrev);
      return read(be, h, dgx, dgh, dhPrev);
    },
  },
  {
    name: 'batchNormBackward and layerNormBackward',
    run(be) {
      const [rows, cols] = [3, 5];
      const x = put(
        be,
        Array.from({ length: rows * cols }, (_, i) => (i % 7) - 3),
      );
      const gamma = put(be, Array(cols).fill(1));
      const beta = be.alloc(cols);
      const y = be.alloc(rows * cols);
      // Column 0 gets a subnormal gradient, the others ordinary ones that vary by row and column.
      const dy = put(
        be,
        Array.from({ length: rows * cols }, (_, i) => (i % cols === 0 ? SUB : (i % 4) * 0.5 + i * 0.1)),
      );
      const [bm, bs] = [be.alloc(cols), be.alloc(cols)];
      be.batchNormForward(x, rows, cols, gamma, beta, 1e-5, 0.1, be.alloc(cols), be.alloc(cols), y, bm, bs);
      const [dx, dg, db] = [be.alloc(rows * cols), be.alloc(cols), be.alloc(cols)];
      be.batchNormBackward(dy, x, rows, cols, gamma, bm, bs, dx, dg, db);
      const out = read(be, dx, dg, db);
      const [lm, ls] = [be.alloc(rows), be.alloc(rows)];
      be.layerNormForward(x, rows, cols, gamma, beta, 1e-5, y, lm, ls);
      be.layerNormBackward(dy, x, rows, cols, gamma, lm, ls, dx, dg, db);
      return out.concat(read(be, dx, dg, db));
    },
  },
  {
    // A zero gradient: the state decays by the factor 0.5 into the subnormal range.
    name: 'momentumStep, rmspropStep and adamStep state',
    run(be) {
      const n = 7;
      const w = put(be, Array(n).fill(1));
      const g = be.alloc(n);
      const v = put(be, mixed(n, EDGE, 1));
      be.momentumStep(w, g, v, 0.1, 0.5, 0, false);
      const sq = put(be, mixed(n, EDGE, 1));
      be.rmspropStep(w, g, sq, 0.1, 0.5, 1e-8, 0);
      const [m, v2] = [put(be, mixed(n, EDGE, 1)), put(be, mixed(n, EDGE, 1))];
      be.adamStep(w, g, m, v2, 0.1, 0.5, 0.5, 1e-8, 0, 3, false);
      return read(be, v, sq, m, v2);
    },
  },
];

const F32_BACKENDS = [
  { label: 'ts f32', make: (flush?: boolean) => createBackend('ts', { flushSubnormals: flush }) },
  ...(['simd', 'relaxed', 'debug'] as const).map((build) => ({
    label: `wasm ${build}`,
    make: (flush?: boolean) => WasmBackend.create({ build, flushSubnormals: flush }),
  })),
];

const reference = new TsBackend({ precision: 'f64' });
/** Below float32's smallest normal: flushed. */
const tiny = (v: number) => Math.abs(v) < F32_MIN_NORMAL;
/** Clearly inside float32's subnormal range (16 steps of 2^-149 above 0), so IEEE f32 keeps it nonzero. */
const subnormal = (v: number) => Math.abs(v) >= 16 * 2 ** -149 && tiny(v);

describe.each(CASES)('$name', (c) => {
  const want = c.run(reference);
  /** Normwise tolerances, as the parity table's: f32 rounding is relative to the output's scale. */
  const scale = Math.max(...want.map(Math.abs));

  it('has exact results both below and above float32 smallest normal (the case can fail)', () => {
    expect(want.some(subnormal)).toBe(true);
    expect(want.some((v) => Math.abs(v) > 1e-30)).toBe(true);
  });

  it.each(F32_BACKENDS)(
    '$label flushes by default: +0 exactly where the result is subnormal',
    async ({ make }) => {
      const be = await make();
      expect(be.flushSubnormals).toBe(true);
      const got = c.run(be);
      for (let i = 0; i < want.length; i++) {
        if (tiny(want[i])) expect(Object.is(got[i], 0), `[${i}] = ${got[i]}`).toBe(true);
        else expect(Math.abs(got[i] - want[i]), `[${i}]`).toBeLessThanOrEqual(1e-5 * scale);
      }
    },
  );

  it.each(F32_BACKENDS)('$label keeps IEEE subnormals with flushSubnormals: false', async ({ make }) => {
    const be = await make(false);
    expect(be.flushSubnormals).toBe(false);
    const got = c.run(be);
    for (let i = 0; i < want.length; i++) {
      // Subnormals carry fewer digits: a few of their steps (2^-149) of slack.
      const tol = tiny(want[i]) ? 8 * 2 ** -149 + 1e-5 * Math.abs(want[i]) : 1e-5 * scale;
      expect(Math.abs(got[i] - want[i]), `[${i}] = ${got[i]}, want ${want[i]}`).toBeLessThanOrEqual(tol);
      if (subnormal(want[i])) expect(got[i] !== 0 && tiny(got[i]), `[${i}] = ${got[i]}`).toBe(true);
    }
  });
});

describe('flushSubnormals option', () => {
  it('float64 never flushes, and asking it to is a ConfigError naming the option', async () => {
    expect(reference.flushSubnormals).toBe(false);
    expect((await createBackend('ts', { precision: 'f64' })).flushSubnormals).toBe(false);
    await expect(createBackend('ts', { precision: 'f64', flushSubnormals: true })).rejects.toThrow(
      /flushSubnormals applies to f32 only/,
    );
    await expect(createBackend('ts', { precision: 'f64', flushSubnormals: true })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  it('a value that is not a boolean is a ConfigError', async () => {
    const bad = { flushSubnormals: 'yes' as unknown as boolean };
    await expect(createBackend('wasm', bad)).rejects.toThrow(/flushSubnormals must be true or false/);
  });

  it('each WASM backend keeps its own setting (one module instance each)', async () => {
    const on = await createBackend('wasm', { wasmBuild: 'simd' });
    const off = await createBackend('wasm', { wasmBuild: 'simd', flushSubnormals: false });
    const halve = (be: Backend) => {
      const x = put(be, [EDGE]);
      be.scale(x, 0.5);
      return be.read(x)[0];
    };
    expect(halve(on)).toBe(0);
    expect(halve(off)).toBe(Math.fround(EDGE / 2));
    expect(halve(on)).toBe(0);
  });

  it('kernels outside the list keep subnormals: forward activations, mul, axpby, copy', async () => {
    for (const { make } of F32_BACKENDS) {
      const be = await make();
      const y = be.alloc(5);
      be.activation('tanh', put(be, Array(5).fill(SUB)), y, 0);
      expect(Array.from(be.read(y))).toEqual(Array(5).fill(SUB));
      be.mul(put(be, Array(5).fill(EDGE)), put(be, Array(5).fill(0.5)), y);
      expect(be.read(y)[4]).toBe(Math.fround(EDGE / 2));
      be.axpby(0.5, put(be, Array(5).fill(EDGE)), 0, y);
      expect(be.read(y)[4]).toBe(Math.fround(EDGE / 2));
    }
  });
});
