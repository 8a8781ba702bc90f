/**
 * An independent plain-JS float64 implementation of the three cells, one batch row at a time and written
 * from the papers' equations (not from the kernels), to check outputs, every gradient and ||dL/dh_t||.
 */
export type RefCell = 'tanh' | 'relu' | 'lstm' | 'gru';

export interface RefWeights {
  wih: Float64Array; // [I, G*H]
  whh: Float64Array; // [H, G*H]
  bih: Float64Array; // [G*H]
  bhh: Float64Array; // [G*H] (zeros except for the GRU)
}

export interface RefResult {
  hs: Float64Array; // [T, B, H]
  dx: Float64Array;
  dwih: Float64Array;
  dwhh: Float64Array;
  dbih: Float64Array;
  dbhh: Float64Array;
  norms: Float64Array; // ||dL/dh_t||
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** v W for a row vector v (length rows) and a rows x cols matrix. */
function vecMat(v: ArrayLike<number>, w: Float64Array, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (let r = 0; r < v.length; r++) for (let c = 0; c < cols; c++) out[c] += v[r] * w[r * cols + c];
  return out;
}

/** W u^T for a rows x cols matrix and u of length cols, i.e. the backward of vecMat. */
function matVecT(w: Float64Array, u: ArrayLike<number>, rows: number): Float64Array {
  const cols = u.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r] += w[r * cols + c] * u[c];
  return out;
}

function outer(acc: Float64Array, v: ArrayLike<number>, u: ArrayLike<number>): void {
  for (let r = 0; r < v.length; r++) for (let c = 0; c < u.length; c++) acc[r * u.length + c] += v[r] * u[c];
}

/** Forward and BPTT with dL/dh_t = dy[t] (every step, or only the last with `last`). */
export function reference(
  cell: RefCell,
  x: Float64Array,
  dims: { T: number; B: number; I: number; H: number },
  w: RefWeights,
  dy: Float64Array,
  last: boolean,
): RefResult {
  const { T, B, I, H } = dims;
  const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const res: RefResult = {
    hs: new Float64Array(T * B * H),
    dx: new Float64Array(T * B * I),
    dwih: new Float64Array(I * G * H),
    dwhh: new Float64Array(H * G * H),
    dbih: new Float64Array(G * H),
    dbhh: new Float64Array(G * H),
    norms: new Float64Array(T),
  };
  const normSq = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    const xs = Array.from({ length: T }, (_, t) => x.subarray((t * B + b) * I, (t * B + b + 1) * I));
    const h: Float64Array[] = [new Float64Array(H)]; // h[t + 1] is h_t
    const c: Float64Array[] = [new Float64Array(H)];
    const a: Float64Array[] = []; // activated gates (or activations) per step
    const ghs: Float64Array[] = [];
    for (let t = 0; t < T; t++) {
      const gx = vecMat(xs[t], w.wih, G * H).map((v, k) => v + w.bih[k]);
      const gh = vecMat(h[t], w.whh, G * H).map((v, k) => v + w.bhh[k]);
      const hn = new Float64Array(H);
      const cn = new Float64Array(H);
      const act = new Float64Array(G * H);
      for (let j = 0; j < H; j++) {
        if (cell === 'tanh' || cell === 'relu') {
          const p = gx[j] + gh[j];
          act[j] = cell === 'tanh' ? Math.tanh(p) : Math.max(0, p);
          hn[j] = act[j];
        } else if (cell === 'lstm') {
          const [i, f, g, o] = [
            sig(gx[j] + gh[j]),
            sig(gx[H + j] + gh[H + j]),
            Math.tanh(gx[2 * H + j] + gh[2 * H + j]),
            sig(gx[3 * H + j] + gh[3 * H + j]),
          ];
          [act[j], act[H + j], act[2 * H + j], act[3 * H + j]] = [i, f, g, o];
          cn[j] = f * c[t][j] + i * g;
          hn[j] = o * Math.tanh(cn[j]);
        } else {
          const r = sig(gx[j] + gh[j]);
          const z = sig(gx[H + j] + gh[H + j]);
          const n = Math.tanh(gx[2 * H + j] + r * gh[2 * H + j]);
          [act[j], act[H + j], act[2 * H + j]] = [r, z, n];
          hn[j] = (1 - z) * n + z * h[t][j];
        }
      }
      h.push(hn);
      c.push(cn);
      a.push(act);
      ghs.push(gh);
      res.hs.set(hn, (t * B + b) * H);
    }
    let dhNext = new Float64Array(H); // dL/dh_t arriving from step t+1
    let dcNext = new Float64Array(H);
    for (let t = T - 1; t >= 0; t--) {
      const dh = dhNext.slice();
      if (!last || t === T - 1) {
        const off = last ? b * H : (t * B + b) * H;
        for (let j = 0; j < H; j++) dh[j] += dy[off + j];
      }
      for (let j = 0; j < H; j++) normSq[t] += dh[j] * dh[j];
      const act = a[t];
      const dgx = new Float64Array(G * H);
      const dgh = new Float64Array(G * H);
      const direct = new Float64Array(H);
      const dc = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        if (cell === 'tanh' || cell === 'relu') {
          dgx[j] = dh[j] * (cell === 'tanh' ? 1 - act[j] * act[j] : act[j] > 0 ? 1 : 0);
          dgh[j] = dgx[j];
        } else if (cell === 'lstm') {
          const [i, f, g, o] = [act[j], act[H + j], act[2 * H + j], act[3 * H + j]];
          const tc = Math.tanh(c[t + 1][j]);
          const dct = dcNext[j] + dh[j] * o * (1 - tc * tc);
          dgx[j] = dct * g * i * (1 - i);
          dgx[H + j] = dct * c[t][j] * f * (1 - f);
          dgx[2 * H + j] = dct * i * (1 - g * g);
          dgx[3 * H + j] = dh[j] * tc * o * (1 - o);
          dc[j] = dct * f;
          for (let k = 0; k < 4; k++) dgh[k * H + j] = dgx[k * H + j];
        } else {
          const [r, z, n] = [act[j], act[H + j], act[2 * H + j]];
          const dn = dh[j] * (1 - z) * (1 - n * n);
          const dz = dh[j] * (h[t][j] - n) * z * (1 - z);
          const dr = dn * ghs[t][2 * H + j] * r * (1 - r);
          [dgx[j], dgx[H + j], dgx[2 * H + j]] = [dr, dz, dn];
          [dgh[j], dgh[H + j], dgh[2 * H + j]] = [dr, dz, dn * r];
          direct[j] = dh[j] * z;
        }
      }
      outer(res.dwih, xs[t], dgx);
      outer(res.dwhh, h[t], dgh);
      for (let k = 0; k < G * H; k++) {
        res.dbih[k] += dgx[k];
        res.dbhh[k] += dgh[k];
      }
      res.dx.set(matVecT(w.wih, dgx, I), (t * B + b) * I);
      dhNext = matVecT(w.whh, dgh, H).map((v, j) => v + direct[j]);
      dcNext = dc;
    }
  }
  res.norms = normSq.map(Math.sqrt);
  return res;
}
