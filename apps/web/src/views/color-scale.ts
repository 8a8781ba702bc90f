/**
 * Colour scales for the heat maps and the decision boundary. Viridis (sampled at 9 stops) reads
 * correctly in greyscale and with colour-vision deficiencies, so "darker = smaller gradient" holds.
 */
const VIRIDIS: Array<[number, number, number]> = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** RGB of viridis at t in [0, 1] (clamped). */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i] as [number, number, number];
  const b = VIRIDIS[i + 1] as [number, number, number];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/**
 * A log10 domain [lo, hi] (whole decades) that covers every finite positive value given, so that
 * runs drawn with the same domain can be compared by eye. Falls back to [-8, 1] when there is none.
 */
export function logDomain(values: Iterable<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    const l = Math.log10(v);
    if (l < lo) lo = l;
    if (l > hi) hi = l;
  }
  if (!Number.isFinite(lo)) return [-8, 1];
  const a = Math.floor(lo);
  const b = Math.max(a + 1, Math.ceil(hi));
  return [a, b];
}

/** Position of `v` in a log10 domain, 0..1; zero and negatives map to 0. */
export function logPosition(v: number, [lo, hi]: [number, number]): number {
  if (!(v > 0)) return 0;
  return Math.min(1, Math.max(0, (Math.log10(v) - lo) / (hi - lo)));
}

/** Short scientific notation for labels: 3.2e-7, 0.041, 12. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return Number(v.toPrecision(3)).toString();
}

/** Viridis sampled at 256 levels as packed RGB bytes, so drawing a cell is one table lookup. */
export const VIRIDIS_LUT: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = viridis(i / 255);
    lut[3 * i] = r;
    lut[3 * i + 1] = g;
    lut[3 * i + 2] = b;
  }
  return lut;
})();
