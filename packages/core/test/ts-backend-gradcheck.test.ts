import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type Buf } from '../src/backend.js';
import { TsBackend } from '../src/ts-backend.js';
import { Rng } from './parity/helpers.js';

// The reference's backward kernels against central differences of its own forward kernels, in f64:
// parity shows the backends agree; this shows what they agree on is the derivative.

const be = new TsBackend({ precision: 'f64' });
const rng = new Rng(7);
const H = 1e-6;
/** Central differences in f64 with h = 1e-6 are good to ~1e-9 relative; 1e-6 leaves a wide margin. */
const TOL = 1e-6;

const buf = (xs: number[]) => {
  const b = be.alloc(xs.length);
  be.write(b, xs);
  return b;
};
const arr = (b: Buf) => Array.from(be.read(b));

/** d loss / d xs[i] for every i, by central differences. */
function numericGrad(xs: number[], loss: (xs: number[]) => number): number[] {
  return xs.map((_, i) => {
    const up = [...xs];
    const down = [...xs];
    up[i] += H;
    down[i] -= H;
    return (loss(up) - loss(down)) / (2 * H);
  });
}

function expectClose(got: number[], want: number[]) {
  const scale = Math.max(1, ...want.map(Math.abs));
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i] - want[i]), `index ${i}`).toBeLessThan(TOL * scale);
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('TsBackend backward kernels match finite differences of the forward ones', () => {
  it.each(ACTIVATIONS)('activationGrad %s', (kind) => {
    // Away from the kinks at 0, where the derivative is a convention, not a limit.
    const x = rng.normals(40, 3).map((v) => (Math.abs(v) < 0.01 ? 0.5 : v));
    const dy = rng.normals(40);
    const forward = (xs: number[]) => {
      const y = be.alloc(xs.length);
      be.activation(kind, buf(xs), y, 0.3);
      return arr(y);
    };
    const xb = buf(x);
    const y = buf(forward(x));
    const dx = be.alloc(40);
    be.activationGrad(kind, xb, y, buf(dy), dx, 0.3);
    expectClose(
      arr(dx),
      numericGrad(x, (xs) => dot(forward(xs), dy)),
    );
  });

  it('mseLoss, softmaxCrossEntropy and bceWithLogits return their own gradient', () => {
    const [rows, cols] = [3, 5];
    const z = rng.normals(rows * cols, 2);
    // Targets are probabilities (rows sum to 1): softmax - t is the derivative only then.
    const u = rng.uniforms(rows * cols, 0, 1);
    const t = u.map((v, i) => {
      const r = Math.floor(i / cols) * cols;
      return v / u.slice(r, r + cols).reduce((s, w) => s + w, 0);
    });
    const g = be.alloc(rows * cols);
    const losses = [
      (zs: number[]) => be.mseLoss(buf(zs), buf(t), be.alloc(zs.length)),
      (zs: number[]) => be.softmaxCrossEntropy(buf(zs), buf(t), rows, cols, be.alloc(zs.length)),
      (zs: number[]) => be.bceWithLogits(buf(zs), buf(t), be.alloc(zs.length)),
    ];
    be.mseLoss(buf(z), buf(t), g);
    expectClose(arr(g), numericGrad(z, losses[0]));
    be.softmaxCrossEntropy(buf(z), buf(t), rows, cols, g);
    expectClose(arr(g), numericGrad(z, losses[1]));
    be.bceWithLogits(buf(z), buf(t), g);
    expectClose(arr(g), numericGrad(z, losses[2]));
  });

  it.each(['batch', 'layer'] as const)('%sNormBackward gives dx, dgamma, dbeta', (which) => {
    const [rows, cols] = [6, 5];
    const x = rng.normals(rows * cols, 2, 1);
    const gamma = rng.normals(cols, 0.5, 1);
    const beta = rng.normals(cols);
    const dy = rng.normals(rows * cols);
    const stats = which === 'batch' ? cols : rows;
    const forward = (xs: number[], gs: number[], bs: number[]) => {
      const [y, mean, inv] = [be.alloc(rows * cols), be.alloc(stats), be.alloc(stats)];
      if (which === 'batch') {
        be.batchNormForward(
          buf(xs),
          rows,
          cols,
          buf(gs),
          buf(bs),
          1e-5,
          0.1,
          be.alloc(cols),
          be.alloc(cols),
          y,
          mean,
          inv,
        );
      } else {
        be.layerNormForward(buf(xs), rows, cols, buf(gs), buf(bs), 1e-5, y, mean, inv);
      }
      return { y: arr(y), mean, inv };
    };
    const { mean, inv } = forward(x, gamma, beta);
    const [dx, dg, db] = [be.alloc(rows * cols), be.alloc(cols), be.alloc(cols)];
    const backward = which === 'batch' ? be.batchNormBackward.bind(be) : be.layerNormBackward.bind(be);
    backward(buf(dy), buf(x), rows, cols, buf(gamma), mean, inv, dx, dg, db);
    expectClose(
      arr(dx),
      numericGrad(x, (xs) => dot(forward(xs, gamma, beta).y, dy)),
    );
    expectClose(
      arr(dg),
      numericGrad(gamma, (gs) => dot(forward(x, gs, beta).y, dy)),
    );
    expectClose(
      arr(db),
      numericGrad(beta, (bs) => dot(forward(x, gamma, bs).y, dy)),
    );
  });

  it('lstmCellBackward gives the gate pre-activation gradients and dcPrev', () => {
    const [batch, hidden] = [2, 3];
    const pre = rng.normals(batch * 4 * hidden, 1.5);
    const cPrev = rng.normals(batch * hidden);
    const [dh, dc] = [rng.normals(batch * hidden), rng.normals(batch * hidden)];
    // The loss seen from step t: dh.h + dc.c, whose gradients are exactly what reaches h_t and c_t.
    const loss = (ps: number[], cs: number[]) => {
      const [c, h] = [be.alloc(batch * hidden), be.alloc(batch * hidden)];
      be.lstmCellForward(buf(ps), buf(cs), batch, hidden, c, h);
      return dot(arr(h), dh) + dot(arr(c), dc);
    };
    const gates = buf(pre);
    const [c, h] = [be.alloc(batch * hidden), be.alloc(batch * hidden)];
    be.lstmCellForward(gates, buf(cPrev), batch, hidden, c, h);
    const [dgates, dcPrev] = [be.alloc(batch * 4 * hidden), be.alloc(batch * hidden)];
    be.lstmCellBackward(gates, buf(cPrev), c, buf(dh), buf(dc), batch, hidden, dgates, dcPrev);
    expectClose(
      arr(dgates),
      numericGrad(pre, (ps) => loss(ps, cPrev)),
    );
    expectClose(
      arr(dcPrev),
      numericGrad(cPrev, (cs) => loss(pre, cs)),
    );
  });

  it('gruCellBackward gives dgx, dgh and the direct dhPrev', () => {
    const [batch, hidden] = [2, 3];
    const gx = rng.normals(batch * 3 * hidden, 1.5);
    const gh = rng.normals(batch * 3 * hidden, 1.5);
    const hPrev = rng.normals(batch * hidden);
    const dh = rng.normals(batch * hidden);
    const loss = (xs: number[], hs: number[], ps: number[]) => {
      const h = be.alloc(batch * hidden);
      be.gruCellForward(buf(xs), buf(hs), buf(ps), batch, hidden, h);
      return dot(arr(h), dh);
    };
    const act = buf(gx);
    be.gruCellForward(act, buf(gh), buf(hPrev), batch, hidden, be.alloc(batch * hidden));
    const [dgx, dgh, dhPrev] = [be.alloc(gx.length), be.alloc(gh.length), be.alloc(batch * hidden)];
    be.gruCellBackward(act, buf(gh), buf(hPrev), buf(dh), batch, hidden, dgx, dgh, dhPrev);
    expectClose(
      arr(dgx),
      numericGrad(gx, (xs) => loss(xs, gh, hPrev)),
    );
    expectClose(
      arr(dgh),
      numericGrad(gh, (hs) => loss(gx, hs, hPrev)),
    );
    // gh is held fixed, so this is the direct path only, as documented.
    expectClose(
      arr(dhPrev),
      numericGrad(hPrev, (ps) => loss(gx, gh, ps)),
    );
  });
});
