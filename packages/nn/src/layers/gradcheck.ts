import { VgpError } from '@vgp/core';
import type { ForwardOptions, Layer } from '../layer.js';
import { type Param, Tensor } from '../tensor.js';

/** What {@link gradcheck} compares: closures running the model, and the tensors to perturb. */
export interface GradcheckOptions {
  /** Runs the forward pass from scratch and returns the scalar loss. Called twice per checked entry. */
  forward: () => number;
  /** Runs the backward pass of the last forward: writes the params' grads, returns dL/dinput (or null). */
  backward: () => Tensor | null;
  /** Parameters whose every entry is perturbed and compared (their `grad` must be written by `backward`). */
  params: readonly Param[];
  /** Also checks dL/dinput against finite differences of this tensor. */
  input?: Tensor;
  /** Finite-difference step (default 1e-5: in f64 the central difference then errs by ~1e-10). */
  h?: number;
  /** Floor of the error's denominator (default 1e-4); see `relativeError`. */
  floor?: number;
}

/**
 * The outcome of {@link gradcheck}: the worst disagreement found. Pass when `maxRelError` is below your
 * tolerance (~1e-6 in f64).
 */
export interface GradcheckResult {
  /** The largest `relativeError` over every checked entry. */
  maxRelError: number;
  /** Where it occurred: a param name or 'input', the flat index, and both values. */
  worst: {
    /** The parameter's name, or `'input'`. */
    name: string;
    /** Flat (row-major) index of the entry. */
    index: number;
    /** The gradient the backward pass computed. */
    analytic: number;
    /** The central finite difference. */
    numeric: number;
  };
  /** Number of entries compared. */
  checked: number;
}

/**
 * The symmetric relative error |a - n| / max(|a| + |n|, floor). Why a floor: a central difference with
 * h = 1e-5 in f64 resolves a derivative only to about eps * |L| / h ~ 1e-10 for an O(1) loss, so an entry
 * whose true gradient is ~1e-7 (common in norm layers, whose output ignores shifts of the input) would show
 * a "relative" error of 1e-3 from rounding alone. With the default floor 1e-4, entries smaller than that are
 * held to an absolute error of floor * tolerance (1e-10 at a tolerance of 1e-6) instead.
 */
export function relativeError(a: number, n: number, floor = 1e-4): number {
  return Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), floor);
}

/**
 * Compares analytic gradients with central finite differences (L(w+h) - L(w-h)) / 2h of every entry of
 * every param and of the input. Meant for the f64 TS backend; it writes entries one by one and restores them.
 */
export function gradcheck(opts: GradcheckOptions): GradcheckResult {
  const h = opts.h ?? 1e-5;
  const floor = opts.floor ?? 1e-4;
  opts.forward();
  const inputGrad = opts.backward();
  const targets: { name: string; value: Tensor; grad: Float64Array }[] = opts.params.map((p) => ({
    name: p.name,
    value: p.value,
    grad: Float64Array.from(p.grad.read()),
  }));
  if (opts.input !== undefined) {
    if (inputGrad === null)
      throw new VgpError('gradcheck: an input was given but backward returned no input gradient');
    targets.push({ name: 'input', value: opts.input, grad: Float64Array.from(inputGrad.read()) });
  }
  const result: GradcheckResult = {
    maxRelError: 0,
    worst: { name: '', index: -1, analytic: 0, numeric: 0 },
    checked: 0,
  };
  for (const t of targets) {
    const backend = t.value.backend;
    const w = Float64Array.from(t.value.read());
    for (let i = 0; i < w.length; i++) {
      const w0 = w[i];
      w[i] = w0 + h;
      backend.write(t.value.buf, w);
      const up = opts.forward();
      w[i] = w0 - h;
      backend.write(t.value.buf, w);
      const down = opts.forward();
      w[i] = w0;
      backend.write(t.value.buf, w);
      const numeric = (up - down) / (2 * h);
      const err = relativeError(t.grad[i], numeric, floor);
      result.checked++;
      // A NaN on either side is the worst possible outcome, not one that comparisons silently skip.
      const e = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err;
      if (result.worst.index === -1 || e > result.maxRelError) {
        result.maxRelError = e;
        result.worst = { name: t.name, index: i, analytic: t.grad[i], numeric };
      }
    }
  }
  return result;
}

/**
 * Gradient check of a layer under the probe loss L = sum(y * probe), whose dL/dy is `probe` itself: a fixed
 * random weighting makes every output matter with an O(1) gradient. `beforeForward` runs before every
 * forward (e.g. to reset a dropout seed so that every pass draws the same mask).
 */
export function gradcheckLayer(
  layer: Layer,
  x: Tensor,
  probe: ArrayLike<number>,
  opts: { forward?: ForwardOptions; beforeForward?: () => void; h?: number; floor?: number } = {},
): GradcheckResult {
  const fwd = opts.forward ?? { training: true };
  let dy: Tensor | null = null;
  try {
    return gradcheck({
      forward: () => {
        opts.beforeForward?.();
        const y = layer.forward(x, fwd).read();
        if (y.length !== probe.length) {
          throw new VgpError(`gradcheckLayer: the probe has ${probe.length} values, the output ${y.length}`);
        }
        let l = 0;
        for (let i = 0; i < y.length; i++) l += y[i] * probe[i];
        return l;
      },
      backward: () => {
        const out = layer.output as Tensor;
        dy ??= Tensor.from(layer.backend, out.shape, probe);
        return layer.backward(dy);
      },
      params: layer.params(),
      input: x,
      h: opts.h,
      floor: opts.floor,
    });
  } finally {
    (dy as Tensor | null)?.dispose();
  }
}
