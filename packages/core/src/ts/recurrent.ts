import type { Floats } from '../backend.js';
import { sigmoid } from './activations.js';

/** Gate blocks per row: i, f, g, o (PyTorch order), each `hidden` wide. */
export function lstmCellForward(
  gates: Floats,
  cPrev: Floats,
  batch: number,
  hidden: number,
  c: Floats,
  h: Floats,
): void {
  const h4 = 4 * hidden;
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const gi = b * h4 + j;
      const i = sigmoid(gates[gi]);
      const f = sigmoid(gates[gi + hidden]);
      const g = Math.tanh(gates[gi + 2 * hidden]);
      const o = sigmoid(gates[gi + 3 * hidden]);
      gates[gi] = i;
      gates[gi + hidden] = f;
      gates[gi + 2 * hidden] = g;
      gates[gi + 3 * hidden] = o;
      const s = b * hidden + j;
      const cNew = f * cPrev[s] + i * g;
      c[s] = cNew;
      h[s] = o * Math.tanh(cNew);
    }
  }
}

export function lstmCellBackward(
  gates: Floats,
  cPrev: Floats,
  c: Floats,
  dh: Floats,
  dc: Floats,
  batch: number,
  hidden: number,
  dgates: Floats,
  dcPrev: Floats,
): void {
  const h4 = 4 * hidden;
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const gi = b * h4 + j;
      const i = gates[gi];
      const f = gates[gi + hidden];
      const g = gates[gi + 2 * hidden];
      const o = gates[gi + 3 * hidden];
      const s = b * hidden + j;
      const tc = Math.tanh(c[s]);
      // dc is read before dcPrev is written: they may alias.
      const dcTotal = dc[s] + dh[s] * o * (1 - tc * tc);
      dgates[gi] = dcTotal * g * i * (1 - i);
      dgates[gi + hidden] = dcTotal * cPrev[s] * f * (1 - f);
      dgates[gi + 2 * hidden] = dcTotal * i * (1 - g * g);
      dgates[gi + 3 * hidden] = dh[s] * tc * o * (1 - o);
      dcPrev[s] = dcTotal * f;
    }
  }
}

/** Gate blocks per row: r, z, n (PyTorch order), each `hidden` wide. */
export function gruCellForward(
  gx: Floats,
  gh: Floats,
  hPrev: Floats,
  batch: number,
  hidden: number,
  h: Floats,
): void {
  const h3 = 3 * hidden;
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const gi = b * h3 + j;
      const r = sigmoid(gx[gi] + gh[gi]);
      const z = sigmoid(gx[gi + hidden] + gh[gi + hidden]);
      // The reset gate scales the recurrent part only (PyTorch, not the original Cho et al. form).
      const n = Math.tanh(gx[gi + 2 * hidden] + r * gh[gi + 2 * hidden]);
      gx[gi] = r;
      gx[gi + hidden] = z;
      gx[gi + 2 * hidden] = n;
      const s = b * hidden + j;
      h[s] = (1 - z) * n + z * hPrev[s];
    }
  }
}

export function gruCellBackward(
  gx: Floats,
  gh: Floats,
  hPrev: Floats,
  dh: Floats,
  batch: number,
  hidden: number,
  dgx: Floats,
  dgh: Floats,
  dhPrev: Floats,
): void {
  const h3 = 3 * hidden;
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const gi = b * h3 + j;
      const r = gx[gi];
      const z = gx[gi + hidden];
      const n = gx[gi + 2 * hidden];
      const s = b * hidden + j;
      const d = dh[s];
      const dnPre = d * (1 - z) * (1 - n * n);
      const dzPre = d * (hPrev[s] - n) * z * (1 - z);
      const drPre = dnPre * gh[gi + 2 * hidden] * r * (1 - r);
      dgx[gi] = drPre;
      dgx[gi + hidden] = dzPre;
      dgx[gi + 2 * hidden] = dnPre;
      dgh[gi] = drPre;
      dgh[gi + hidden] = dzPre;
      dgh[gi + 2 * hidden] = dnPre * r;
      dhPrev[s] = d * z;
    }
  }
}
