// The 4x8 register-blocked micro-kernel of gemm.
//
// Why 4x8: 8 f32x4 accumulators + 2 B vectors + 1 broadcast A value = 11 live v128s, which fits
// the 15 SIMD registers V8 leaves free on x64. Larger tiles (5x8, 8x8, 4x16) and an unrolled k
// loop were measured to spill and fall from ~37 to 24-30 GFLOPS, so the loop stays this plain.

import { flushLimit, ftz, ftz4 } from './flush';

/** Rows of the micro-tile; A is packed into panels of this many rows. */
export const MR: i32 = 4;
/** Columns of the micro-tile; B is packed into panels of this many columns. */
export const NR: i32 = 8;

// A full tile is written straight into C; an edge tile is first spilled here, then only its
// valid part is copied, so the hot loop never needs a bounds check.
const edgeTile: usize = memory.data(MR * NR * 4, 16); // 128 bytes: small enough to keep static

// Small helpers need no @inline (which Biome cannot parse): binaryen -O3 inlines them, and the
// release binaries were checked to be identical either way.

// acc + a * b, fused when the relaxed build allows it (one rounding, one instruction).
// ASC_FEATURE_RELAXED_SIMD is a compile-time constant, so each build keeps only one branch.
function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, acc);
  } else {
    return f32x4.add(f32x4.mul(a, b), acc);
  }
}

// alpha * acc + beta * old, subnormals flushed (flush.ts); beta = 0 must not read old (it may hold
// NaN), as BLAS promises.
function blend(acc: v128, va: v128, vb: v128, beta: f32, at: usize, limit: v128): v128 {
  const scaled = f32x4.mul(acc, va);
  return ftz4(beta == 0 ? scaled : f32x4.add(scaled, f32x4.mul(vb, v128.load(at))), limit);
}

/**
 * C[0..rows, 0..cols] = alpha * (Ap * Bp) + beta * C over one kc-deep slice.
 * `ap`: packed A panel, kc groups of MR floats (rows beyond `rows` are zeros).
 * `bp`: packed B panel, kc groups of NR floats (columns beyond `cols` are zeros).
 * `c`: top-left of the tile in C, whose row stride is `ldc` floats.
 */
export function gemmMicroKernel(
  kc: i32,
  ap: usize,
  bp: usize,
  c: usize,
  ldc: i32,
  alpha: f32,
  beta: f32,
  rows: i32,
  cols: i32,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  const end = bp + ((<usize>kc) << 5);
  // Each A value is broadcast to all four lanes. Measured on x64/V8 (GFLOPS at 128..512): the
  // plain build is faster with broadcast loads (vbroadcastss from memory: 38 vs 32 with lane
  // shuffles), because shuffles share port 5 with the vector adds; the relaxed build, whose FMAs
  // leave port 5 idle, is faster with one vector load and four lane shuffles (51 vs 45). Shuffle
  // lanes must be literals, hence two copies of the loop; the constant test keeps one per build.
  if (ASC_FEATURE_RELAXED_SIMD) {
    while (bp < end) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      const av = v128.load(ap);
      let a = v128.shuffle<f32>(av, av, 0, 0, 0, 0);
      c00 = madd(a, b0, c00);
      c01 = madd(a, b1, c01);
      a = v128.shuffle<f32>(av, av, 1, 1, 1, 1);
      c10 = madd(a, b0, c10);
      c11 = madd(a, b1, c11);
      a = v128.shuffle<f32>(av, av, 2, 2, 2, 2);
      c20 = madd(a, b0, c20);
      c21 = madd(a, b1, c21);
      a = v128.shuffle<f32>(av, av, 3, 3, 3, 3);
      c30 = madd(a, b0, c30);
      c31 = madd(a, b1, c31);
      ap += 16;
      bp += 32;
    }
  } else {
    while (bp < end) {
      const b0 = v128.load(bp);
      const b1 = v128.load(bp, 16);
      let a = v128.load32_splat(ap);
      c00 = madd(a, b0, c00);
      c01 = madd(a, b1, c01);
      a = v128.load32_splat(ap, 4);
      c10 = madd(a, b0, c10);
      c11 = madd(a, b1, c11);
      a = v128.load32_splat(ap, 8);
      c20 = madd(a, b0, c20);
      c21 = madd(a, b1, c21);
      a = v128.load32_splat(ap, 12);
      c30 = madd(a, b0, c30);
      c31 = madd(a, b1, c31);
      ap += 16;
      bp += 32;
    }
  }

  const va = f32x4.splat(alpha);
  const vb = f32x4.splat(beta);
  const lim = flushLimit();
  const stride = (<usize>ldc) << 2;
  if (rows == MR && cols == NR) {
    const r1 = c + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    // Every read of C comes before the first write: when a C row is a multiple of 4 KiB apart
    // (n = 1024, or 512 for rows two apart), a load issued after a store to an address with the
    // same low 12 bits waits on it (4K aliasing), and later k-slices read C back with beta = 1.
    c00 = blend(c00, va, vb, beta, c, lim);
    c01 = blend(c01, va, vb, beta, c + 16, lim);
    c10 = blend(c10, va, vb, beta, r1, lim);
    c11 = blend(c11, va, vb, beta, r1 + 16, lim);
    c20 = blend(c20, va, vb, beta, r2, lim);
    c21 = blend(c21, va, vb, beta, r2 + 16, lim);
    c30 = blend(c30, va, vb, beta, r3, lim);
    c31 = blend(c31, va, vb, beta, r3 + 16, lim);
    v128.store(c, c00);
    v128.store(c, c01, 16);
    v128.store(r1, c10);
    v128.store(r1, c11, 16);
    v128.store(r2, c20);
    v128.store(r2, c21, 16);
    v128.store(r3, c30);
    v128.store(r3, c31, 16);
    return;
  }

  v128.store(edgeTile, c00);
  v128.store(edgeTile, c01, 16);
  v128.store(edgeTile, c10, 32);
  v128.store(edgeTile, c11, 48);
  v128.store(edgeTile, c20, 64);
  v128.store(edgeTile, c21, 80);
  v128.store(edgeTile, c30, 96);
  v128.store(edgeTile, c31, 112);
  for (let i = 0; i < rows; i++) {
    const src = edgeTile + ((<usize>(i * NR)) << 2);
    const dst = c + <usize>i * stride;
    for (let j = 0; j < cols; j++) {
      const at = dst + ((<usize>j) << 2);
      const acc = load<f32>(src + ((<usize>j) << 2));
      store<f32>(at, ftz(beta == 0 ? alpha * acc : alpha * acc + beta * load<f32>(at)));
    }
  }
}
