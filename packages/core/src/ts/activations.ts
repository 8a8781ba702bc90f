import { type ActivationKind, type Floats, SELU_ALPHA, SELU_LAMBDA } from '../backend.js';

/** sqrt(2/pi), the GELU tanh-form constant. */
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/** 1/(1+e^-x) without overflow: exp is only ever taken of a non-positive number. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1+e^x) = max(x,0) + log1p(e^-|x|): exact for large |x|, no overflow. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_K * x * x * x)));
}

function geluDerivative(x: number): number {
  const t = Math.tanh(GELU_C * (x + GELU_K * x * x * x));
  const sech2 = 1 - t * t;
  // Once tanh saturates the second term is exactly 0; skipping it avoids 0 * Infinity for huge |x|.
  const tail = sech2 === 0 ? 0 : 0.5 * x * sech2 * GELU_C * (1 + 3 * GELU_K * x * x);
  return 0.5 * (1 + t) + tail;
}

/** f(x) for one element. */
export function activate(kind: ActivationKind, x: number, alpha: number): number {
  switch (kind) {
    case 'identity':
      return x;
    case 'sigmoid':
      return sigmoid(x);
    case 'tanh':
      return Math.tanh(x);
    case 'relu':
      return Math.max(x, 0); // keeps NaN as NaN, like torch.relu
    case 'leakyRelu':
      return x > 0 ? x : alpha * x;
    case 'elu':
      return x > 0 ? x : alpha * Math.expm1(x);
    case 'selu':
      return SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
    case 'gelu':
      return gelu(x);
    case 'softplus':
      return softplus(x);
    case 'swish':
      return x * sigmoid(x);
  }
}

/**
 * f'(x) for one element, from x and y = f(x). Kinks at x = 0 take the x <= 0 branch, as PyTorch:
 * relu'(0) = 0, leakyRelu'(0) = alpha, elu'(0) = alpha, selu'(0) = lambda * alpha.
 */
export function derivative(kind: ActivationKind, x: number, y: number, alpha: number): number {
  switch (kind) {
    case 'identity':
      return 1;
    case 'sigmoid':
      return y * (1 - y);
    case 'tanh':
      return 1 - y * y;
    case 'relu':
      return x > 0 ? 1 : 0;
    case 'leakyRelu':
      return x > 0 ? 1 : alpha;
    case 'elu':
      return x > 0 ? 1 : alpha * Math.exp(x);
    case 'selu':
      return SELU_LAMBDA * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x));
    case 'gelu':
      return geluDerivative(x);
    case 'softplus':
      return sigmoid(x);
    case 'swish': {
      // d/dx x*s(x) = s + x*s*(1-s); written so a saturated s never meets an infinite x.
      const s = sigmoid(x);
      return s + x * s * (1 - s);
    }
  }
}

export function activation(kind: ActivationKind, x: Floats, y: Floats, alpha: number): void {
  for (let i = 0; i < y.length; i++) y[i] = activate(kind, x[i], alpha);
}

export function activationGrad(
  kind: ActivationKind,
  x: Floats,
  y: Floats,
  dy: Floats,
  dx: Floats,
  alpha: number,
): void {
  for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * derivative(kind, x[i], y[i], alpha);
}

export function softmax(x: Floats, rows: number, cols: number, y: Floats): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) max = Math.max(max, x[o + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(x[o + c] - max);
    // The exponentials are taken again rather than stored, so an f32 y rounds only once.
    for (let c = 0; c < cols; c++) y[o + c] = Math.exp(x[o + c] - max) / sum;
  }
}
