// logHistogram: bins[b] += count of finite x with bin(|x|) = b, where, as in the reference,
// bin(a) = clamp(floor((log10(a) - minExp) / width), 0, B-1), width = (maxExp - minExp)/B, and
// log10(0) = -Infinity lands in bin 0.
//
// log10 per element costs ~15 ns. bin(a) never decreases as a grows, and positive f32 values are
// ordered like their bit patterns, so bin(a) is the number of edges e_1..e_{B-1} with e_b <= bits(a),
// e_b being the first bit pattern whose bin is >= b. The edges come from a binary search over bit
// patterns with the exact formula (31 log10 calls each); each element then takes a guess from its
// exponent bits (bits/2^23 - 127 is log2(a) within 0.09) and walks to the exact bin by comparing
// with the edges, usually in zero or one step. Counts are identical to evaluating the formula.
import { colA } from './columns';

const MAX_EDGES = 2048; // colA holds 2048 u32
const INF_BITS: u32 = 0x7f800000;

function binOf(a: f64, minExp: f64, width: f64, last: f64): i32 {
  return <i32>min(last, max(0, Math.floor((Math.log10(a) - minExp) / width)));
}

function direct(x: usize, n: i32, minExp: f64, width: f64, bins: usize, last: f64): void {
  for (let i = 0; i < n; i++) {
    const a = <f64>Mathf.abs(load<f32>(x + ((<usize>i) << 2)));
    if (!isFinite(a)) continue;
    const f = Math.floor((Math.log10(a) - minExp) / width);
    if (isNaN(f)) continue; // only for a degenerate range; the reference's bins[NaN] is a no-op too
    const p = bins + ((<usize>(<i32>min(last, max(0, f)))) << 2);
    store<f32>(p, load<f32>(p) + 1);
  }
}

export function logHistogram(x: usize, n: i32, minExp: f64, maxExp: f64, bins: usize, nbins: i32): void {
  const width = (maxExp - minExp) / <f64>nbins;
  const last = <f64>(nbins - 1);
  // Building the edges costs ~31*B log10 calls: not worth it for short buffers, and a degenerate
  // range (width 0, infinite or NaN bounds) keeps the literal formula and its NaN handling.
  if (n < 64 * nbins || nbins > MAX_EDGES || !(width > 0) || !isFinite(width) || !isFinite(minExp)) {
    direct(x, n, minExp, width, bins, last);
    return;
  }
  for (let b = 1; b < nbins; b++) {
    let lo: u32 = 0; // bin(lo) < b is known once lo > 0; bin(0) = 0 < b
    let hi: u32 = INF_BITS; // stands for "no finite value reaches bin b"
    while (hi - lo > 1) {
      const mid = lo + ((hi - lo) >> 1);
      if (binOf(<f64>reinterpret<f32>(mid), minExp, width, last) >= b) hi = mid;
      else lo = mid;
    }
    store<u32>(colA + ((<usize>b) << 2), hi);
  }
  // The guess (bits/2^23 - 127) * log10(2) - minExp) / width as one multiply-add: k1 * bits + k0.
  const log10of2: f64 = 0.3010299956639812;
  const k1 = log10of2 / (8388608 * width);
  const k0 = (-127 * log10of2 - minExp) / width;
  for (let i = 0; i < n; i++) {
    const u = load<u32>(x + ((<usize>i) << 2)) & 0x7fffffff;
    if (u >= INF_BITS) continue; // NaN and Infinity are skipped
    // Clamped before the conversion, so truncation is floor; the guess never exceeds the true bin
    // (log2(1+m) >= m on [0, 1]), the second walk is a safety net.
    let b = <i32>min(last, max(0, k1 * <f64>u + k0));
    while (b < nbins - 1 && u >= load<u32>(colA + ((<usize>(b + 1)) << 2))) b++;
    while (b > 0 && u < load<u32>(colA + ((<usize>b) << 2))) b--;
    const p = bins + ((<usize>b) << 2);
    store<f32>(p, load<f32>(p) + 1);
  }
}
