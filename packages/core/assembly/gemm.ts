// Placeholder scalar gemm (correct, slow); the SIMD packed version replaces it.
// C = alpha * op(A) * op(B) + beta * C, row-major, contiguous.
export function gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, beta: f32, c: usize): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc: f32 = 0;
      for (let p = 0; p < k; p++) {
        const av = load<f32>(a + (<usize>(transA ? p * m + i : i * k + p) << 2));
        const bv = load<f32>(b + (<usize>(transB ? j * k + p : p * n + j) << 2));
        acc += av * bv;
      }
      const ci = c + (<usize>(i * n + j) << 2);
      store<f32>(ci, beta == 0 ? alpha * acc : alpha * acc + beta * load<f32>(ci));
    }
  }
}
