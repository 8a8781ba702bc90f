export { Activation, type ActivationOptions, checkActivation } from './activation.js';
export { Dense, type DenseOptions } from './dense.js';
export {
  type GradcheckOptions,
  type GradcheckResult,
  gradcheck,
  gradcheckLayer,
  relativeError,
} from './gradcheck.js';
export * from './losses/index.js';
export { DEFAULT_INIT, type WeightLayerOptions } from './params.js';
export { Sequential } from './sequential.js';
