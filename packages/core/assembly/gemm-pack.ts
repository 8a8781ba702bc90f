// Packing for gemm: copies a block of op(A) or op(B) into the panel layout the micro-kernel
// streams through (see gemm-kernel.ts). This is where transposes are absorbed: whichever way an
// operand is stored, the packed panel is the same, so all four transpose combinations run the
// micro-kernel on identical data. Strided reads are turned into contiguous ones with 4x4 SIMD
// transposes. Panels past the matrix edge are padded with zeros so the kernel needs no fringe code.

import { MR, NR } from './gemm-kernel';

// Stores the transpose of the 4x4 block whose rows are r0..r3: row i of the result (column i of
// the input) goes to dst + i * stride bytes.
// @ts-ignore: decorator
@inline
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

// @ts-ignore: decorator
@inline
function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/**
 * Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into ceil(mc / MR) panels; panel r holds, for each p,
 * the MR floats op(A)[i0 + MR*r .. +MR, p0 + p]. A is stored m x k, or k x m when transA.
 */
export function packA(transA: i32, a: usize, m: i32, k: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let r = 0; r < mc; r += MR) {
    const rows = min(MR, mc - r);
    const i = i0 + r;
    if (rows == MR && transA) {
      // op(A) column p is contiguous in A's row p: one vector per p.
      let src = at(a, p0 * m + i);
      const rowStride = <usize>m << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        src += rowStride;
        dst += 16;
      }
    } else if (rows == MR) {
      // op(A) rows are A rows: read 4 rows x 4 columns, transpose into 4 packed columns.
      const r0 = at(a, i * k + p0);
      const rowStride = <usize>k << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const s = r0 + (<usize>p << 2);
        storeTransposed4x4(
          v128.load(s),
          v128.load(s + rowStride),
          v128.load(s + 2 * rowStride),
          v128.load(s + 3 * rowStride),
          dst,
          16,
        );
        dst += 64;
      }
      for (; p < kc; p++) {
        const s = r0 + (<usize>p << 2);
        for (let q = 0; q < MR; q++) store<f32>(dst + (<usize>q << 2), load<f32>(s + <usize>q * rowStride));
        dst += 16;
      }
    } else {
      // Bottom edge: fewer than MR rows left; pad with zeros.
      for (let p = 0; p < kc; p++) {
        for (let q = 0; q < MR; q++) {
          let v: f32 = 0;
          if (q < rows) v = load<f32>(at(a, transA ? (p0 + p) * m + i + q : (i + q) * k + p0 + p));
          store<f32>(dst + (<usize>q << 2), v);
        }
        dst += 16;
      }
    }
  }
}

/**
 * Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into ceil(nc / NR) panels; panel s holds, for each p,
 * the NR floats op(B)[p0 + p, j0 + NR*s .. +NR]. B is stored k x n, or n x k when transB.
 */
export function packB(transB: i32, b: usize, k: i32, n: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let s = 0; s < nc; s += NR) {
    const cols = min(NR, nc - s);
    const j = j0 + s;
    if (cols == NR && !transB) {
      // op(B) rows are B rows: two contiguous vectors per p.
      let src = at(b, p0 * n + j);
      const rowStride = <usize>n << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += rowStride;
        dst += 32;
      }
    } else if (cols == NR) {
      // op(B) columns are B rows: read 8 rows x 4 values of p, transpose into 4 packed rows.
      const r0 = at(b, j * k + p0);
      const rowStride = <usize>k << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const lo = r0 + (<usize>p << 2);
        const hi = lo + 4 * rowStride;
        storeTransposed4x4(
          v128.load(lo),
          v128.load(lo + rowStride),
          v128.load(lo + 2 * rowStride),
          v128.load(lo + 3 * rowStride),
          dst,
          32,
        );
        storeTransposed4x4(
          v128.load(hi),
          v128.load(hi + rowStride),
          v128.load(hi + 2 * rowStride),
          v128.load(hi + 3 * rowStride),
          dst + 16,
          32,
        );
        dst += 128;
      }
      for (; p < kc; p++) {
        const src = r0 + (<usize>p << 2);
        for (let q = 0; q < NR; q++) store<f32>(dst + (<usize>q << 2), load<f32>(src + <usize>q * rowStride));
        dst += 32;
      }
    } else {
      // Right edge: fewer than NR columns left; pad with zeros.
      for (let p = 0; p < kc; p++) {
        for (let q = 0; q < NR; q++) {
          let v: f32 = 0;
          if (q < cols) v = load<f32>(at(b, transB ? (j + q) * k + p0 + p : (p0 + p) * n + j + q));
          store<f32>(dst + (<usize>q << 2), v);
        }
        dst += 32;
      }
    }
  }
}
