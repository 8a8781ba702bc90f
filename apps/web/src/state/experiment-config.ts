/**
 * The playground's toggles <-> @vgp/nn's `ExperimentConfig`, the plain-JSON run description the CLI
 * uses too. Each run of the page is one config, so an exported run can be rerun with `vgp run`.
 */
import type { ExperimentConfig, InitSpec, ModelConfig, OptimizerSpec } from '@vgp/nn';
import type { Activation, InitName, OptimizerName, TaskName } from './options.js';
import { ACTIVATIONS, SEQUENCE_TASKS, TASKS } from './options.js';
import type { RunSpec, SharedSettings } from './state.js';

/**
 * The shared learning rate is SGD's. Adaptive rules divide each step by a running gradient scale, so
 * their useful rates are smaller (PyTorch's Adam default is 1e-3 where SGD examples use 0.01): they run
 * at lr x ADAPTIVE_LR_SCALE, and the option labels say so.
 */
export const ADAPTIVE_LR_SCALE = 0.1;
/** MNIST digits held out to measure accuracy (the presets' choice). */
export const MNIST_TEST = 500;
/** Momentum coefficient of the "SGD + momentum" choice (PyTorch examples' and the presets' 0.9). */
export const MOMENTUM = 0.9;

const INITS: Record<InitName, InitSpec> = {
  he: 'heNormal',
  glorot: 'glorotUniform',
  orthogonal: 'orthogonal',
  // N(0, 0.01^2): the "small random numbers" init whose signal vanishes with depth (and time).
  small: { kind: 'normal', scale: 0.01 },
  // N(0, 1): far above 1/sqrt(fan_in), so signals and gradients explode with depth (and time).
  large: { kind: 'normal', scale: 1 },
  // N(0, sigma_w^2 / fan_in): the mean-field parameterization (gain set from the run in mlpInit).
  scaled: { kind: 'varianceScaling', gain: 1 },
};

/** An mlp's init: 'scaled' and 'orthogonal' take the run's sigma_w as their gain. */
function mlpInit(run: RunSpec): InitSpec {
  if (run.init === 'scaled') return { kind: 'varianceScaling', gain: run.sigmaW };
  if (run.init === 'orthogonal' && run.sigmaW !== 1) return { kind: 'orthogonal', gain: run.sigmaW };
  return INITS[run.init];
}

function optimizer(run: RunSpec, shared: SharedSettings): OptimizerSpec {
  const adaptive = run.optimizer === 'adam' || run.optimizer === 'rmsprop';
  const lr = adaptive ? Number((shared.lr * ADAPTIVE_LR_SCALE).toPrecision(12)) : shared.lr;
  const wd = run.weightDecay > 0 ? { weightDecay: run.weightDecay } : {};
  if (run.optimizer === 'momentum') return { kind: 'momentum', lr, momentum: MOMENTUM, ...wd };
  return { kind: run.optimizer, lr, ...wd };
}

/**
 * Recurrent nets: the init choice is about the recurrent matrix W_hh, the one repeated over time.
 * He and Glorot set the input weights and keep W_hh orthogonal (the default); small and large scale
 * W_hh so the signal shrinks or grows at every step (gain 2 is what the exploding-RNN preset uses).
 */
const RECURRENT_INITS: Record<InitName, { init?: InitSpec; recurrentInit?: InitSpec }> = {
  he: { init: 'heNormal' },
  glorot: {},
  orthogonal: { recurrentInit: 'orthogonal' },
  small: { recurrentInit: { kind: 'normal', scale: 0.01 } },
  large: { recurrentInit: { kind: 'orthogonal', gain: 2 } },
  // sigma_w and sigma_b are mlp settings; a recurrent net keeps its default inits.
  scaled: {},
};

function model(run: RunSpec, shared: SharedSettings): ModelConfig {
  if (SEQUENCE_TASKS.includes(shared.task)) {
    return {
      kind: 'recurrent',
      cell: run.cell,
      hidden: shared.width,
      layers: shared.depth,
      // A plain RNN takes tanh or relu; the gated cells have fixed nonlinearities.
      ...(run.cell === 'rnn'
        ? { activation: run.activation === 'relu' ? ('relu' as const) : ('tanh' as const) }
        : {}),
      ...RECURRENT_INITS[run.init],
    };
  }
  const init = mlpInit(run);
  return {
    kind: 'mlp',
    depth: shared.depth,
    width: shared.width,
    activation: run.activation,
    init,
    ...(run.sigmaB > 0 ? { biasStd: run.sigmaB } : {}),
    norm: run.norm,
    residual: run.residual,
  };
}

function task(shared: SharedSettings): ExperimentConfig['task'] {
  const n = shared.samples;
  if (shared.task === 'adding') return { kind: 'adding', length: shared.seqLen, n };
  if (shared.task === 'copy') return { kind: 'copy', length: shared.seqLen, symbols: shared.symbols, n };
  // The real digits the `mnist` package ships, as flat 784-vectors; 500 held out for accuracy.
  if (shared.task === 'mnist') return { kind: 'mnist', train: n, test: MNIST_TEST };
  // Your data: the rows themselves (task.text) are added by the worker, from the file the page loaded.
  if (shared.task === 'csv') {
    return { kind: 'csv', name: shared.csvName, ...(shared.csvTarget ? { target: shared.csvTarget } : {}) };
  }
  return { kind: shared.task, noise: shared.noise, n };
}

export function toExperimentConfig(run: RunSpec, shared: SharedSettings): ExperimentConfig {
  const clip =
    run.clip === 'value' ? { value: run.clipValue } : run.clip === 'norm' ? { norm: run.clipValue } : null;
  return {
    label: run.label,
    task: task(shared),
    model: model(run, shared),
    optimizer: optimizer(run, shared),
    ...(clip ? { clip } : {}),
    batchSize: shared.batchSize,
    steps: shared.steps,
    seed: shared.seed,
    backend: shared.backend,
  };
}

function initName(spec: InitSpec | undefined, fallback: InitName): InitName {
  const kind = typeof spec === 'string' ? spec : spec?.kind;
  const scale = typeof spec === 'object' ? (spec.scale ?? 0.05) : 0.05;
  if (kind === undefined) return fallback;
  if (kind === 'varianceScaling') return 'scaled';
  if (kind === 'orthogonal' && typeof spec === 'object' && (spec.gain ?? 1) >= 1.5) return 'large';
  if (kind.startsWith('he')) return 'he';
  if (kind.startsWith('glorot') || kind.startsWith('lecun')) return 'glorot';
  if (kind === 'orthogonal') return 'orthogonal';
  if (kind === 'normal' || kind === 'uniform') return scale >= 0.3 ? 'large' : 'small';
  return fallback;
}

function recurrentInitName(init: InitSpec | undefined, recurrent: InitSpec | undefined): InitName {
  const r = recurrent === undefined ? undefined : initName(recurrent, 'glorot');
  if (r === 'small' || r === 'large') return r;
  if (r === 'orthogonal' && recurrent !== undefined) return 'orthogonal';
  return initName(init, 'glorot') === 'he' ? 'he' : 'glorot';
}

/** sigma_w (the gain of a varianceScaling or orthogonal mlp init) and sigma_b (biasStd) of a model. */
function mlpScales(m: ModelConfig): { init?: InitName; sigmaW: number; sigmaB: number } {
  if (m.kind !== 'mlp') return { sigmaW: 1, sigmaB: 0 };
  const spec = m.init;
  const kind = typeof spec === 'string' ? spec : spec?.kind;
  const gain = typeof spec === 'object' ? (spec.gain ?? 1) : 1;
  const scaled = kind === 'varianceScaling' || kind === 'orthogonal';
  return {
    ...(kind === 'orthogonal' ? { init: 'orthogonal' as const } : {}),
    sigmaW: scaled ? gain : 1,
    sigmaB: m.biasStd ?? 0,
  };
}

function optimizerName(o: OptimizerSpec): OptimizerName {
  if (o.kind === 'nesterov') return 'momentum';
  if (o.kind === 'adamw') return 'adam';
  return o.kind;
}

/** The learning rate the page's shared setting must hold for this optimizer to run at its own rate. */
export function sharedLrFor(o: OptimizerSpec): number {
  const lr = o.lr ?? (o.kind === 'adam' || o.kind === 'adamw' ? 1e-3 : 1e-2);
  const shared =
    o.kind === 'adam' || o.kind === 'adamw' || o.kind === 'rmsprop' ? lr / ADAPTIVE_LR_SCALE : lr;
  // 0.01 / 0.1 is 0.09999999999999999 in binary; keep the decimal a person typed.
  return Number(shared.toPrecision(12));
}

/** A config (remedies already applied) as the page's toggles; the closest the toggles can express. */
export function fromExperimentConfig(c: ExperimentConfig): { run: RunSpec; shared: Partial<SharedSettings> } {
  const m = c.model;
  const rec = m.kind === 'recurrent';
  const activation = (m.activation ?? 'tanh') as string;
  const run: RunSpec = {
    label: (c.label ?? 'run').slice(0, 40),
    activation: (ACTIVATIONS as readonly string[]).includes(activation) ? (activation as Activation) : 'tanh',
    init: rec ? recurrentInitName(m.init, m.recurrentInit) : initName(m.init, 'glorot'),
    norm: m.kind === 'mlp' ? (m.norm ?? 'none') : 'none',
    residual: m.kind === 'mlp' ? (m.residual ?? false) : false,
    clip: c.clip?.norm !== undefined ? 'norm' : c.clip?.value !== undefined ? 'value' : 'none',
    clipValue: c.clip?.norm ?? c.clip?.value ?? 1,
    optimizer: optimizerName(c.optimizer),
    weightDecay: c.optimizer.weightDecay ?? 0,
    cell: rec ? m.cell : 'rnn',
    ...mlpScales(m),
  };
  const t = c.task;
  const shared: Partial<SharedSettings> = {
    depth: rec ? m.layers : m.depth,
    width: rec ? m.hidden : m.width,
    lr: sharedLrFor(c.optimizer),
    batchSize: c.batchSize,
    steps: c.steps,
    seed: c.seed,
    backend: c.backend,
  };
  if ((TASKS as readonly string[]).includes(t.kind)) shared.task = t.kind as TaskName;
  if (t.kind === 'adding' || t.kind === 'copy') shared.seqLen = t.length;
  if (t.kind === 'copy' && t.symbols !== undefined) shared.symbols = t.symbols;
  if ('n' in t && t.n !== undefined) shared.samples = t.n;
  if (t.kind === 'mnist') shared.samples = t.train ?? 2000;
  if (t.kind === 'csv') {
    shared.csvName = t.name ?? '';
    shared.csvTarget = typeof t.target === 'string' ? t.target : '';
  }
  if ('noise' in t && t.noise !== undefined) shared.noise = t.noise;
  return { run, shared };
}
