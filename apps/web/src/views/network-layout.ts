/**
 * Where the network view draws things: which columns (a layer, a recurrent layer at one time step,
 * or a band of collapsed layers), where each neuron sits, and the shared scales. Pure functions of
 * the worker's NetworkView, so the component only paints and hit-tests.
 */
import type { NetLayerView, NetworkView } from '../worker/network-data.js';
import { logDomain } from './color-scale.js';

/** Columns beyond this many are folded into a band (the first and last layers stay drawn). */
export const MAX_COLUMNS = 12;
/** Hidden columns kept drawn on each side of the band. */
const KEEP_EACH_SIDE = 4;

export type Column =
  /** A layer's shown neurons; `time` is the index into `layer.time.at` for a recurrent layer's step. */
  | { kind: 'layer'; layer: number; time: number | null; x: number; label: string }
  /** Layers folded into a labelled band. */
  | { kind: 'band'; layers: number[]; x: number; label: string };

export interface NeuronSpot {
  column: number;
  layer: number;
  /** Index into the layer's `shown` (and so into its per-unit arrays). */
  slot: number;
  time: number | null;
  x: number;
  y: number;
  size: number;
}

export interface NetworkLayout {
  columns: Column[];
  neurons: NeuronSpot[];
  /** Column pitch in CSS pixels. */
  pitch: number;
  size: number;
  top: number;
  bottom: number;
}

function shortLabel(l: NetLayerView, hiddenIndex: number): string {
  if (l.kind === 'input') return 'in';
  if (l.kind === 'output') return 'out';
  return `h${hiddenIndex}`;
}

/**
 * The columns of a network, left (input) to right (output), before positions are assigned. A
 * recurrent layer is unrolled over its drawn time steps while the columns fit; stacked recurrent
 * layers share what is left (at least 2 steps each), or else show their last step as one column.
 */
export function columnsOf(view: NetworkView): Column[] {
  const recurrent = view.layers.filter((l) => l.kind === 'recurrent' && l.time).length;
  const others = view.layers.length - recurrent;
  const window = recurrent > 0 ? Math.floor((MAX_COLUMNS - others) / recurrent) : 0;
  const cols: Column[] = [];
  const foldable = new Set<Column>();
  let hidden = 0;
  view.layers.forEach((l, i) => {
    if (l.kind === 'hidden' || l.kind === 'recurrent') hidden++;
    if (l.kind === 'recurrent' && l.time) {
      const at = l.time.at;
      if (window >= 2) {
        // Spread over the drawn steps, the first and the last always among them.
        const n = Math.min(window, at.length);
        for (let k = 0; k < n; k++) {
          const idx = n === 1 ? at.length - 1 : Math.round((k * (at.length - 1)) / (n - 1));
          cols.push({ kind: 'layer', layer: i, time: idx, x: 0, label: `t${(at[idx] ?? 0) + 1}` });
        }
        return;
      }
      const c: Column = { kind: 'layer', layer: i, time: at.length - 1, x: 0, label: `h${hidden}` };
      cols.push(c);
      foldable.add(c);
      return;
    }
    const c: Column = { kind: 'layer', layer: i, time: null, x: 0, label: shortLabel(l, hidden) };
    cols.push(c);
    if (l.kind === 'hidden' || l.kind === 'recurrent') foldable.add(c);
  });
  if (cols.length <= MAX_COLUMNS) return cols;
  // Fold the middle of the hidden columns (never the input, the output or an unrolled step) into one band.
  const inner = cols.filter((c) => foldable.has(c));
  if (inner.length <= 2 * KEEP_EACH_SIDE) return cols;
  const folded = inner.slice(KEEP_EACH_SIDE, inner.length - KEEP_EACH_SIDE);
  const foldedSet = new Set(folded);
  const first = folded[0] as Column;
  const last = folded.at(-1) as Column;
  const band: Column = {
    kind: 'band',
    layers: folded.map((c) => (c.kind === 'layer' ? c.layer : -1)),
    x: 0,
    label: `${first.label}–${last.label}`,
  };
  const out: Column[] = [];
  for (const c of cols) {
    if (c === first) out.push(band);
    else if (!foldedSet.has(c)) out.push(c);
  }
  return out;
}

/** Positions every column and shown neuron in a `width x height` box. */
export function layoutNetwork(view: NetworkView, width: number, height: number): NetworkLayout {
  const columns = columnsOf(view);
  const margin = 16;
  const pitch = columns.length > 1 ? (width - 2 * margin) / (columns.length - 1) : 0;
  columns.forEach((c, i) => {
    c.x = columns.length > 1 ? margin + i * pitch : width / 2;
  });
  const top = 20;
  const bottom = height - 16;
  const rows = Math.max(1, ...view.layers.map((l) => l.shown.length));
  const size = Math.max(6, Math.min(26, (bottom - top) / rows - 4, pitch * 0.62 || 26));
  const neurons: NeuronSpot[] = [];
  columns.forEach((c, ci) => {
    if (c.kind !== 'layer') return;
    const l = view.layers[c.layer] as NetLayerView;
    const n = l.shown.length;
    const gap = (bottom - top) / rows;
    const y0 = top + (bottom - top - n * gap) / 2 + gap / 2;
    for (let s = 0; s < n; s++) {
      neurons.push({ column: ci, layer: c.layer, slot: s, time: c.time, x: c.x, y: y0 + s * gap, size });
    }
  });
  return { columns, neurons, pitch, size, top, bottom };
}

/** Every |dL/da| a view shows (per unit, per time step, per layer mean), for a shared colour domain. */
export function neuronGrads(view: NetworkView): number[] {
  const out: number[] = [];
  for (const l of view.layers) {
    if (l.grad) out.push(...l.grad);
    if (l.meanGrad !== null) out.push(l.meanGrad);
    for (const g of l.time?.grad ?? []) out.push(...g);
  }
  return out;
}

/** Every |dL/dw| of the drawn edges. */
export function edgeGrads(view: NetworkView): number[] {
  return view.layers.flatMap((l) => [...(l.edges?.grad ?? []), ...(l.recurrentEdges?.grad ?? [])]);
}

/** The colour domains and weight scale shared by every run of the comparison. */
export interface NetworkScales {
  neuron: [number, number];
  edge: [number, number];
  /** The largest |w| drawn: an edge's thickness is |w| over it. */
  maxWeight: number;
}

export function sharedScales(views: Array<NetworkView | null>): NetworkScales {
  const present = views.filter((v): v is NetworkView => v !== null);
  let maxWeight = 0;
  for (const v of present) {
    for (const l of v.layers) {
      for (const w of [...(l.edges?.weight ?? []), ...(l.recurrentEdges?.weight ?? [])]) {
        if (Number.isFinite(w) && w > maxWeight) maxWeight = w;
      }
    }
  }
  return {
    neuron: logDomain(present.flatMap(neuronGrads)),
    edge: logDomain(present.flatMap(edgeGrads)),
    maxWeight: maxWeight || 1,
  };
}
