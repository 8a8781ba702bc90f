export { Activation, type ActivationOptions, checkActivation } from './activation.js';
export { BatchNorm, type BatchNormOptions, type NormOptions } from './batch-norm.js';
export { Dense, type DenseOptions } from './dense.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export {
  type GradcheckOptions,
  type GradcheckResult,
  gradcheck,
  gradcheckLayer,
  relativeError,
} from './gradcheck.js';
export { LayerNorm } from './layer-norm.js';
export * from './losses/index.js';
export { DEFAULT_INIT, type WeightLayerOptions } from './params.js';
export * from './recurrent/index.js';
export { Residual, type ResidualOptions } from './residual.js';
export { Sequential } from './sequential.js';
