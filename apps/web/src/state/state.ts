import type {
  Activation,
  BackendName,
  CellName,
  ClipName,
  InitName,
  NormName,
  OptimizerName,
  TaskName,
} from './options.js';

/** One network's remedies. The baseline and each variant are one of these. */
export interface RunSpec {
  /** Shown on the run's card; free text, at most 40 characters. */
  label: string;
  activation: Activation;
  init: InitName;
  norm: NormName;
  residual: boolean;
  clip: ClipName;
  /** The threshold for `clip` (|g| for value clipping, ||g|| for norm clipping). */
  clipValue: number;
  optimizer: OptimizerName;
  weightDecay: number;
  /** Recurrent tasks only: the cell of every recurrent layer. */
  cell: CellName;
  /** Mlp weight scale sigma_w: the gain of the 'scaled' (N(0, sigma_w^2 / fan_in)) and 'orthogonal' inits. */
  sigmaW: number;
  /** Mlp bias standard deviation sigma_b at init (0: zero biases). */
  sigmaB: number;
}

/** Settings every run shares, so that a comparison isolates the remedies. */
export interface SharedSettings {
  task: TaskName;
  depth: number;
  width: number;
  lr: number;
  batchSize: number;
  /** Sequence length of the recurrent tasks. */
  seqLen: number;
  /** 2-D tasks: standard deviation of the noise added to each coordinate. */
  noise: number;
  /** Training samples of the task. */
  samples: number;
  /** Copy task: how many symbols to remember. */
  symbols: number;
  seed: number;
  backend: BackendName;
  /** Training pauses once every run reached this many steps. */
  steps: number;
  /** Upper bound on steps per second per run (the "speed" control). */
  speed: number;
  /**
   * Task 'csv': the name of the file the runs train on ('' before one is loaded). The rows stay in the
   * page (state/your-data.ts); the URL keeps only this name, so the page can ask for the file again.
   */
  csvName: string;
  /** Task 'csv': the target column's name ('' = the last column). */
  csvTarget: string;
}

/** Everything the page shows can be rebuilt from this, and it is all that the URL holds. */
export interface PlaygroundState {
  shared: SharedSettings;
  baseline: RunSpec;
  /** Up to `MAX_VARIANTS`. */
  variants: RunSpec[];
  /** The preset this comparison was loaded from, if any (for the Learn panel). */
  preset: string | null;
}

export const DEFAULT_RUN: Readonly<RunSpec> = Object.freeze({
  label: 'baseline',
  activation: 'sigmoid',
  init: 'glorot',
  norm: 'none',
  residual: false,
  clip: 'none',
  clipValue: 1,
  optimizer: 'sgd',
  weightDecay: 0,
  cell: 'rnn',
  sigmaW: 1,
  sigmaB: 0,
});

export const DEFAULT_SHARED: Readonly<SharedSettings> = Object.freeze({
  task: 'spiral',
  depth: 10,
  width: 32,
  lr: 0.1,
  batchSize: 32,
  seqLen: 20,
  noise: 0.1,
  samples: 512,
  symbols: 10,
  seed: 1,
  backend: 'wasm',
  steps: 2000,
  speed: 10_000,
  csvName: '',
  csvTarget: '',
});

/** The page a first-time visitor sees: the classic deep sigmoid net next to ReLU + He. */
export function defaultState(): PlaygroundState {
  return {
    shared: { ...DEFAULT_SHARED },
    baseline: { ...DEFAULT_RUN },
    variants: [{ ...DEFAULT_RUN, label: 'ReLU + He', activation: 'relu', init: 'he' }],
    preset: null,
  };
}

/** A deep copy, so that components can edit without touching the state they were given. */
export function cloneState(s: PlaygroundState): PlaygroundState {
  return {
    shared: { ...s.shared },
    baseline: { ...s.baseline },
    variants: s.variants.map((v) => ({ ...v })),
    preset: s.preset,
  };
}

/** All runs in display order: the baseline first. */
export function allRuns(s: PlaygroundState): RunSpec[] {
  return [s.baseline, ...s.variants];
}
