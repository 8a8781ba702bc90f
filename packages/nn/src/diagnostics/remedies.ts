/**
 * The remedies a verdict can suggest. Each has a stable id (the experiments module turns an id into a
 * change of an `ExperimentConfig`, so the playground can add "the suggested remedy" as a variant) and a
 * one-line reason saying why it helps.
 */

export const REMEDY_IDS = [
  'relu-he',
  'he-init',
  'glorot-init',
  'orthogonal-init',
  'critical-init',
  'residual',
  'batch-norm',
  'layer-norm',
  'leaky-relu',
  'lstm',
  'gru',
  'forget-bias',
  'clip-norm',
  'lower-lr',
  'higher-lr',
  'adam',
  'less-weight-decay',
] as const;

/** The stable id of a remedy, e.g. `'relu-he'` or `'clip-norm'`. */
export type RemedyId = (typeof REMEDY_IDS)[number];

/** A suggested change to the model or training, with why it helps; verdicts list them best first. */
export interface Remedy {
  /** Which remedy; the experiments module can apply it to a config. */
  id: RemedyId;
  /** What to change, imperative. */
  action: string;
  /** Why it helps, one line. */
  reason: string;
}

const CATALOG: Record<RemedyId, Omit<Remedy, 'id'>> = {
  'relu-he': {
    action: 'use ReLU with He initialization',
    reason:
      "ReLU's slope is 1 wherever a unit is active, so the activations stop shrinking the signal; He init keeps its scale",
  },
  'he-init': {
    action: 'initialize weights with He (Kaiming) normal',
    reason:
      'std sqrt(2/fan_in) makes each ReLU layer preserve the variance of the signal, forward and backward',
  },
  'glorot-init': {
    action: 'initialize weights with Glorot (Xavier)',
    reason:
      'std sqrt(2/(fan_in+fan_out)) starts sigmoid/tanh pre-activations in the linear region, not the flat tails',
  },
  'orthogonal-init': {
    action: 'initialize recurrent weights orthogonally',
    reason:
      'all singular values are 1, so repeated multiplication by W_hh neither shrinks nor grows the signal',
  },
  'critical-init': {
    action:
      'initialize at the edge of chaos: weights N(0, sigma_w^2 / fan_in) with the sigma_w at which chi_1 = 1 for this activation and bias std',
    reason:
      'mean-field theory (Schoenholz et al. 2017): chi_1, the per-layer factor of the squared backward signal, is then 1, so depth neither shrinks nor grows it at init',
  },
  residual: {
    action: 'add residual (skip) connections',
    reason:
      'y = x + f(x) gives the gradient an identity path past every block, so depth cannot multiply it away',
  },
  'batch-norm': {
    action: 'add batch normalization after each hidden Dense',
    reason:
      'it re-centres and rescales pre-activations every step, keeping them where the derivative is large',
  },
  'layer-norm': {
    action: 'add layer normalization after each hidden Dense',
    reason: 'like batch norm but per example, so it works for any batch size and for recurrent nets',
  },
  'leaky-relu': {
    action: 'use leaky ReLU (or ELU)',
    reason: 'a small negative slope keeps a gradient flowing through every unit, so none can die',
  },
  lstm: {
    action: 'replace the RNN by an LSTM',
    reason:
      "the cell state is updated additively and scaled by the forget gate, not by W_hh and tanh' at every step",
  },
  gru: {
    action: 'replace the RNN by a GRU',
    reason:
      'its update gate interpolates with the previous state, an additive path the gradient crosses unshrunk',
  },
  'forget-bias': {
    action: 'initialize the LSTM forget-gate bias to 1',
    reason:
      'forget gates start near 0.73 instead of 0.5, so the cell remembers over many more steps at the start',
  },
  'clip-norm': {
    action: 'clip gradients by global norm (e.g. max norm 1)',
    reason:
      'rescaling the gradient when its norm is too large bounds every step, as Pascanu et al. (2013) propose',
  },
  'lower-lr': {
    action: 'lower the learning rate (e.g. by 10x)',
    reason:
      'smaller steps keep weights in the region where the gradient was measured and stop runaway growth',
  },
  'higher-lr': {
    action: 'raise the learning rate (e.g. by 3x)',
    reason: 'when the gradient is healthy but steps are tiny, the loss moves too slowly to see progress',
  },
  adam: {
    action: 'train with Adam',
    reason:
      'per-parameter step sizes move even layers with tiny gradients; it treats the symptom, not the cause',
  },
  'less-weight-decay': {
    action: 'reduce weight decay',
    reason: 'decay pulls weights toward zero every step; with small gradients nothing pushes them back',
  },
};

/** Remedies in the given order of preference, each with its action and reason. */
export function remedies(...ids: RemedyId[]): Remedy[] {
  return ids.map((id) => ({ id, ...CATALOG[id] }));
}
