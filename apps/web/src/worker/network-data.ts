/**
 * The network view's numbers, gathered in the worker: a UnitProbe samples the training step at most
 * every NETWORK_MS while the view is open (nothing at all while it is closed), and for 2-D tasks each
 * shown neuron's activation over a coarse grid of the input plane. Only the shown units travel.
 */
import type { Dataset, Model, UnitEdges, UnitSample, UnitSnapshot } from '@vgp/nn';
import { Tensor, UnitProbe } from '@vgp/nn';

/**
 * Sample the step at most this often: 4 pictures a second read as live, and the sample (a few reads
 * of every layer) stays a few percent of the training time of every run sharing the worker.
 */
export const NETWORK_MS = 250;
/** Recompute the maps over the input plane at most this often: they change slowly, and cost forwards. */
export const PLANE_MS = 1000;
/** Each neuron's map over the input plane is PLANE_GRID x PLANE_GRID points. */
export const PLANE_GRID = 12;
/** A recurrent column is drawn at this many time steps at most, spread evenly from the first to the last. */
export const TIME_WINDOW = 8;
/** Neurons drawn per column. */
export const TOP_UNITS = 8;

export interface EdgeView {
  /** Row-major [previous column's shown units, this column's shown units]. */
  weight: number[];
  grad: number[];
  /** |dw| / |w| of the sampled step, or null when not measured. */
  update: number[] | null;
}

/** One column of neurons, with the numbers of its shown units only. */
export interface NetLayerView {
  name: string;
  kind: 'input' | 'hidden' | 'recurrent' | 'output';
  units: number;
  activation: string | null;
  /** The layer of the per-layer charts this column's incoming weights belong to (null for the input). */
  weightLayer: string | null;
  /** Mean |dL/da| over every unit of the column (null when unknown: the output, whose dL/dy no layer keeps). */
  meanGrad: number | null;
  /** Smallest and largest |dL/da| over every unit, for the "+N more" tooltip. */
  gradRange: [number, number] | null;
  /** Unit indexes drawn (the largest |dL/da|), and per shown unit: */
  shown: number[];
  grad: number[] | null;
  actMean: number[] | null;
  actStd: number[] | null;
  saturated: number[] | null;
  dead: boolean[] | null;
  /** Activation distribution over the batch per shown unit, binned over `histRange`. */
  hist: number[][] | null;
  histRange: [number, number] | null;
  edges: EdgeView | null;
  recurrentEdges: EdgeView | null;
  /** Recurrent columns: the time steps drawn (0-based, of `steps`) and per step, per shown unit, |dL/dh_t| and mean h_t. */
  time: { steps: number; at: number[]; grad: number[][]; actMean: number[][] } | null;
}

export interface NetworkView {
  step: number;
  layers: NetLayerView[];
  /** 2-D tasks: the latest maps over the input plane (sent when recomputed; the page keeps the last). */
  plane: PlaneMaps | null;
}

/** Every unit's activation over a grid of the input plane. */
export interface PlaneMaps {
  /** [xmin, xmax, ymin, ymax] */
  extent: [number, number, number, number];
  /** The grid is size x size, row-major, y from the top. */
  size: number;
  /** Per column, unit u's map at [u * size^2, (u + 1) * size^2). */
  maps: Float32Array[];
}

/** Folds a new sample into the previous one: the plane maps stay until new ones arrive. */
export function mergeNetwork(prev: NetworkView | null | undefined, next: NetworkView): NetworkView {
  return next.plane || !prev?.plane ? next : { ...next, plane: prev.plane };
}

const pick = (xs: ArrayLike<number> | null, idx: number[]): number[] | null =>
  xs ? idx.map((i) => xs[i] as number) : null;

function edgeView(e: UnitEdges | null): EdgeView | null {
  if (!e) return null;
  return {
    weight: Array.from(e.weight),
    grad: Array.from(e.grad),
    update: e.update ? Array.from(e.update) : null,
  };
}

/** Time steps 0..steps-1 spread evenly, first and last included, at most `n`. */
export function timeWindow(steps: number, n: number): number[] {
  if (steps <= n) return Array.from({ length: steps }, (_, t) => t);
  return Array.from({ length: n }, (_, k) => Math.round((k * (steps - 1)) / (n - 1)));
}

function range(xs: Float64Array | null): [number, number] | null {
  if (!xs || xs.length === 0) return null;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** A probe sample as the page draws it: per column, the shown units' numbers. */
export function layerView(s: UnitSample): NetLayerView {
  const idx = s.shown;
  let time: NetLayerView['time'] = null;
  if (s.time) {
    const at = timeWindow(s.time.grad.length, TIME_WINDOW);
    const g = s.time.grad;
    const a = s.time.actMean;
    time = {
      steps: g.length,
      at,
      grad: at.map((t) => pick(g[t] ?? null, idx) ?? idx.map(() => Number.NaN)),
      actMean: at.map((t) => pick(a[t] ?? null, idx) ?? idx.map(() => Number.NaN)),
    };
  }
  const hist = s.hist;
  return {
    name: s.name,
    kind: s.kind,
    units: s.units,
    activation: s.activation,
    weightLayer: s.weightLayer,
    meanGrad: s.meanGrad,
    gradRange: range(s.grad),
    shown: idx,
    grad: pick(s.grad, idx),
    actMean: pick(s.actMean, idx),
    actStd: pick(s.actStd, idx),
    saturated: pick(s.saturated, idx),
    dead: s.dead ? idx.map((i) => s.dead?.[i] === 1) : null,
    hist: hist ? idx.map((i) => Array.from(hist.counts.subarray(i * hist.bins, (i + 1) * hist.bins))) : null,
    histRange: hist ? [hist.lo, hist.hi] : null,
    edges: edgeView(s.edges),
    recurrentEdges: edgeView(s.recurrentEdges),
    time,
  };
}

/** The extent of a 2-D data set's inputs, padded by 10% as the decision boundary pads it. */
export function planeExtent(data: Dataset): [number, number, number, number] {
  const n = data.xShape[0] as number;
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    const x = data.x[2 * i] as number;
    const y = data.x[2 * i + 1] as number;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const pad = 0.1 * Math.max(x1 - x0, y1 - y0);
  return [x0 - pad, x1 + pad, y0 - pad, y1 + pad];
}

/**
 * Every unit's activation over a PLANE_GRID^2 grid of the plane: the points go through the model
 * in chunks of the training batch size, so the layers keep their buffers.
 */
export function planeMaps(
  probe: UnitProbe,
  extent: [number, number, number, number],
  batch: number,
): PlaneMaps {
  const cells = PLANE_GRID * PLANE_GRID;
  const maps = probe.layers.map((l) => new Float32Array(l.units * cells));
  const input = Tensor.zeros(probe.model.backend, [batch, 2]);
  const stage = new Float32Array(batch * 2);
  try {
    for (let start = 0; start < cells; start += batch) {
      for (let j = 0; j < batch; j++) {
        const c = Math.min(start + j, cells - 1);
        stage[2 * j] = extent[0] + (((c % PLANE_GRID) + 0.5) / PLANE_GRID) * (extent[1] - extent[0]);
        stage[2 * j + 1] =
          extent[3] - ((Math.floor(c / PLANE_GRID) + 0.5) / PLANE_GRID) * (extent[3] - extent[2]);
      }
      probe.model.backend.write(input.buf, stage);
      const cols = probe.activationsAt(input);
      probe.layers.forEach((l, k) => {
        const col = cols[k] as ArrayLike<number>;
        const map = maps[k] as Float32Array;
        for (let j = 0; j < batch && start + j < cells; j++) {
          for (let u = 0; u < l.units; u++) map[u * cells + start + j] = col[j * l.units + u] as number;
        }
      });
    }
  } finally {
    input.dispose();
  }
  return { extent, size: PLANE_GRID, maps };
}

/**
 * One run's network-view sampler. `beforeStep`/`afterStep` bracket a training step; they do nothing
 * while the view is closed, and arm/capture the probe at most every NETWORK_MS while it is open.
 */
export class NetworkSampler {
  private probe: UnitProbe | null = null;
  private armed = false;
  private last = Number.NEGATIVE_INFINITY;
  private lastPlane = Number.NEGATIVE_INFINITY;
  private snapshot: { step: number; snap: UnitSnapshot } | null = null;
  private readonly extent: [number, number, number, number] | null;

  constructor(
    private readonly model: Model,
    private readonly now: () => number,
    /** 2-D tasks: the training data (for the plane's extent) and the batch size to evaluate the grid in. */
    private readonly plane: { data: Dataset; batch: number } | null,
  ) {
    this.extent = plane ? planeExtent(plane.data) : null;
  }

  setOpen(open: boolean): void {
    // Plane tasks draw maps, not distributions: no histograms to compute.
    if (open) this.probe ??= new UnitProbe(this.model, { top: TOP_UNITS, bins: this.plane ? 0 : 12 });
    else {
      this.probe?.dispose();
      this.probe = null;
      this.armed = false;
      this.snapshot = null;
      this.lastPlane = Number.NEGATIVE_INFINITY;
    }
  }

  beforeStep(): void {
    if (!this.probe || this.now() - this.last < NETWORK_MS) return;
    this.probe.arm();
    this.armed = true;
  }

  afterStep(step: number): void {
    if (!this.armed || !this.probe) return;
    this.armed = false;
    this.last = this.now();
    this.snapshot = { step, snap: this.probe.capture() };
  }

  /** The view of the latest sample not yet sent, or undefined. Call after training, before other forwards. */
  take(): NetworkView | undefined {
    const s = this.snapshot;
    if (!s || !this.probe) return undefined;
    this.snapshot = null;
    let plane: PlaneMaps | null = null;
    if (this.plane && this.extent && this.now() - this.lastPlane >= PLANE_MS) {
      this.lastPlane = this.now();
      plane = planeMaps(this.probe, this.extent, this.plane.batch);
    }
    return { step: s.step, layers: s.snap.layers.map(layerView), plane };
  }

  dispose(): void {
    this.probe?.dispose();
    this.probe = null;
  }
}
