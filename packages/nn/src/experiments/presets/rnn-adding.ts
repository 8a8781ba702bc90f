import type { Preset } from './preset.js';

/** The sequence length; the text below is made from it. */
const T = 100;
/** Held-out MSE of the best constant prediction (the mean sum, 1): the variance of a sum of two U(0,1), 2/12. */
const GUESS = 1 / 6;

/**
 * The adding problem of Hochreiter & Schmidhuber, "Long Short-Term Memory" (Neural Computation 1997),
 * experiment 4, in the form of Le, Jaitly & Hinton (2015). Why plain RNNs fail at it: Bengio, Simard &
 * Frasconi, "Learning long-term dependencies with gradient descent is difficult" (IEEE TNN 1994). GRU:
 * Cho et al. 2014.
 *
 * Settings: sequences of T = 100 steps, 1024 training sequences, 32 hidden units, Adam at lr 0.01
 * with gradient clipping at norm 1 (so that the comparison is about memory, not about blow-ups), batch
 * 32, 1000 steps. Every outcome the text states is asserted on seeds 1-5 by the preset tests.
 */
export const rnnAdding: Preset = {
  name: 'rnn-adding',
  title: `tanh RNN vs LSTM vs GRU on the adding problem (T = ${T})`,
  citation:
    'Hochreiter & Schmidhuber 1997; Bengio et al. 1994; Cho et al. 2014 (GRU); Le et al. 2015 (task form)',
  explanation:
    `Each sequence holds ${T} random numbers, two of them marked; the target is their sum. To learn it, ` +
    `the error at the last step must reach back to the first marked number, up to ${T} steps earlier. In a ` +
    "plain RNN that path multiplies the gradient by W_hh and by tanh' once per step, and a factor below 1 " +
    `per step compounds: on every seed we test (1-5) the tanh RNN's ||dL/dh_1|| / ||dL/dh_${T}|| stays below ` +
    `1e-3, the diagnosis names vanishing through time, and the net settles for about the average (held-out ` +
    `MSE near the ${GUESS.toFixed(3)} of guessing). The LSTM keeps a cell state that is updated by addition ` +
    'and scaled only by the forget gate, and the GRU interpolates with its previous state: both give the ' +
    `gradient a path through time that need not shrink, and both learn the task (held-out MSE below 0.05 on ` +
    'every seed). They do not start that way: at the first step their ratio is below 1e-6 too.',
  watch: `the held-out loss (${GUESS.toFixed(3)} is guessing) and the ratio ||dL/dh_1|| / ||dL/dh_${T}|| (the vanishing verdict's threshold is 1e-3)`,
  base: {
    label: 'tanh RNN',
    task: { kind: 'adding', length: T, n: 1024 },
    model: { kind: 'recurrent', cell: 'rnn', activation: 'tanh', hidden: 32, layers: 1 },
    optimizer: { kind: 'adam', lr: 0.01 },
    clip: { norm: 1 },
    batchSize: 32,
    steps: 1000,
    seed: 1,
    backend: 'wasm',
  },
  variants: [
    { label: 'LSTM', remedies: ['lstm'] },
    { label: 'GRU', remedies: ['gru'] },
  ],
};
