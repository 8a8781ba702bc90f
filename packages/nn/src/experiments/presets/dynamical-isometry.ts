import type { Preset } from './preset.js';

/**
 * Pennington, Schoenholz & Ganguli, "Resurrecting the sigmoid in deep learning through dynamical
 * isometry" (NIPS 2017); Saxe, McClelland & Ganguli 2014 (orthogonal init); Schoenholz et al. 2017
 * (the edge of chaos). A 64-layer tanh net at the critical point sigma_w = 1, sigma_b = 0 has chi_1 = 1,
 * so the squared backward signal keeps its size on average with Gaussian or orthogonal weights alike;
 * only orthogonal weights also keep every direction's gain near 1 (the Jacobian's singular values).
 * ReLU with He scaling is critical too (chi_1 = 1) but its Jacobian's singular values spread widely.
 *
 * Settings: two moons, 64 hidden layers of 32 units, SGD with momentum, 300 steps. The test
 * (test/mean-field/dynamical-isometry.test.ts) measures the spectra of these networks' hidden stacks.
 */
export const dynamicalIsometry: Preset = {
  name: 'dynamical-isometry',
  title: 'Dynamical isometry: a 64-layer tanh net at the edge of chaos, orthogonal vs Gaussian vs ReLU+He',
  citation:
    'Pennington, Schoenholz & Ganguli 2017 (Resurrecting the sigmoid); Saxe et al. 2014; Schoenholz et al. 2017',
  explanation:
    'All three networks are at the edge of chaos: chi_1, the factor by which one layer multiplies the ' +
    'squared backward signal, is 1 for tanh with sigma_w = 1 and sigma_b = 0 and for ReLU with He ' +
    'scaling (sigma_w^2 / 2 = 1). That fixes the average gain, not the gain of every direction. The ' +
    "singular values of the network's input-output Jacobian say how much each direction is stretched: " +
    'with orthogonal weights, tanh at this point keeps at least 95% of them within [0.5, 2] across a ' +
    '64-layer stack of width 32 (and of width 256, 128 layers deep); with Gaussian weights, or ReLU, at ' +
    'most a quarter of them stay there (at width 256 and depth 128, at most 10%). See them with ' +
    '`vgp spectrum --activation tanh --init orthogonal --depth 64 --width 32` and `--init normal`, then ' +
    'compare how the three train on the same data and seed.',
  watch:
    'the singular-value spread from `vgp spectrum` (share in [0.5, 2]), then the loss curves and the backward-signal ratio of the three runs',
  base: {
    label: 'tanh, orthogonal, sigma_w = 1',
    task: { kind: 'moons', n: 512, noise: 0.1 },
    model: {
      kind: 'mlp',
      depth: 64,
      width: 32,
      activation: 'tanh',
      // Orthogonal with gain 1 (sigma_w = 1); biases start at 0 (sigma_b = 0).
      init: 'orthogonal',
    },
    optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 },
    batchSize: 64,
    steps: 300,
    seed: 1,
    backend: 'wasm',
  },
  variants: [
    { label: 'tanh, Gaussian, sigma_w = 1', model: { init: { kind: 'varianceScaling', gain: 1 } } },
    { label: 'ReLU + He (Gaussian)', model: { activation: 'relu', init: 'heNormal' } },
  ],
};
