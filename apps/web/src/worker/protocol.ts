/**
 * Typed messages between the page and the training worker. The worker speaks in view terms (what
 * the page draws), not in @vgp/nn terms, so components never see a layer or a buffer.
 */
import type { ExperimentConfig, History } from '@vgp/nn';
import type { PlaygroundState, RunSpec } from '../state/state.js';
import type { YourData } from '../state/your-data.js';
import type { NetworkView } from './network-data.js';

/**
 * Page -> worker. `configure` starts a new generation (a counter the page increases with every
 * configure); the worker stamps every message it sends with the generation of the runs it is about,
 * and the page drops any message of an older one, so a run's data can only reach its own card.
 */
export type ToWorker =
  /**
   * Builds every run from scratch (same seed, same data) and pauses. With `only`, this worker builds
   * those runs of the state alone (ascending indices: the page splits a comparison's runs among its
   * workers); each keeps its index.
   */
  | {
      type: 'configure';
      generation: number;
      state: PlaygroundState;
      csv?: YourData | null;
      only?: number[];
    }
  | { type: 'play' }
  | { type: 'pause' }
  /** Trains every run `count` more steps, then pauses. */
  | { type: 'step'; count: number }
  /** Upper bound on steps per second per run. */
  | { type: 'speed'; stepsPerSecond: number }
  /** Asks for everything recorded so far, for export. */
  | { type: 'export'; requestId: number }
  /** Opens or closes the network view: runs sample per-unit numbers for it only while it is open. */
  | { type: 'network'; open: boolean };

/** Worker -> page, each message stamped with the generation it belongs to (0 before any configure). */
export type FromWorker = { generation: number } & (
  | { type: 'ready'; backend: string; detail: string }
  /** What the worker is busy with before training can start (e.g. loading MNIST); '' when done. */
  | { type: 'status'; detail: string }
  | { type: 'progress'; playing: boolean; runs: RunUpdate[] }
  | { type: 'export'; requestId: number; runs: RunExport[] }
  /** `kind` is the error's class (ConfigError, DataError, ...); `run` the run it concerns, if one. */
  | { type: 'error'; kind: string; message: string; run?: number }
);

/** One remedy a verdict suggests, with the run change that applies it (null when the page cannot). */
export interface RemedyView {
  name: string;
  /** A few words for the new variant's label, e.g. "ReLU + He". */
  short: string;
  reason: string;
  patch: Partial<RunSpec> | null;
}

export interface VerdictView {
  kind: string;
  severity: string;
  /** Indexes of the layers the verdict is about. */
  layers: number[];
  /** The numbers behind the verdict, in words ("first/last gradient ratio 3.2e-7"). */
  evidence: string[];
  remedies: RemedyView[];
}

/** Measured per-layer gain of the backward signal beside the activation's theoretical bound. */
export interface GainView {
  /** Geometric mean of ||dL/dh_{l}|| / ||dL/dh_{l+1}|| over the layers. */
  measured: number;
  /** Layers over which the signal halves (null when it does not shrink). */
  halvingDepth: number | null;
  /** The bound per layer from the activation's derivative, e.g. 0.25 for sigmoid; null if none. */
  bound: number | null;
  /** How the bound compounds over the whole depth, e.g. 0.25^10 = 9.5e-7. */
  boundOverDepth: number | null;
  /** The number of layers the signal was measured across (the exponent above). */
  layers: number;
}

/** What changed in one run since the previous progress message. */
export interface RunUpdate {
  index: number;
  step: number;
  stepsPerSecond: number;
  /** Sent with the first update after configure, and whenever they change. */
  layerNames?: string[];
  /** New loss/metric points: the steps the curves keep (multiples of keepStride, views/thinning.ts). */
  steps: number[];
  loss: number[];
  /** The loss's moving average over every step (LOSS_SMOOTHING), at those steps. */
  lossSmooth: number[];
  metric: number[];
  /** The last step's loss, moving average and metric, kept by the curves or not (null before a step). */
  latest: { loss: number; lossSmooth: number; metric: number } | null;
  /** Latest per-layer gradient L2 norms (one per layer, input side first). */
  gradNorms: number[];
  /** New heat-map columns: per-layer gradient norms at the recorded steps the heat map keeps. */
  heatColumns: number[][];
  /** The step of each heat column. */
  heatSteps: number[];
  /** Recurrent nets: latest ||dL/dh_t|| per time step (t = 1..T). */
  timeNorms?: number[];
  /** Per layer, the fraction of saturated units and of dead units (0..1). */
  saturation: number[];
  dead: number[];
  verdicts?: VerdictView[];
  gain?: GainView;
  /** 2-D tasks: predicted probability of class 1 on a `size x size` grid over `extent`. */
  boundary?: BoundaryView;
  /** Set when the run stopped on its own (non-finite loss) or reached the budget. */
  finished?: 'budget' | 'diverged';
  /** Gradient histograms the monitor took since the previous update (every 50th record). */
  histograms?: HistogramUpdate;
  /** The latest network-view sample, while the page shows the network view. */
  network?: NetworkView;
}

/**
 * log10|g| histograms of every weight matrix's gradient (see `GradHistogram` in @vgp/nn): bin i of
 * `bins` covers [minExp + i w, minExp + (i+1) w), w = (maxExp - minExp) / bins.
 */
export interface HistogramUpdate {
  minExp: number;
  maxExp: number;
  /** The weight matrices, input side first, e.g. `dense0.weight`, `lstm0.recurrent`. */
  names: string[];
  steps: number[];
  /** `counts[k][p]`: the histogram of `names[p]` at `steps[k]`. */
  counts: number[][][];
}

export interface BoundaryView {
  size: number;
  /** [xmin, xmax, ymin, ymax] */
  extent: [number, number, number, number];
  /** Row-major, y from top to bottom; values in 0..1 (class-1 probability or argmax share). */
  grid: number[];
  /** A sample of the training points: x, y, class. */
  points: Array<[number, number, number]>;
}

/** Everything recorded for a run, for the JSON/CSV export. */
export interface RunExport {
  label: string;
  spec: RunSpec;
  /** The run as an @vgp/nn ExperimentConfig: `vgp run` reruns it. */
  config: ExperimentConfig;
  layerNames: string[];
  records: Array<{ step: number; loss: number; metric: number; gradNorms: number[] }>;
  verdicts: VerdictView[];
  gain: GainView | null;
  /**
   * The run's recorded steps in the @vgp/nn History format (the most recent ones the page keeps), as
   * `vgp run --json` writes it: the JSON export is a valid input to `vgp diagnose`.
   */
  history: History;
}
