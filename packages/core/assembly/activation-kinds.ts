// Activation kind codes (indices in ACTIVATIONS, backend.ts) and the constants of their formulas.

export const IDENTITY = 0;
export const SIGMOID = 1;
export const TANH = 2;
export const RELU = 3;
export const LEAKY_RELU = 4;
export const ELU = 5;
export const SELU = 6;
export const GELU = 7;
export const SOFTPLUS = 8;
export const SWISH = 9;

export const SELU_ALPHA: f64 = 1.6732632423543772;
export const SELU_LAMBDA: f64 = 1.0507009873554805;
export const GELU_C: f64 = 0.7978845608028654; // sqrt(2/pi)
export const GELU_K: f64 = 0.044715;
