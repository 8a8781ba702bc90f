import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PlaygroundState, RunSpec } from '../state/state.js';
import { yourData } from '../state/your-data.js';
import { logDomain } from '../views/color-scale.js';
import { type HistogramSeries, mergeHistograms } from '../views/grad-histograms.js';
import { mergeNetwork, type NetworkView } from '../worker/network-data.js';
import type {
  BoundaryView,
  FromWorker,
  GainView,
  RunExport,
  RunUpdate,
  ToWorker,
  VerdictView,
} from '../worker/protocol.js';
import { RunWorkers, type WorkerLink } from './run-workers.js';

/**
 * The loss curve shows an exponential moving average of the per-batch loss (TensorBoard's default
 * smoothing, 0.9): raw batch losses jump by 10x from batch to batch and hide the trend. Exports keep
 * the raw values.
 */
export const LOSS_SMOOTHING = 0.9;

/** Heat maps keep at most this many columns; older ones are thinned (every other kept) beyond it. */
export const MAX_HEAT_COLUMNS = 240;

/**
 * Loss and metric curves keep at most this many points, thinned the same way: every step of a long
 * run, concatenated and redrawn five times a second, made the page slower the longer it trained
 * (100k steps x 4 runs). The worker keeps every step for exports; the cards show the latest exactly.
 */
export const MAX_CURVE_POINTS = 2000;

/** Everything the page knows about one run, accumulated from the worker's progress messages. */
export interface RunView {
  spec: RunSpec;
  step: number;
  stepsPerSecond: number;
  layerNames: string[];
  /** Steps of the curves' points: the multiples of `curveStride` (see MAX_CURVE_POINTS). */
  steps: number[];
  loss: number[];
  /** `loss` smoothed with LOSS_SMOOTHING over every step, for the chart. */
  lossSmooth: number[];
  metric: number[];
  /** Steps between the curves' points (doubles each time they are thinned). */
  curveStride: number;
  /** The last step's loss, smoothed loss and metric (the curves may have skipped that step). */
  latest: { loss: number; lossSmooth: number; metric: number } | null;
  gradNorms: number[];
  /** Columns of per-layer gradient norms, oldest first; `heatSteps[i]` is column i's step. */
  heat: number[][];
  heatSteps: number[];
  /** Steps between heat-map columns (doubles each time the map is thinned). */
  heatStride: number;
  /** Smallest and largest finite positive gradient norm seen so far (for a shared colour scale). */
  normRange: [number, number];
  /** Recurrent nets: columns of ||dL/dh_t|| per time step, one per progress message. */
  timeHeat: number[][];
  saturation: number[];
  dead: number[];
  verdicts: VerdictView[];
  gain: GainView | null;
  boundary: BoundaryView | null;
  finished: 'budget' | 'diverged' | null;
  /** Gradient histograms over training (the step x log10|g| view); absent until the first arrives. */
  histograms?: HistogramSeries;
  /** The latest network-view sample (null until one arrives while the view is open). */
  network?: NetworkView | null;
}

function emptyRun(spec: RunSpec): RunView {
  return {
    spec,
    step: 0,
    stepsPerSecond: 0,
    layerNames: [],
    steps: [],
    loss: [],
    lossSmooth: [],
    metric: [],
    curveStride: 1,
    latest: null,
    gradNorms: [],
    heat: [],
    heatSteps: [],
    heatStride: 1,
    normRange: [Number.POSITIVE_INFINITY, 0],
    timeHeat: [],
    saturation: [],
    dead: [],
    verdicts: [],
    gain: null,
    boundary: null,
    finished: null,
    network: null,
  };
}

/**
 * Owns the training worker for a Lit host: sends it commands, folds its progress messages into
 * `runs`, and asks the host to re-render. All training happens off the main thread.
 */
export class TrainingController implements ReactiveController {
  runs: RunView[] = [];
  playing = false;
  backendDetail = '';
  /** What the worker is busy with before it can train ('' when nothing). */
  status = '';
  /**
   * The log10 colour/bar domain shared by every run, so cards compare by eye. Its identity changes
   * only when its decades do, so heat maps are not redrawn for nothing.
   */
  domain: [number, number] = [-8, 1];
  error: string | null = null;
  /** Whether the network view is open (the worker samples for it only then). */
  networkOpen = false;

  /**
   * Increased by every configure and sent with it; the worker stamps its messages with the generation
   * they belong to, and `receive` drops every message of an older one (data of replaced runs, still
   * in flight when a preset was loaded, must never reach the new cards).
   */
  generation = 0;
  private worker: WorkerLink | null = null;
  private exports = new Map<number, (runs: RunExport[]) => void>();
  private nextRequest = 1;
  private lastState: PlaygroundState | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    // A worker per run, at most one per core (see RunWorkers). `VGP_WORKERS` set on the page overrides
    // the cap: 1 is the single-worker design, which the in-page throughput measurement compares against.
    this.worker = new RunWorkers(
      () => new Worker(new URL('../worker/training-worker.ts', import.meta.url), { type: 'module' }),
      (msg) => this.receive(msg),
      (message) => {
        this.error = message;
        this.host.requestUpdate();
      },
      (globalThis as { VGP_WORKERS?: number }).VGP_WORKERS ?? globalThis.navigator?.hardwareConcurrency ?? 1,
    );
    if (this.networkOpen) this.setNetwork(true);
    if (this.lastState) this.configure(this.lastState);
  }

  hostDisconnected(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  /** Rebuilds every run from `state` (same seed and data for all) and clears what was recorded. */
  configure(state: PlaygroundState): void {
    this.lastState = state;
    this.runs = [state.baseline, ...state.variants].map((spec) => emptyRun(spec));
    this.playing = false;
    this.error = null;
    // Your data travels with every configure: the worker keeps nothing between comparisons.
    this.generation++;
    const csv = state.shared.task === 'csv' ? yourData() : null;
    this.send({ type: 'configure', generation: this.generation, state, csv });
    this.send({ type: 'speed', stepsPerSecond: state.shared.speed });
    this.host.requestUpdate();
  }

  play(): void {
    this.playing = true;
    this.send({ type: 'play' });
    this.host.requestUpdate();
  }

  pause(): void {
    this.playing = false;
    this.send({ type: 'pause' });
    this.host.requestUpdate();
  }

  /** Opens or closes the network view: the worker samples per-unit numbers only while it is open. */
  setNetwork(open: boolean): void {
    this.networkOpen = open;
    this.send({ type: 'network', open });
  }

  step(count = 1): void {
    this.send({ type: 'step', count });
  }

  setSpeed(stepsPerSecond: number): void {
    this.send({ type: 'speed', stepsPerSecond });
  }

  /** Everything the worker recorded, for export. */
  exportRuns(): Promise<RunExport[]> {
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      this.exports.set(requestId, resolve);
      this.send({ type: 'export', requestId });
    });
  }

  private updateDomain(): void {
    const d = logDomain(this.runs.flatMap((r) => [...r.gradNorms, ...r.normRange]));
    if (d[0] !== this.domain[0] || d[1] !== this.domain[1]) this.domain = d;
  }

  private send(msg: ToWorker): void {
    this.worker?.postMessage(msg);
  }

  /** Folds one worker message into the page's state; messages of an older generation are dropped. */
  receive(msg: FromWorker): void {
    if (msg.generation !== this.generation) {
      // An export asked for before a configure is asked again: its runs are gone, the new ones are not.
      if (msg.type === 'export' && this.exports.has(msg.requestId))
        this.send({ type: 'export', requestId: msg.requestId });
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.backendDetail = msg.detail;
        break;
      case 'status':
        this.status = msg.detail;
        break;
      case 'progress':
        this.playing = msg.playing;
        this.runs = this.runs.map((run, i) => {
          const u = msg.runs.find((r) => r.index === i);
          return u ? applyUpdate(run, u) : run;
        });
        this.updateDomain();
        break;
      case 'export':
        this.exports.get(msg.requestId)?.(msg.runs);
        this.exports.delete(msg.requestId);
        return;
      case 'error':
        this.error =
          msg.run === undefined ? msg.message : `${this.runs[msg.run]?.spec.label}: ${msg.message}`;
        break;
    }
    this.host.requestUpdate();
  }
}

/**
 * One progress message folded into a run's view. Returns a new object with new arrays wherever
 * something changed, so that Lit's identity checks re-render exactly the views that changed.
 */
export function applyUpdate(run: RunView, u: RunUpdate): RunView {
  const next: RunView = {
    ...run,
    step: u.step,
    stepsPerSecond: u.stepsPerSecond,
    finished: u.finished ?? null,
  };
  if (u.layerNames) next.layerNames = u.layerNames;
  if (u.steps.length > 0) {
    // The moving average runs over every step; the curves keep the steps that are multiples of
    // curveStride (a power of two), so runs thinned to different strides still share their steps
    // (the chart aligns runs by step: alignCurves).
    const smoothed = smooth(u.loss, run.latest?.lossSmooth);
    const pickEvery = (stride: number, steps: number[]) => (a: number[]) =>
      a.filter((_, i) => (steps[i] as number) % stride === 0);
    let pick = pickEvery(run.curveStride, u.steps);
    next.steps = run.steps.concat(pick(u.steps));
    next.loss = run.loss.concat(pick(u.loss));
    next.lossSmooth = run.lossSmooth.concat(pick(smoothed));
    next.metric = run.metric.concat(pick(u.metric));
    while (next.steps.length > MAX_CURVE_POINTS) {
      next.curveStride *= 2;
      pick = pickEvery(next.curveStride, next.steps);
      next.loss = pick(next.loss);
      next.lossSmooth = pick(next.lossSmooth);
      next.metric = pick(next.metric);
      next.steps = pick(next.steps);
    }
    const n = u.steps.length - 1;
    next.latest = {
      loss: u.loss[n] as number,
      lossSmooth: smoothed[n] as number,
      metric: u.metric[n] as number,
    };
  }
  if (u.gradNorms.length > 0) next.gradNorms = u.gradNorms;
  let [lo, hi] = run.normRange;
  for (const col of u.heatColumns) {
    for (const v of col) {
      if (v > 0 && Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (lo !== run.normRange[0] || hi !== run.normRange[1]) next.normRange = [lo, hi];
  if (u.heatColumns.length > 0) {
    // Keep the step axis uniform: once thinned to every k-th step, take only every k-th new one too.
    const keep = u.heatSteps.map((step, i) => (step % run.heatStride === 0 ? i : -1)).filter((i) => i >= 0);
    next.heat = run.heat.concat(keep.map((i) => u.heatColumns[i] as number[]));
    next.heatSteps = run.heatSteps.concat(keep.map((i) => u.heatSteps[i] as number));
    while (next.heat.length > MAX_HEAT_COLUMNS) {
      next.heat = thin(next.heat);
      next.heatSteps = thin(next.heatSteps);
      next.heatStride *= 2;
    }
  }
  if (u.timeNorms) {
    next.timeHeat = run.timeHeat.concat([u.timeNorms]);
    if (next.timeHeat.length > MAX_HEAT_COLUMNS) next.timeHeat = thin(next.timeHeat);
  }
  if (u.saturation.length > 0) next.saturation = u.saturation;
  if (u.dead.length > 0) next.dead = u.dead;
  if (u.verdicts) next.verdicts = u.verdicts;
  if (u.gain) next.gain = u.gain;
  if (u.boundary) next.boundary = u.boundary;
  if (u.histograms) next.histograms = mergeHistograms(run.histograms, u.histograms);
  if (u.network) next.network = mergeNetwork(run.network, u.network);
  return next;
}

/** Continues an exponential moving average from `last`; a non-finite value restarts it. */
export function smooth(values: number[], last: number | undefined): number[] {
  let m = last;
  return values.map((v) => {
    m =
      m === undefined || !Number.isFinite(m) || !Number.isFinite(v)
        ? v
        : LOSS_SMOOTHING * m + (1 - LOSS_SMOOTHING) * v;
    return m;
  });
}

/** Keeps every other element (the odd ones, so the newest survives when the length is even). */
function thin<T>(a: T[]): T[] {
  return a.filter((_, i) => i % 2 === (a.length - 1) % 2);
}
