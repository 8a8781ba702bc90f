import { type Case, type Kit, U32 } from './helpers.js';
import type { KernelCases } from './table-types.js';

/** batch x hidden; hidden sizes off the vector width so each gate block starts unaligned. */
const CELL_SHAPES: readonly [number, number][] = [
  [1, 1],
  [1, 17],
  [3, 5],
  [17, 63],
  [4, 64],
  [2, 65],
];

// Pointwise sigmoid/tanh and a few products per element: a few ulps, absolute below 1 (floor 1).
const CELL_TOL = 32 * U32;

function lstmForward(k: Kit, batch: number, hidden: number) {
  const gates = k.buf(k.rng.normals(batch * 4 * hidden, 2));
  const cPrev = k.buf(k.rng.normals(batch * hidden));
  const c = k.poisoned(batch * hidden);
  const h = k.poisoned(batch * hidden);
  k.be.lstmCellForward(gates, cPrev, batch, hidden, c, h);
  return { gates, cPrev, c, h };
}

function gruForward(k: Kit, batch: number, hidden: number) {
  const gx = k.buf(k.rng.normals(batch * 3 * hidden, 2));
  const gh = k.buf(k.rng.normals(batch * 3 * hidden, 2));
  const hPrev = k.buf(k.rng.normals(batch * hidden));
  const h = k.poisoned(batch * hidden);
  k.be.gruCellForward(gx, gh, hPrev, batch, hidden, h);
  return { gx, gh, hPrev, h };
}

export const recurrentCases = {
  lstmCellForward: CELL_SHAPES.map(
    ([batch, hidden]): Case => ({
      name: `batch=${batch} hidden=${hidden}`,
      tol: CELL_TOL,
      floor: 1,
      run: (k) => {
        const { gates, c, h } = lstmForward(k, batch, hidden);
        return { gates: k.read(gates), c: k.read(c), h: k.read(h) };
      },
    }),
  ),
  lstmCellBackward: CELL_SHAPES.flatMap(([batch, hidden]) =>
    [false, true].map(
      (alias): Case => ({
        name: `batch=${batch} hidden=${hidden}${alias ? ' dcPrev = dc' : ''}`,
        tol: CELL_TOL,
        floor: 1,
        run: (k) => {
          const { gates, cPrev, c } = lstmForward(k, batch, hidden);
          const dh = k.buf(k.rng.normals(batch * hidden));
          const dc = k.buf(k.rng.normals(batch * hidden));
          const dgates = k.poisoned(batch * 4 * hidden);
          const dcPrev = alias ? dc : k.poisoned(batch * hidden);
          k.be.lstmCellBackward(gates, cPrev, c, dh, dc, batch, hidden, dgates, dcPrev);
          return { dgates: k.read(dgates), dcPrev: k.read(dcPrev) };
        },
      }),
    ),
  ),
  gruCellForward: CELL_SHAPES.map(
    ([batch, hidden]): Case => ({
      name: `batch=${batch} hidden=${hidden}`,
      tol: CELL_TOL,
      floor: 1,
      run: (k) => {
        const { gx, gh, h } = gruForward(k, batch, hidden);
        // gh must come back unchanged: the backward pass reads its n block.
        return { gx: k.read(gx), gh: { v: k.read(gh), tol: 0 }, h: k.read(h) };
      },
    }),
  ),
  gruCellBackward: CELL_SHAPES.map(
    ([batch, hidden]): Case => ({
      name: `batch=${batch} hidden=${hidden}`,
      tol: CELL_TOL,
      floor: 1,
      run: (k) => {
        const { gx, gh, hPrev } = gruForward(k, batch, hidden);
        const dh = k.buf(k.rng.normals(batch * hidden));
        const dgx = k.poisoned(batch * 3 * hidden);
        const dgh = k.poisoned(batch * 3 * hidden);
        const dhPrev = k.poisoned(batch * hidden);
        k.be.gruCellBackward(gx, gh, hPrev, dh, batch, hidden, dgx, dgh, dhPrev);
        return { dgx: k.read(dgx), dgh: k.read(dgh), dhPrev: k.read(dhPrev) };
      },
    }),
  ),
} satisfies KernelCases;
