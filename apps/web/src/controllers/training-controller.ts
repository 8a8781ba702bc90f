import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PlaygroundState, RunSpec } from '../state/state.js';
import { yourData } from '../state/your-data.js';
import { logDomain } from '../views/color-scale.js';
import { type HistogramSeries, mergeHistograms } from '../views/grad-histograms.js';
import { keepStride, MAX_CURVE_POINTS, MAX_HEAT_COLUMNS } from '../views/thinning.js';
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

/** Everything the page knows about one run, accumulated from the worker's progress messages. */
export interface RunView {
  spec: RunSpec;
  step: number;
  stepsPerSecond: number;
  layerNames: string[];
  /** Steps of the curves' points: the multiples of `curveStride` (views/thinning.ts). */
  steps: number[];
  loss: number[];
  /** The moving average of the loss over every step (LOSS_SMOOTHING), for the chart. */
  lossSmooth: number[];
  metric: number[];
  /** Steps between the curves' points: keepStride(last step, MAX_CURVE_POINTS). */
  curveStride: number;
  /** The last step's loss, smoothed loss and metric (the curves may have skipped that step). */
  latest: { loss: number; lossSmooth: number; metric: number } | null;
  gradNorms: number[];
  /** Columns of per-layer gradient norms, oldest first; `heatSteps[i]` is column i's step. */
  heat: number[][];
  heatSteps: number[];
  /** Steps between heat-map columns: keepStride(last column's step, MAX_HEAT_COLUMNS). */
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

/** A run's view before its first progress message. */
export function emptyRun(spec: RunSpec): RunView {
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
    const keep = keeper(run.steps, u.steps, run.curveStride, MAX_CURVE_POINTS);
    next.steps = keep(run.steps, u.steps);
    next.loss = keep(run.loss, u.loss);
    next.lossSmooth = keep(run.lossSmooth, u.lossSmooth);
    next.metric = keep(run.metric, u.metric);
    next.curveStride = keep.stride;
  }
  if (u.latest) next.latest = u.latest;
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
    const keep = keeper(run.heatSteps, u.heatSteps, run.heatStride, MAX_HEAT_COLUMNS);
    next.heat = keep(run.heat, u.heatColumns);
    next.heatSteps = keep(run.heatSteps, u.heatSteps);
    next.heatStride = keep.stride;
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

/**
 * Joins a series' old entries to the new ones, keeping those whose step is a multiple of the stride at
 * the newest step (views/thinning.ts). The worker sends only such steps; when the stride grew, the
 * old entries are thinned to it too. Arrays passed are parallel to `oldSteps` and `newSteps`.
 */
function keeper(oldSteps: number[], newSteps: number[], oldStride: number, max: number) {
  const stride = keepStride(newSteps.at(-1) as number, max);
  const kept = (steps: number[]) => steps.map((step) => step % stride === 0);
  const keepOld = stride === oldStride ? null : kept(oldSteps);
  const keepNew = kept(newSteps);
  const join = <T>(old: T[], fresh: T[]): T[] =>
    (keepOld ? old.filter((_, i) => keepOld[i]) : old).concat(fresh.filter((_, i) => keepNew[i]));
  return Object.assign(join, { stride });
}

/** Every other entry, the last always kept (the through-time heat map: one column per message). */
function thin<T>(a: T[]): T[] {
  return a.filter((_, i) => i % 2 === (a.length - 1) % 2);
}
