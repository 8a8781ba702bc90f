import type { Floats } from '../backend.js';

export function fill(x: Floats, value: number): void {
  x.fill(value);
}

export function copy(src: Floats, dst: Floats): void {
  // TypedArray.set copies as if through a temporary, so overlapping views are safe.
  dst.set(src);
}

export function scale(x: Floats, s: number): void {
  for (let i = 0; i < x.length; i++) x[i] = s * x[i];
}

export function axpby(alpha: number, x: Floats, beta: number, y: Floats): void {
  // beta = 0 must not read y: 0 * NaN would be NaN, and BLAS ignores y then.
  if (beta === 0) {
    for (let i = 0; i < y.length; i++) y[i] = alpha * x[i];
  } else {
    for (let i = 0; i < y.length; i++) y[i] = alpha * x[i] + beta * y[i];
  }
}

export function mul(a: Floats, b: Floats, out: Floats): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i];
}

export function clipByValue(x: Floats, limit: number): void {
  // Math.min/max keep NaN as NaN, like torch.clamp.
  for (let i = 0; i < x.length; i++) x[i] = Math.min(limit, Math.max(-limit, x[i]));
}
