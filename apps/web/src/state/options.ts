/**
 * The playground's vocabulary: every choice a user can make, as closed lists. The URL parser accepts
 * only these values, and the controls render from them, so the two cannot drift apart.
 */

export const TASKS = [
  'spiral',
  'circles',
  'xor',
  'moons',
  'gaussians',
  'mnist',
  'adding',
  'copy',
  'csv',
] as const;
export type TaskName = (typeof TASKS)[number];

/** Tasks whose inputs are sequences: the network is recurrent and the cell remedy applies. */
export const SEQUENCE_TASKS: readonly TaskName[] = ['adding', 'copy'];
/** Tasks with 2-D inputs: the decision boundary view applies. */
export const PLANE_TASKS: readonly TaskName[] = ['spiral', 'circles', 'xor', 'moons', 'gaussians'];

export const ACTIVATIONS = ['relu', 'leakyRelu', 'elu', 'selu', 'gelu', 'tanh', 'sigmoid'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const INITS = ['he', 'glorot', 'orthogonal', 'small', 'large', 'scaled'] as const;
export type InitName = (typeof INITS)[number];

export const NORMS = ['none', 'batch', 'layer'] as const;
export type NormName = (typeof NORMS)[number];

export const CLIPS = ['none', 'value', 'norm'] as const;
export type ClipName = (typeof CLIPS)[number];

export const OPTIMIZERS = ['sgd', 'momentum', 'rmsprop', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const CELLS = ['rnn', 'lstm', 'gru'] as const;
export type CellName = (typeof CELLS)[number];

export const BACKENDS = ['wasm', 'ts'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Human labels for the selects; keys are the values stored in state and URLs. */
export const LABELS: Record<string, string> = {
  relu: 'ReLU',
  leakyRelu: 'leaky ReLU',
  elu: 'ELU',
  selu: 'SELU',
  gelu: 'GELU',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  he: 'He (Kaiming)',
  glorot: 'Glorot (Xavier)',
  orthogonal: 'orthogonal',
  small: 'small (N(0, 0.01²))',
  large: 'large (N(0, 1))',
  scaled: 'N(0, σw²/fan_in), biases N(0, σb²)',
  none: 'none',
  batch: 'batch norm',
  layer: 'layer norm',
  value: 'by value',
  norm: 'by global norm',
  sgd: 'SGD',
  momentum: 'SGD + momentum',
  rmsprop: 'RMSprop (lr × 0.1)',
  adam: 'Adam (lr × 0.1)',
  rnn: 'RNN (tanh)',
  lstm: 'LSTM',
  gru: 'GRU',
  wasm: 'WASM SIMD',
  ts: 'TypeScript',
  spiral: 'spiral (2-D)',
  circles: 'circles (2-D)',
  xor: 'xor (2-D)',
  moons: 'moons (2-D)',
  gaussians: 'gaussians (2-D)',
  mnist: 'MNIST digits (784 pixels)',
  adding: 'adding problem (sequence)',
  copy: 'copy task (sequence)',
  csv: 'Your data (CSV)',
};

export function label(value: string): string {
  return LABELS[value] ?? value;
}

/** Numeric settings: inclusive bounds, and whether the value must be an integer. */
export interface NumericRange {
  min: number;
  max: number;
  integer: boolean;
}

export const RANGES = {
  depth: { min: 1, max: 64, integer: true },
  width: { min: 2, max: 256, integer: true },
  lr: { min: 1e-6, max: 10, integer: false },
  batchSize: { min: 1, max: 512, integer: true },
  seqLen: { min: 2, max: 200, integer: true },
  noise: { min: 0, max: 1, integer: false },
  samples: { min: 16, max: 8192, integer: true },
  symbols: { min: 1, max: 10, integer: true },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
  steps: { min: 1, max: 100_000, integer: true },
  speed: { min: 1, max: 10_000, integer: true },
  clipValue: { min: 1e-6, max: 1e6, integer: false },
  weightDecay: { min: 0, max: 1, integer: false },
  sigmaW: { min: 0.05, max: 4, integer: false },
  sigmaB: { min: 0, max: 2, integer: false },
} as const satisfies Record<string, NumericRange>;

/** Most runs side by side: a baseline and up to four variants. */
export const MAX_VARIANTS = 4;
