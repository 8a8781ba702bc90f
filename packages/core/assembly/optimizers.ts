// Optimizer updates fused per parameter buffer: one pass reads w, g and the state and writes them
// back, 4 lanes at a time with a scalar tail. Hyperparameters arrive as f64 (JS numbers); the bias
// corrections of Adam are formed in f64 before the f32 loop. Formulas follow torch.optim.
// The optimizer state (velocity, running squares, Adam's moments) is stored with subnormals flushed
// to zero (flush.ts): once a gradient is zero, m and v decay geometrically and would otherwise
// spend hundreds (m) to thousands (Adam's v, beta2 = 0.999) of steps in the subnormal range.

import { flushLimit, ftz, ftz4 } from './flush';

export function sgdStep(w: usize, g: usize, n: i32, lr: f32, weightDecay: f32): void {
  const lrv = f32x4.splat(lr);
  const wdv = f32x4.splat(weightDecay);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    const wi = v128.load(w + o);
    const gi = f32x4.add(v128.load(g + o), f32x4.mul(wdv, wi));
    v128.store(w + o, f32x4.sub(wi, f32x4.mul(lrv, gi)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const wi = load<f32>(w + o);
    store<f32>(w + o, wi - lr * (load<f32>(g + o) + weightDecay * wi));
  }
}

export function momentumStep(
  w: usize,
  g: usize,
  v: usize,
  n: i32,
  lr: f32,
  momentum: f32,
  weightDecay: f32,
  nesterov: i32,
): void {
  const lrv = f32x4.splat(lr);
  const mv = f32x4.splat(momentum);
  const wdv = f32x4.splat(weightDecay);
  const lim = flushLimit();
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    const wi = v128.load(w + o);
    const gi = f32x4.add(v128.load(g + o), f32x4.mul(wdv, wi));
    const vi = ftz4(f32x4.add(f32x4.mul(mv, v128.load(v + o)), gi), lim);
    v128.store(v + o, vi);
    const step = nesterov ? f32x4.add(gi, f32x4.mul(mv, vi)) : vi;
    v128.store(w + o, f32x4.sub(wi, f32x4.mul(lrv, step)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const wi = load<f32>(w + o);
    const gi = load<f32>(g + o) + weightDecay * wi;
    const vi = ftz(momentum * load<f32>(v + o) + gi);
    store<f32>(v + o, vi);
    store<f32>(w + o, wi - lr * (nesterov ? gi + momentum * vi : vi));
  }
}

export function rmspropStep(
  w: usize,
  g: usize,
  sq: usize,
  n: i32,
  lr: f32,
  alpha: f32,
  eps: f32,
  weightDecay: f32,
): void {
  const lrv = f32x4.splat(lr);
  const av = f32x4.splat(alpha);
  const bv = f32x4.splat(1 - alpha);
  const ev = f32x4.splat(eps);
  const wdv = f32x4.splat(weightDecay);
  const lim = flushLimit();
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    const wi = v128.load(w + o);
    const gi = f32x4.add(v128.load(g + o), f32x4.mul(wdv, wi));
    const s = ftz4(f32x4.add(f32x4.mul(av, v128.load(sq + o)), f32x4.mul(bv, f32x4.mul(gi, gi))), lim);
    v128.store(sq + o, s);
    v128.store(w + o, f32x4.sub(wi, f32x4.div(f32x4.mul(lrv, gi), f32x4.add(f32x4.sqrt(s), ev))));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const wi = load<f32>(w + o);
    const gi = load<f32>(g + o) + weightDecay * wi;
    const s = ftz(alpha * load<f32>(sq + o) + (1 - alpha) * gi * gi);
    store<f32>(sq + o, s);
    store<f32>(w + o, wi - (lr * gi) / (Mathf.sqrt(s) + eps));
  }
}

export function adamStep(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  n: i32,
  lr: f64,
  beta1: f64,
  beta2: f64,
  eps: f64,
  weightDecay: f64,
  step: f64,
  decoupled: i32,
): void {
  // w -= lr * (m/bc1) / (sqrt(v/bc2) + eps), rewritten as stepSize*m / (sqrt(v*invBc2) + eps).
  const stepSize = <f32>(lr / (1 - beta1 ** step));
  const invBc2 = <f32>(1 / (1 - beta2 ** step));
  // AdamW decays the weight directly (w *= 1 - lr*wd); Adam folds the decay into the gradient (L2).
  const shrink = <f32>(decoupled ? 1 - lr * weightDecay : 1);
  const l2 = <f32>(decoupled ? 0 : weightDecay);
  const b1 = <f32>beta1;
  const c1 = <f32>(1 - beta1);
  const b2 = <f32>beta2;
  const c2 = <f32>(1 - beta2);
  const e = <f32>eps;
  const ssv = f32x4.splat(stepSize);
  const ib2v = f32x4.splat(invBc2);
  const shv = f32x4.splat(shrink);
  const l2v = f32x4.splat(l2);
  const b1v = f32x4.splat(b1);
  const c1v = f32x4.splat(c1);
  const b2v = f32x4.splat(b2);
  const c2v = f32x4.splat(c2);
  const ev = f32x4.splat(e);
  const lim = flushLimit();
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    const w0 = v128.load(w + o);
    const gi = f32x4.add(v128.load(g + o), f32x4.mul(l2v, w0));
    const wi = f32x4.mul(w0, shv);
    const mi = ftz4(f32x4.add(f32x4.mul(b1v, v128.load(m + o)), f32x4.mul(c1v, gi)), lim);
    const vi = ftz4(f32x4.add(f32x4.mul(b2v, v128.load(v + o)), f32x4.mul(c2v, f32x4.mul(gi, gi))), lim);
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = f32x4.add(f32x4.sqrt(f32x4.mul(vi, ib2v)), ev);
    v128.store(w + o, f32x4.sub(wi, f32x4.div(f32x4.mul(ssv, mi), denom)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const w0 = load<f32>(w + o);
    const gi = load<f32>(g + o) + l2 * w0;
    const mi = ftz(b1 * load<f32>(m + o) + c1 * gi);
    const vi = ftz(b2 * load<f32>(v + o) + c2 * gi * gi);
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, w0 * shrink - (stepSize * mi) / (Mathf.sqrt(vi * invBc2) + e));
  }
}
