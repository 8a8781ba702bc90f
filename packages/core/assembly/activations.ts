// Activation functions, forward and backward. Kind codes are indices in ACTIVATIONS (backend.ts).
// Every kind runs 4 lanes at a time (piecewise-linear ones here, the others in activations-simd.ts)
// except softplus forward; the scalar paths (softplus and the n % 4 tails) compute in float64.
// Gradients (activationGrad) flush subnormal results to zero (flush.ts); identity's is a plain copy.

import {
  ELU,
  GELU,
  GELU_C,
  GELU_K,
  IDENTITY,
  LEAKY_RELU,
  RELU,
  SELU,
  SELU_ALPHA,
  SELU_LAMBDA,
  SIGMOID,
  SOFTPLUS,
  SWISH,
  TANH,
} from './activation-kinds';
import { derivative4, forward4, hasDerivative4, hasForward4 } from './activations-simd';
import { flushLimit, ftz, ftz4 } from './flush';
import { sigmoid64, softplus64 } from './math';

function forward(kind: i32, x: f64, alpha: f64): f64 {
  switch (kind) {
    case SIGMOID:
      return sigmoid64(x);
    case TANH:
      return Math.tanh(x);
    case ELU:
      return x > 0 ? x : alpha * Math.expm1(x);
    case SELU:
      return SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
    case GELU:
      // 0.5*x*(1+tanh(u)) == x*sigmoid(2u): the same value without the cancellation of 1+tanh(u)
      // for negative x, where tanh(u) is close to -1.
      return x * sigmoid64(2 * GELU_C * (x + GELU_K * x * x * x));
    case SOFTPLUS:
      return softplus64(x);
    case SWISH:
      return x * sigmoid64(x);
    default:
      return x;
  }
}

/** f'(x) from x, for the kinds whose derivative needs exp (sigmoid and tanh use y: sigmoidTanhGrad). */
function derivative(kind: i32, x: f64, alpha: f64): f64 {
  switch (kind) {
    case ELU:
      // alpha*e^x from x rather than y + alpha, which would lose digits to y's f32 rounding.
      return x > 0 ? 1 : alpha * Math.exp(x);
    case SELU:
      return x > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(x);
    case GELU: {
      // With s = sigmoid(2u): 0.5*(1+tanh u) = s and 1 - tanh(u)^2 = 4s(1-s).
      const s = sigmoid64(2 * GELU_C * (x + GELU_K * x * x * x));
      return s + 2 * x * s * (1 - s) * GELU_C * (1 + 3 * GELU_K * x * x);
    }
    case SOFTPLUS:
      return sigmoid64(x);
    case SWISH: {
      const s = sigmoid64(x);
      return s * (1 + x * (1 - s));
    }
    default:
      return 1;
  }
}

export function activation(kind: i32, x: usize, y: usize, n: i32, alpha: f32): void {
  if (kind == IDENTITY) {
    if (x != y) memory.copy(y, x, (<usize>n) << 2);
    return;
  }
  if (kind == RELU || kind == LEAKY_RELU) {
    // relu is leakyRelu with slope 0: y = x > 0 ? x : slope*x, selected lane-wise.
    const slope: f32 = kind == RELU ? 0 : alpha;
    const sv = f32x4.splat(slope);
    const zero = f32x4.splat(0);
    const n4 = n & ~3;
    let i = 0;
    for (; i < n4; i += 4) {
      const o = (<usize>i) << 2;
      const v = v128.load(x + o);
      v128.store(y + o, v128.bitselect(v, f32x4.mul(v, sv), f32x4.gt(v, zero)));
    }
    for (; i < n; i++) {
      const o = (<usize>i) << 2;
      const v = load<f32>(x + o);
      store<f32>(y + o, v > 0 ? v : slope * v);
    }
    return;
  }
  let i = 0;
  if (hasForward4(kind)) {
    // 4 lanes at a time in f32; the tail (and softplus) stay scalar in f64.
    const n4 = n & ~3;
    for (; i < n4; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(y + o, forward4(kind, v128.load(x + o), alpha));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(y + o, <f32>forward(kind, <f64>load<f32>(x + o), <f64>alpha));
  }
}

export function activationGrad(
  kind: i32,
  x: usize,
  y: usize,
  dy: usize,
  dx: usize,
  n: i32,
  alpha: f32,
): void {
  if (kind == IDENTITY) {
    if (dy != dx) memory.copy(dx, dy, (<usize>n) << 2);
    return;
  }
  if (kind == RELU || kind == LEAKY_RELU) {
    // At x = 0 the slope is the left one (0 for relu, alpha for leakyRelu), as PyTorch.
    const slope: f32 = kind == RELU ? 0 : alpha;
    const sv = f32x4.splat(slope);
    const zero = f32x4.splat(0);
    const lim = flushLimit();
    const n4 = n & ~3;
    let i = 0;
    for (; i < n4; i += 4) {
      const o = (<usize>i) << 2;
      const g = v128.load(dy + o);
      const d = v128.bitselect(g, f32x4.mul(g, sv), f32x4.gt(v128.load(x + o), zero));
      v128.store(dx + o, ftz4(d, lim));
    }
    for (; i < n; i++) {
      const o = (<usize>i) << 2;
      const g = load<f32>(dy + o);
      store<f32>(dx + o, ftz(load<f32>(x + o) > 0 ? g : slope * g));
    }
    return;
  }
  if (kind == SIGMOID || kind == TANH) {
    sigmoidTanhGrad(kind == SIGMOID, y, dy, dx, n);
    return;
  }
  let i = 0;
  if (hasDerivative4(kind)) {
    const lim = flushLimit();
    const n4 = n & ~3;
    for (; i < n4; i += 4) {
      const o = (<usize>i) << 2;
      const d = f32x4.mul(v128.load(dy + o), derivative4(kind, v128.load(x + o), alpha));
      v128.store(dx + o, ftz4(d, lim));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const d = derivative(kind, <f64>load<f32>(x + o), <f64>alpha);
    store<f32>(dx + o, ftz(<f32>(<f64>load<f32>(dy + o) * d)));
  }
}

/**
 * sigmoid' = y(1-y) and tanh' = 1 - y^2 need only y, no exp: 4 lanes in f32 (a few roundings, well
 * inside the parity tolerance). These two are the activations whose gradients vanish in deep nets.
 */
function sigmoidTanhGrad(isSigmoid: bool, y: usize, dy: usize, dx: usize, n: i32): void {
  const one = f32x4.splat(1);
  const lim = flushLimit();
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = (<usize>i) << 2;
    const v = v128.load(y + o);
    const d = isSigmoid ? f32x4.mul(v, f32x4.sub(one, v)) : f32x4.sub(one, f32x4.mul(v, v));
    v128.store(dx + o, ftz4(f32x4.mul(v128.load(dy + o), d), lim));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const v = load<f32>(y + o);
    store<f32>(dx + o, ftz(load<f32>(dy + o) * (isSigmoid ? v * (1 - v) : 1 - v * v)));
  }
}
