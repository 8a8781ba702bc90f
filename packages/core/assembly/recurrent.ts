// LSTM and GRU pointwise gate math (the matrix products around it are gemm calls made by nn).
// Scalar float64: every element needs tanh/sigmoid, which dominate; the locals keep the unrounded
// activations for c and h, as the reference does, while the stored gates are rounded to f32.
import { at, put } from './columns';
import { sigmoid64 } from './math';

/** Gate blocks per row of `gates`: i, f, g, o (PyTorch order), each `hidden` wide. */
export function lstmCellForward(
  gates: usize,
  cPrev: usize,
  batch: i32,
  hidden: i32,
  c: usize,
  h: usize,
): void {
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const gi = b * 4 * hidden + j;
      const i = sigmoid64(at(gates, gi));
      const f = sigmoid64(at(gates, gi + hidden));
      const g = Math.tanh(at(gates, gi + 2 * hidden));
      const o = sigmoid64(at(gates, gi + 3 * hidden));
      put(gates, gi, i);
      put(gates, gi + hidden, f);
      put(gates, gi + 2 * hidden, g);
      put(gates, gi + 3 * hidden, o);
      const s = b * hidden + j;
      const cNew = f * at(cPrev, s) + i * g;
      put(c, s, cNew);
      put(h, s, o * Math.tanh(cNew));
    }
  }
}

export function lstmCellBackward(
  gates: usize,
  cPrev: usize,
  c: usize,
  dh: usize,
  dc: usize,
  batch: i32,
  hidden: i32,
  dgates: usize,
  dcPrev: usize,
): void {
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const gi = b * 4 * hidden + j;
      const i = at(gates, gi);
      const f = at(gates, gi + hidden);
      const g = at(gates, gi + 2 * hidden);
      const o = at(gates, gi + 3 * hidden);
      const s = b * hidden + j;
      const tc = Math.tanh(at(c, s));
      const dhs = at(dh, s);
      // dc is read before dcPrev is written, so the two may alias.
      const dcTotal = at(dc, s) + dhs * o * (1 - tc * tc);
      put(dgates, gi, dcTotal * g * i * (1 - i));
      put(dgates, gi + hidden, dcTotal * at(cPrev, s) * f * (1 - f));
      put(dgates, gi + 2 * hidden, dcTotal * i * (1 - g * g));
      put(dgates, gi + 3 * hidden, dhs * tc * o * (1 - o));
      put(dcPrev, s, dcTotal * f);
    }
  }
}

/** Gate blocks per row of gx and gh: r, z, n (PyTorch order), each `hidden` wide. */
export function gruCellForward(gx: usize, gh: usize, hPrev: usize, batch: i32, hidden: i32, h: usize): void {
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const gi = b * 3 * hidden + j;
      const r = sigmoid64(at(gx, gi) + at(gh, gi));
      const z = sigmoid64(at(gx, gi + hidden) + at(gh, gi + hidden));
      const n = Math.tanh(at(gx, gi + 2 * hidden) + r * at(gh, gi + 2 * hidden));
      put(gx, gi, r);
      put(gx, gi + hidden, z);
      put(gx, gi + 2 * hidden, n);
      const s = b * hidden + j;
      put(h, s, (1 - z) * n + z * at(hPrev, s));
    }
  }
}

export function gruCellBackward(
  gx: usize,
  gh: usize,
  hPrev: usize,
  dh: usize,
  batch: i32,
  hidden: i32,
  dgx: usize,
  dgh: usize,
  dhPrev: usize,
): void {
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const gi = b * 3 * hidden + j;
      const r = at(gx, gi);
      const z = at(gx, gi + hidden);
      const n = at(gx, gi + 2 * hidden);
      const s = b * hidden + j;
      const d = at(dh, s);
      // h = (1-z)*n + z*hPrev, then through tanh for n and sigmoid for r and z.
      const dnPre = d * (1 - z) * (1 - n * n);
      const dzPre = d * (at(hPrev, s) - n) * z * (1 - z);
      const drPre = dnPre * at(gh, gi + 2 * hidden) * r * (1 - r);
      put(dgx, gi, drPre);
      put(dgx, gi + hidden, dzPre);
      put(dgx, gi + 2 * hidden, dnPre);
      put(dgh, gi, drPre);
      put(dgh, gi + hidden, dzPre);
      put(dgh, gi + 2 * hidden, dnPre * r);
      put(dhPrev, s, d * z);
    }
  }
}
