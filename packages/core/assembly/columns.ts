// Static float64 scratch for per-column sums. Summing down a column of a row-major matrix one column
// at a time strides by a whole row per element (a cache line and often a page per load); instead the
// column kernels walk the rows contiguously over a block of up to COL_BLOCK columns, accumulating in
// these arrays, which stay in L1. Static memory keeps the kernels allocation-free.

export const COL_BLOCK: i32 = 1024;
export const colA: usize = memory.data(COL_BLOCK * 8, 16);
export const colB: usize = memory.data(COL_BLOCK * 8, 16);

/** The f32 at index i of p, as f64. */
export function at(p: usize, i: i32): f64 {
  return <f64>load<f32>(p + ((<usize>i) << 2));
}

/** Stores v, rounded to f32, at index i of p. */
export function put(p: usize, i: i32, v: f64): void {
  store<f32>(p + ((<usize>i) << 2), <f32>v);
}

/** The f64 scratch slot j of s (colA or colB). */
export function get64(s: usize, j: i32): f64 {
  return load<f64>(s + ((<usize>j) << 3));
}

export function set64(s: usize, j: i32, v: f64): void {
  store<f64>(s + ((<usize>j) << 3), v);
}

/** s[j] = 0 for j < n. */
export function zero64(s: usize, n: i32): void {
  memory.fill(s, 0, (<usize>n) << 3);
}
