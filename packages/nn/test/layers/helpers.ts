import { type Backend, createBackend } from '@vgp/core';
import { expect } from 'vitest';
import { type ForwardOptions, gradcheckLayer, type Layer, Rng, Tensor } from '../../src/index.js';

/** Tolerances of the acceptance criteria: f64 finite differences, and WASM/f32 against the f64 reference. */
export const GRAD_TOL = 1e-6;
export const PARITY_TOL = 1e-4;

let ts64: Backend | null = null;
let ts32: Backend | null = null;
let wasm: Backend | null = null;

export async function backends(): Promise<{ ts64: Backend; ts32: Backend; wasm: Backend }> {
  ts64 ??= await createBackend('ts', { precision: 'f64' });
  ts32 ??= await createBackend('ts', { precision: 'f32' });
  wasm ??= await createBackend('wasm');
  return { ts64, ts32, wasm };
}

/** Values with |v| in [0.2, 1.5] and a random sign: away from the kinks of the relu family at 0. */
export function awayFromZero(rng: Rng, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1) * rng.range(0.2, 1.5));
}

export function uniform(rng: Rng, n: number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, () => rng.range(lo, hi));
}

/** An integer in [lo, hi]. */
export function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

/** max |a - b| / max |ref|: agreement relative to the reference's scale (entries near 0 have no own scale). */
export function scaledDiff(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  expect(a.length).toBe(ref.length);
  let d = 0;
  let m = 0;
  for (let i = 0; i < ref.length; i++) {
    d = Math.max(d, Math.abs(a[i] - ref[i]));
    m = Math.max(m, Math.abs(ref[i]));
  }
  if (Number.isNaN(d)) return Number.POSITIVE_INFINITY;
  return d / Math.max(m, 1e-12);
}

export interface Built {
  layer: Layer;
  x: Tensor;
  /** Runs before every forward (e.g. resets a dropout seed). */
  beforeForward?: () => void;
}

/** f64 TS gradient check of a freshly built layer under a random probe loss. */
export function expectGradcheck(built: Built, rng: Rng, fwd: ForwardOptions = { training: true }): void {
  const y = built.layer.forward(built.x, fwd);
  const probe = uniform(rng, y.size);
  const r = gradcheckLayer(built.layer, built.x, probe, { forward: fwd, beforeForward: built.beforeForward });
  expect(r.checked).toBeGreaterThan(0);
  if (!(r.maxRelError < GRAD_TOL)) {
    throw new Error(`${built.layer.name}: max relative error ${r.maxRelError} at ${JSON.stringify(r.worst)}`);
  }
}

interface Snapshot {
  output: Float64Array;
  inputGrad: Float64Array;
  /** Parameter gradients, then non-trained buffers (running statistics). */
  grads: Map<string, Float64Array>;
}

function snapshot(built: Built, probeSeed: number, fwd: ForwardOptions): Snapshot {
  built.beforeForward?.();
  const y = built.layer.forward(built.x, fwd);
  const dy = Tensor.from(built.layer.backend, y.shape, uniform(new Rng(probeSeed), y.size));
  const dx = built.layer.backward(dy);
  // Layer names differ between builds (counters), so params are keyed by position and role suffix.
  const grads = new Map(
    built.layer
      .params()
      .map((p, i) => [`${i}${p.name.slice(p.name.indexOf('.'))}`, Float64Array.from(p.grad.read())]),
  );
  for (const [i, b] of built.layer.buffers().entries())
    grads.set(`buffer${i}`, Float64Array.from(b.value.read()));
  const s = { output: Float64Array.from(y.read()), inputGrad: Float64Array.from(dx.read()), grads };
  dy.dispose();
  return s;
}

/**
 * Builds the same layer (same seed, same input) on TS f64, TS f32 and WASM, runs forward and backward under
 * one probe, and expects outputs, input gradients and every parameter gradient to agree within PARITY_TOL.
 */
export async function expectParity(
  build: (backend: Backend, rng: Rng) => Built,
  seed: number,
  fwd: ForwardOptions = { training: true },
): Promise<void> {
  const bs = await backends();
  const ref = build(bs.ts64, new Rng(seed));
  // Exactly one forward per build, so stateful layers (dropout seeds, running statistics) stay in step.
  const want = snapshot(ref, seed + 1, fwd);
  for (const [label, backend] of [
    ['ts f32', bs.ts32],
    ['wasm', bs.wasm],
  ] as const) {
    const other = build(backend, new Rng(seed));
    const got = snapshot(other, seed + 1, fwd);
    const report = (what: string, e: number) => expect(e, `${label} ${what}`).toBeLessThan(PARITY_TOL);
    report('output', scaledDiff(got.output, want.output));
    report('input gradient', scaledDiff(got.inputGrad, want.inputGrad));
    expect([...got.grads.keys()]).toEqual([...want.grads.keys()]);
    for (const [name, g] of want.grads)
      report(`grad ${name}`, scaledDiff(got.grads.get(name) as Float64Array, g));
    other.layer.dispose();
    other.x.dispose();
  }
  ref.layer.dispose();
  ref.x.dispose();
}

/** After warm-up steps, further forward+backward steps at the same batch size leave backend memory unchanged. */
export function expectSteadyMemory(built: Built, steps = 3, fwd: ForwardOptions = { training: true }): void {
  const backend = built.layer.backend;
  const step = () => {
    built.beforeForward?.();
    const y = built.layer.forward(built.x, fwd);
    built.layer.backward(y);
  };
  step();
  step();
  const before = backend.memoryBytes();
  for (let i = 0; i < steps; i++) step();
  expect(backend.memoryBytes()).toBe(before);
}
