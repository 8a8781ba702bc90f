// Scalar float64 helpers shared by several kernel files (not exported from the module).

/** 1/(1+e^-x) without overflow: e^-|x| is at most 1, so |x| up to 1e30 (and Inf) is safe. */
export function sigmoid64(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1+e^x) = max(x,0) + log1p(e^-|x|), exact for large |x| where the naive form overflows. */
export function softplus64(x: f64): f64 {
  return max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
