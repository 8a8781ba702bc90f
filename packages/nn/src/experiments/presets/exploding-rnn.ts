import type { Preset } from './preset.js';

/** Sequence length, recurrent gain and the clipping thresholds the variants use: the text below is made from them. */
const T = 10;
const GAIN = 2;
const CLIPS = [0.1, 1, 10];

/**
 * Pascanu, Mikolov & Bengio, "On the difficulty of training recurrent neural networks" (ICML 2013):
 * when the recurrent weights are large, the gradient through time grows exponentially, one step of
 * gradient descent throws the weights far away, and training ends in overflow; rescaling the gradient
 * when its norm exceeds a threshold (clipping) bounds every step and lets training continue.
 *
 * Settings: a tanh RNN of 32 units with orthogonal recurrent weights times 2 (every singular value 2),
 * the adding problem with T = 10, plain SGD at lr 0.05, batch 32, 400 steps; the variants clip the
 * global gradient norm at 0.1, 1 and 10. What the text states is asserted on seeds 1-5 by the preset tests.
 */
export const explodingRnn: Preset = {
  name: 'exploding-rnn',
  title: 'An exploding RNN with and without gradient clipping',
  citation: 'Pascanu, Mikolov & Bengio 2013',
  explanation:
    `With recurrent weights whose singular values are all ${GAIN}, each step back in time can multiply the ` +
    `gradient by up to ${GAIN} wherever the tanh units are not saturated. Without clipping the gradient norm ` +
    'grows by orders of magnitude and the diagnosis names it exploding on ' +
    'every seed we test (1-5): on some the numbers overflow to NaN, on the others the run ends with ' +
    `saturated units and a loss far above guessing. Clipping rescales the whole gradient to norm c whenever ` +
    `it is larger (here c = ${CLIPS.join(', ')}): the direction is kept and the step is bounded, and every ` +
    'clipped run finishes finite. The diagnosis reports the clipped runs healthy, and it judges the norm ' +
    'before clipping: the bounded steps kept the weights from growing into the explosion, clipping did not ' +
    `hide it. At c = 1 the held-out MSE ends below guessing's ${(1 / 6).toFixed(3)} on every seed.`,
  watch: `the unclipped run's first non-finite step (or its peak gradient norm), the clipped runs' final loss, and ||dL/dh_1|| / ||dL/dh_${T}||`,
  base: {
    label: 'no clipping',
    task: { kind: 'adding', length: T, n: 1024 },
    model: {
      kind: 'recurrent',
      cell: 'rnn',
      activation: 'tanh',
      hidden: 32,
      layers: 1,
      recurrentInit: { kind: 'orthogonal', gain: GAIN },
    },
    optimizer: { kind: 'sgd', lr: 0.05 },
    batchSize: 32,
    steps: 400,
    seed: 1,
    backend: 'wasm',
  },
  variants: CLIPS.map((c) => ({ label: `clip norm ${c}`, clip: { norm: c } })),
};
