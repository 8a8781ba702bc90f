import { ConfigError } from '@vgp/core';
import type { Param } from '../tensor.js';

/** Clamps every gradient element to [-limit, limit] (PyTorch `clip_grad_value_`). */
export function clipGradValue(params: readonly Param[], limit: number): void {
  if (!(Number.isFinite(limit) && limit > 0)) {
    throw new ConfigError(`clip value limit must be a finite number > 0 (e.g. 1), got ${limit}`);
  }
  for (const p of params) p.grad.backend.clipByValue(p.grad.buf, limit);
}

/** The global L2 norm of all gradients, sqrt(sum over params of sum g^2), accumulated in float64. */
export function gradNorm(params: readonly Param[]): number {
  let total = 0;
  for (const p of params) total += p.grad.backend.sumSquares(p.grad.buf);
  return Math.sqrt(total);
}

/**
 * Rescales all gradients together so their global L2 norm is at most `maxNorm` and returns the norm
 * before clipping, as PyTorch's `clip_grad_norm_`: coef = maxNorm / (norm + 1e-6), applied when < 1.
 * The 1e-6 keeps the division finite for a zero gradient (then no scaling happens anyway).
 * A non-finite norm leaves the gradients untouched and is returned as is, so the caller (or the
 * gradient monitor) can see the explosion instead of receiving gradients silently zeroed or NaN.
 */
export function clipGradNorm(params: readonly Param[], maxNorm: number): number {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0)) {
    throw new ConfigError(`clip maxNorm must be a finite number > 0 (e.g. 1), got ${maxNorm}`);
  }
  const norm = gradNorm(params);
  const coef = maxNorm / (norm + 1e-6);
  if (Number.isFinite(norm) && coef < 1) {
    for (const p of params) p.grad.backend.scale(p.grad.buf, coef);
  }
  return norm;
}
