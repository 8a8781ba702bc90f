// Inverted dropout with a counter-based hash, so the WASM and TS backends draw the same mask bit
// for bit: u_i = lowbias32(seed + i*0x9E3779B9) >>> 8, over 2^24 (see dropoutUniform in backend.ts).

function dropoutUniform(seed: u32, i: u32): f64 {
  let h: u32 = seed + i * 0x9e3779b9; // u32 arithmetic wraps mod 2^32, as Math.imul does
  h ^= h >>> 16;
  h *= 0x7feb352d;
  h ^= h >>> 15;
  h *= 0x846ca68b;
  h ^= h >>> 16;
  return <f64>(h >>> 8) / 16777216;
}

export function dropoutForward(x: usize, n: i32, p: f64, seed: u32, y: usize, mask: usize): void {
  // Kept units are scaled by 1/(1-p) so the expected activation is unchanged.
  const keep = 1 / (1 - p);
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const m = dropoutUniform(seed, <u32>i) >= p ? keep : 0;
    store<f32>(mask + o, <f32>m);
    store<f32>(y + o, <f32>(<f64>load<f32>(x + o) * m));
  }
}
