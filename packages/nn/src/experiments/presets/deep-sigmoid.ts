import { describeShrink, MAX_DERIVATIVE } from '../../diagnostics/theory.js';
import type { Preset } from './preset.js';

/**
 * Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural networks" (AISTATS
 * 2010): with sigmoid units and standard initialization, the gradient shrinks layer by layer toward the
 * input, and deep nets stall. Remedies: ReLU with He init (He et al., "Delving Deep into Rectifiers",
 * ICCV 2015), residual connections (He et al., "Deep Residual Learning", CVPR 2016) and batch
 * normalization (Ioffe & Szegedy, ICML 2015), layer normalization (Ba, Kiros & Hinton, 2016).
 *
 * Settings: two moons (an easy task, so any failure is the gradient's fault, not the task's), 20 hidden
 * layers of 32 units, SGD with momentum 0.9 at lr 0.01, batch 64, 300 steps (about a second per run).
 */
/** Hidden layers; the text below is made from it. */
const DEPTH = 20;
/**
 * From the last weight layer's input back to the first's, the gradient crosses DEPTH sigmoid derivatives;
 * written by the function the measured flow text uses, so the two print the same figure.
 */
const SHRINK = describeShrink(MAX_DERIVATIVE.sigmoid as number, DEPTH);

export const deepSigmoid: Preset = {
  name: 'deep-sigmoid',
  title: `A ${DEPTH}-layer sigmoid MLP vs ReLU+He, residual + batch norm, and layer norm`,
  citation:
    'Glorot & Bengio 2010; He et al. 2015 (He init); He et al. 2016 (residual nets); Ioffe & Szegedy 2015 (batch norm); Ba et al. 2016 (layer norm)',
  explanation:
    "Backpropagation multiplies the gradient, at every layer, by the weights and by the activation's " +
    `derivative. A sigmoid's derivative is at most 0.25, so across ${DEPTH} sigmoid layers the derivatives alone ` +
    `pass back at most ${SHRINK} of the gradient: on every seed we test (1-5) the first layer gets less ` +
    'than 1e-11 of what the last one gets, the diagnosis names vanishing, and the net stays at guessing. ' +
    'ReLU passes the gradient unchanged wherever a unit is active, and He initialization scales the weights ' +
    'so that the signal keeps its size through every layer. Residual connections add an identity path around ' +
    'each block, and batch norm divides by the spread of each unit over the batch, which the deep sigmoid ' +
    'stack has squeezed to almost nothing, so it gives back what the sigmoids took. With either, the ' +
    'first/last ratio stays between 0.1 and 10, no vanishing is named, and the loss ends lower. Layer norm ' +
    'divides by the spread across the units of one example instead, which stays large: on every seed the ' +
    'gradient still vanishes and the net stays at guessing.',
  watch: `the first/last gradient ratio (below 1e-11 for the sigmoid net, between 0.1 and 10 for ReLU+He and residual + batch norm), the measured per-layer gain beside sigmoid's largest slope 0.25, and the final loss (ln 2 ~ 0.693 means guessing)`,
  base: {
    label: 'sigmoid (Glorot)',
    task: { kind: 'moons', n: 512, noise: 0.1 },
    model: { kind: 'mlp', depth: DEPTH, width: 32, activation: 'sigmoid', init: 'glorotUniform' },
    optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 },
    batchSize: 64,
    steps: 300,
    seed: 1,
    backend: 'wasm',
  },
  variants: [
    { label: 'ReLU + He', remedies: ['relu-he'] },
    { label: 'residual + batch norm', remedies: ['residual', 'batch-norm'] },
    { label: 'layer norm', remedies: ['layer-norm'] },
  ],
};
