import type { Preset } from './preset.js';

/**
 * Pascanu, Mikolov & Bengio, "On the difficulty of training recurrent neural networks" (ICML 2013):
 * when the recurrent weights are large, the gradient through time grows exponentially, one step of
 * gradient descent throws the weights far away, and training ends in overflow; rescaling the gradient
 * when its norm exceeds a threshold (clipping) bounds every step and lets training continue.
 *
 * Settings: a tanh RNN of 32 units with orthogonal recurrent weights times 2 (every singular value 2),
 * the adding problem with T = 10, plain SGD at lr 0.05, batch 32, 400 steps; the variant clips the
 * global gradient norm at 1.
 */
export const explodingRnn: Preset = {
  name: 'exploding-rnn',
  title: 'An exploding RNN with and without gradient clipping',
  citation: 'Pascanu, Mikolov & Bengio 2013',
  explanation:
    'With recurrent weights whose singular values are all 2, each step back in time can double the ' +
    'gradient wherever the tanh units are not saturated. The gradient norm grows past thousands, one SGD ' +
    'step moves the weights by as much, the outputs grow, the next gradient is larger still, and within ' +
    'a hundred steps the numbers overflow to NaN. Clipping rescales the whole gradient to norm 1 whenever ' +
    'it is larger: the direction is kept, the step is bounded, and the same network trains to a finite ' +
    'loss below the 0.167 of guessing. Clipping treats the symptom; the gradient itself still explodes, ' +
    'which the diagnosis keeps reporting.',
  watch:
    "the step at which the unclipped run turns NaN, the largest gradient norm, and the clipped run's final loss",
  base: {
    label: 'no clipping',
    task: { kind: 'adding', length: 10, n: 1024 },
    model: {
      kind: 'recurrent',
      cell: 'rnn',
      activation: 'tanh',
      hidden: 32,
      layers: 1,
      recurrentInit: { kind: 'orthogonal', gain: 2 },
    },
    optimizer: { kind: 'sgd', lr: 0.05 },
    batchSize: 32,
    steps: 400,
    seed: 1,
    backend: 'wasm',
  },
  variants: [{ label: 'clip norm 1', remedies: ['clip-norm'] }],
};
