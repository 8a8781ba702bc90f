// Packing for gemm: copies a block of op(A) or op(B) into the panel layout the micro-kernel
// streams through (see gemm-kernel.ts). This is where transposes are absorbed: whichever way an
// operand is stored, the packed panel is the same, so all four transpose combinations run the
// micro-kernel on identical data. Panels past the matrix edge are padded with zeros so the kernel
// needs no fringe code.
//
// Every source is read along its rows, never down its columns: walking down a column touches a new
// cache line per element, 4 KiB apart when a row is 1024 floats, which defeats the prefetcher and
// maps every line to the same L1 set. Where a panel is a column strip of the source (op(A) = A^T,
// op(B) = B), a few whole rows are copied at a time and scattered to the panels; where it is a row
// strip (op(A) = A, op(B) = B^T), 4x4 SIMD transposes turn short row reads into packed columns.

import { MR, NR } from './gemm-kernel';

// Stores the transpose of the 4x4 block whose rows are r0..r3: row i of the result (column i of
// the input) goes to dst + i * stride bytes.
function storeTransposed4x4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

function at(base: usize, index: i32): usize {
  return base + ((<usize>index) << 2);
}

/**
 * Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into ceil(mc / MR) panels of kc * MR floats each; panel r
 * holds, for each p, op(A)[i0 + MR*r .. +MR, p0 + p]. A is stored m x k, or k x m when transA.
 */
export function packA(
  transA: i32,
  a: usize,
  m: i32,
  k: i32,
  i0: i32,
  p0: i32,
  mc: i32,
  kc: i32,
  dst: usize,
): void {
  const panelBytes = <usize>kc * MR * 4;
  const full = mc - (mc % MR);
  if (transA) {
    // Panels are column strips of A: copy 4 rows of A at a time, 64 contiguous bytes per panel.
    const rowStride = (<usize>m) << 2;
    let p = 0;
    for (; p + 4 <= kc; p += 4) {
      let src = at(a, (p0 + p) * m + i0);
      let d = dst + ((<usize>p) << 4);
      for (let r = 0; r < full; r += MR) {
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src + rowStride), 16);
        v128.store(d, v128.load(src + 2 * rowStride), 32);
        v128.store(d, v128.load(src + 3 * rowStride), 48);
        src += 16;
        d += panelBytes;
      }
    }
    for (; p < kc; p++) {
      let src = at(a, (p0 + p) * m + i0);
      let d = dst + ((<usize>p) << 4);
      for (let r = 0; r < full; r += MR) {
        v128.store(d, v128.load(src));
        src += 16;
        d += panelBytes;
      }
    }
  } else {
    // Panels are row strips of A: 4 rows x 4 columns at a time, transposed into 4 packed columns.
    const rowStride = (<usize>k) << 2;
    for (let r = 0; r < full; r += MR) {
      const r0 = at(a, (i0 + r) * k + p0);
      let d = dst + <usize>(r / MR) * panelBytes;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const s = r0 + ((<usize>p) << 2);
        storeTransposed4x4(
          v128.load(s),
          v128.load(s + rowStride),
          v128.load(s + 2 * rowStride),
          v128.load(s + 3 * rowStride),
          d,
          16,
        );
        d += 64;
      }
      for (; p < kc; p++) {
        const s = r0 + ((<usize>p) << 2);
        for (let q = 0; q < MR; q++) store<f32>(d + ((<usize>q) << 2), load<f32>(s + <usize>q * rowStride));
        d += 16;
      }
    }
  }
  if (full < mc) {
    // Bottom edge: fewer than MR rows left; pad with zeros.
    const rows = mc - full;
    const i = i0 + full;
    let d = dst + <usize>(full / MR) * panelBytes;
    for (let p = 0; p < kc; p++) {
      for (let q = 0; q < MR; q++) {
        let v: f32 = 0;
        if (q < rows) v = load<f32>(at(a, transA ? (p0 + p) * m + i + q : (i + q) * k + p0 + p));
        store<f32>(d + ((<usize>q) << 2), v);
      }
      d += 16;
    }
  }
}

/**
 * Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into ceil(nc / NR) panels of kc * NR floats each; panel s
 * holds, for each p, op(B)[p0 + p, j0 + NR*s .. +NR]. B is stored k x n, or n x k when transB.
 */
export function packB(
  transB: i32,
  b: usize,
  k: i32,
  n: i32,
  p0: i32,
  j0: i32,
  kc: i32,
  nc: i32,
  dst: usize,
): void {
  const panelBytes = <usize>kc * NR * 4;
  const full = nc - (nc % NR);
  if (!transB) {
    // Panels are column strips of B: copy 2 rows of B at a time, 64 contiguous bytes per panel.
    const rowStride = (<usize>n) << 2;
    let p = 0;
    for (; p + 2 <= kc; p += 2) {
      let src = at(b, (p0 + p) * n + j0);
      let d = dst + ((<usize>p) << 5);
      for (let s = 0; s < full; s += NR) {
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
        v128.store(d, v128.load(src + rowStride), 32);
        v128.store(d, v128.load(src + rowStride, 16), 48);
        src += 32;
        d += panelBytes;
      }
    }
    if (p < kc) {
      let src = at(b, (p0 + p) * n + j0);
      let d = dst + ((<usize>p) << 5);
      for (let s = 0; s < full; s += NR) {
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
        src += 32;
        d += panelBytes;
      }
    }
  } else {
    // Panels are row strips of B: 8 rows x 4 values of p at a time, transposed into 4 packed rows.
    const rowStride = (<usize>k) << 2;
    for (let s = 0; s < full; s += NR) {
      const r0 = at(b, (j0 + s) * k + p0);
      let d = dst + <usize>(s / NR) * panelBytes;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const lo = r0 + ((<usize>p) << 2);
        const hi = lo + 4 * rowStride;
        storeTransposed4x4(
          v128.load(lo),
          v128.load(lo + rowStride),
          v128.load(lo + 2 * rowStride),
          v128.load(lo + 3 * rowStride),
          d,
          32,
        );
        storeTransposed4x4(
          v128.load(hi),
          v128.load(hi + rowStride),
          v128.load(hi + 2 * rowStride),
          v128.load(hi + 3 * rowStride),
          d + 16,
          32,
        );
        d += 128;
      }
      for (; p < kc; p++) {
        const src = r0 + ((<usize>p) << 2);
        for (let q = 0; q < NR; q++) store<f32>(d + ((<usize>q) << 2), load<f32>(src + <usize>q * rowStride));
        d += 32;
      }
    }
  }
  if (full < nc) {
    // Right edge: fewer than NR columns left; pad with zeros.
    const cols = nc - full;
    const j = j0 + full;
    let d = dst + <usize>(full / NR) * panelBytes;
    for (let p = 0; p < kc; p++) {
      for (let q = 0; q < NR; q++) {
        let v: f32 = 0;
        if (q < cols) v = load<f32>(at(b, transB ? (j + q) * k + p0 + p : (p0 + p) * n + j + q));
        store<f32>(d + ((<usize>q) << 2), v);
      }
      d += 32;
    }
  }
}
