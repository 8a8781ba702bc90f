// Inverted dropout with a counter-based hash, so the WASM and TS backends draw the same mask bit
// for bit: u_i = lowbias32(seed + i*0x9E3779B9) >>> 8, over 2^24 (see dropoutUniform in backend.ts).
// The hash is integer-only (wrapping u32 multiplies, shifts, xors), so four lanes run in i32x4.

/** The 24-bit draw of element i (u_i * 2^24). */
function draw(seed: u32, i: u32): u32 {
  let h: u32 = seed + i * 0x9e3779b9; // u32 arithmetic wraps mod 2^32, as Math.imul does
  h ^= h >>> 16;
  h *= 0x7feb352d;
  h ^= h >>> 15;
  h *= 0x846ca68b;
  h ^= h >>> 16;
  return h >>> 8;
}

export function dropoutForward(x: usize, n: i32, p: f64, seed: u32, y: usize, mask: usize): void {
  // Kept units are scaled by 1/(1-p) so the expected activation is unchanged.
  const keep = <f32>(1 / (1 - p));
  // u = d / 2^24 >= p  <=>  d >= ceil(p * 2^24): an exact integer test (p * 2^24 is exact in f64).
  const threshold = <i32>Math.ceil(p * 16777216);
  const keepv = f32x4.splat(keep);
  const tv = i32x4.splat(threshold);
  let hv = i32x4(seed, seed + 0x9e3779b9, seed + 2 * 0x9e3779b9, seed + 3 * 0x9e3779b9);
  const stride = i32x4.splat(<i32>(4 * 0x9e3779b9));
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    let h = hv;
    h = v128.xor(h, i32x4.shr_u(h, 16));
    h = i32x4.mul(h, i32x4.splat(0x7feb352d));
    h = v128.xor(h, i32x4.shr_u(h, 15));
    h = i32x4.mul(h, i32x4.splat(<i32>0x846ca68b));
    h = v128.xor(h, i32x4.shr_u(h, 16));
    const m = v128.and(keepv, i32x4.ge_s(i32x4.shr_u(h, 8), tv));
    const o = (<usize>i) << 2;
    v128.store(mask + o, m);
    v128.store(y + o, f32x4.mul(v128.load(x + o), m));
    hv = i32x4.add(hv, stride);
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const m: f32 = <i32>draw(seed, <u32>i) >= threshold ? keep : 0;
    store<f32>(mask + o, m);
    store<f32>(y + o, load<f32>(x + o) * m);
  }
}
