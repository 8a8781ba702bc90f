// Four lanes of an activation and of its derivative, for the kinds whose formulas need exp (the
// piecewise-linear ones are selects in activations.ts). Built on simd-math.ts; the formulas are the
// float64 ones of activations.ts, in f32.
import {
  ELU,
  GELU,
  GELU_C,
  GELU_K,
  SELU,
  SELU_ALPHA,
  SELU_LAMBDA,
  SIGMOID,
  SOFTPLUS,
  SWISH,
  TANH,
} from './activation-kinds';
import { expm1Neg4, expNeg4, sigmoid4, tanh4 } from './simd-math';

/** Kinds with a SIMD forward (softplus needs log1p, which simd-math.ts does not have). */
export function hasForward4(kind: i32): bool {
  return kind == SIGMOID || kind == TANH || kind == ELU || kind == SELU || kind == GELU || kind == SWISH;
}

/** Kinds with a SIMD derivative from x (sigmoid and tanh use y: sigmoidTanhGrad). */
export function hasDerivative4(kind: i32): bool {
  return kind == ELU || kind == SELU || kind == GELU || kind == SOFTPLUS || kind == SWISH;
}

/** 2*sqrt(2/pi)*(x + 0.044715 x^3): gelu(x) = x*sigmoid(this). x^3 may overflow to +-Inf, harmlessly. */
function geluArg(v: v128): v128 {
  const inner = f32x4.add(v, f32x4.mul(f32x4.splat(<f32>GELU_K), f32x4.mul(v, f32x4.mul(v, v))));
  return f32x4.mul(f32x4.splat(<f32>(2 * GELU_C)), inner);
}

export function forward4(kind: i32, v: v128, alpha: f32): v128 {
  const pos = f32x4.gt(v, f32x4.splat(0));
  // pmin(v, 0) = 0 < v ? 0 : v keeps NaN, and e^x is only needed (and only safe) for x <= 0.
  const neg = f32x4.pmin(v, f32x4.splat(0));
  switch (kind) {
    case SIGMOID:
      return sigmoid4(v);
    case TANH:
      return tanh4(v);
    case ELU:
      return v128.bitselect(v, f32x4.mul(f32x4.splat(alpha), expm1Neg4(neg)), pos);
    case SELU: {
      const y = v128.bitselect(v, f32x4.mul(f32x4.splat(<f32>SELU_ALPHA), expm1Neg4(neg)), pos);
      return f32x4.mul(f32x4.splat(<f32>SELU_LAMBDA), y);
    }
    case GELU:
      return f32x4.mul(v, sigmoid4(geluArg(v)));
    default: // swish
      return f32x4.mul(v, sigmoid4(v));
  }
}

export function derivative4(kind: i32, v: v128, alpha: f32): v128 {
  const one = f32x4.splat(1);
  const pos = f32x4.gt(v, f32x4.splat(0));
  const neg = f32x4.pmin(v, f32x4.splat(0));
  switch (kind) {
    case ELU: // alpha*e^x below 0, so alpha at the kink, as PyTorch
      return v128.bitselect(one, f32x4.mul(f32x4.splat(alpha), expNeg4(neg)), pos);
    case SELU: {
      const below = f32x4.mul(f32x4.splat(<f32>(SELU_LAMBDA * SELU_ALPHA)), expNeg4(neg));
      return v128.bitselect(f32x4.splat(<f32>SELU_LAMBDA), below, pos);
    }
    case GELU: {
      // s + 2x*s*(1-s)*c*(1 + 3k x^2) with s = sigmoid(2u). Past |x| = 20, s(1-s) < 1e-250 in exact
      // arithmetic, but x^2 may overflow f32 and turn 0*Inf into NaN: use the limits 1 and 0 there.
      const u2 = geluArg(v);
      const s = sigmoid4(u2);
      const du = f32x4.add(one, f32x4.mul(f32x4.splat(<f32>(3 * GELU_K)), f32x4.mul(v, v)));
      const ss = f32x4.mul(s, sigmoid4(f32x4.neg(u2))); // 1-s as sigmoid(-2u): no cancellation
      const d = f32x4.add(
        s,
        f32x4.mul(f32x4.mul(f32x4.mul(f32x4.add(v, v), ss), f32x4.splat(<f32>GELU_C)), du),
      );
      const far = f32x4.gt(f32x4.abs(v), f32x4.splat(20));
      return v128.bitselect(v128.and(pos, one), d, far);
    }
    case SOFTPLUS:
      return sigmoid4(v);
    default: {
      // swish: s*(1 + x*(1-s)), with 1-s = sigmoid(-x) so that x*(1-s) keeps its digits for large x
      const s = sigmoid4(v);
      return f32x4.mul(s, f32x4.add(one, f32x4.mul(v, sigmoid4(f32x4.neg(v)))));
    }
  }
}
