// gemm: C = alpha * op(A) * op(B) + beta * C, row-major, contiguous (see Backend.gemm).
//
// Goto/BLIS-style blocking: a KC x NC block of op(B) is packed once and stays in L2 while
// MC x KC blocks of op(A) are packed into L2; the 4x8 micro-kernel then streams one 8-wide B panel
// (KC * 32 bytes = 16 KiB, in L1) against every 4-row A panel. The prototype's KC=256, MC=120,
// NC=2048 were a good start; measured here against them, KC=512 with NC=512 is 2-5% faster at
// 1024^3 (C is read back half as often) and equal elsewhere, on both builds.
// Plain SIMD is bound by the vector ports (8 mul + 8 add per 64 flops, ~38-42 GFLOPS on this
// machine); the relaxed build fuses each pair into one FMA and reaches ~50-55.

import { ftz } from './flush';
import { gemmMicroKernel, MR, NR } from './gemm-kernel';
import { packA, packB } from './gemm-pack';

const KC: i32 = 512;
const MC: i32 = 120; // a multiple of MR, so only the last A block has an edge panel
const NC: i32 = 512; // a multiple of NR, likewise for B

// Pack buffers (1.25 MB) come from the heap once, when the module starts: no allocation per call,
// so gemm never grows memory (and never detaches the caller's views). Static `memory.data` would
// work too but writes their zeros into the .wasm file. They are aligned to 64 bytes so that
// each pair of packed B rows (and each 4 packed A columns) fills exactly one cache line.
const packedA: usize = alignLine(heap.alloc(MC * KC * 4 + 64));
const packedB: usize = alignLine(heap.alloc(KC * NC * 4 + 64));

function alignLine(ptr: usize): usize {
  return (ptr + 63) & ~(<usize>63);
}

export function gemm(
  transA: i32,
  transB: i32,
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  b: usize,
  beta: f32,
  c: usize,
): void {
  assert(m >= 0 && n >= 0 && k >= 0, 'gemm: sizes must be non-negative');
  if (m == 0 || n == 0) return;
  if (k == 0) {
    // op(A) * op(B) is an m x n matrix of zeros: only the beta term is left.
    scaleC(m * n, beta, c);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      // The first k-slice applies the caller's beta; later slices accumulate onto it.
      const sliceBeta: f32 = pc == 0 ? beta : 1;
      packB(transB, b, k, n, pc, jc, kc, nc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(transA, a, m, k, ic, pc, mc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const bp = packedB + ((<usize>(jr * kc)) << 2);
          const cols = min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const ap = packedA + ((<usize>(ir * kc)) << 2);
            const ct = c + ((<usize>((ic + ir) * n + jc + jr)) << 2);
            gemmMicroKernel(kc, ap, bp, ct, n, alpha, sliceBeta, min(MR, mc - ir), cols);
          }
        }
      }
    }
  }
}

// C = beta * C (subnormals flushed), with beta = 0 writing zeros even over NaN.
function scaleC(len: i32, beta: f32, c: usize): void {
  for (let i = 0; i < len; i++) {
    const at = c + ((<usize>i) << 2);
    store<f32>(at, beta == 0 ? 0 : ftz(beta * load<f32>(at)));
  }
}
