import type { Layer } from '../layer.js';
import { Dense } from '../layers/dense.js';
import { RecurrentLayer } from '../layers/recurrent/recurrent-layer.js';
import { RNN } from '../layers/recurrent/rnn.js';
import { Residual } from '../layers/residual.js';
import type { Param } from '../tensor.js';
import { walkLayers } from './layer-walk.js';

/** What a column of neurons is: the model's input, a hidden representation, a recurrent state, the output. */
export type UnitLayerKind = 'input' | 'hidden' | 'recurrent' | 'output';

/**
 * One column of neurons of the network drawing: the representation between two weight layers.
 * A hidden column is what a weight layer and the layers after it (norm, activation, dropout) output,
 * up to the next weight layer, whose input gradient is the column's dL/da.
 */
export interface UnitLayer {
  /** The name of the layer whose output the column is (`sigmoid3`, `lstm1`, `output`), or `input`. */
  name: string;
  kind: UnitLayerKind;
  /** Neurons in the column. */
  units: number;
  /** The activation applied last (for saturation and dead units), or null. */
  activation: string | null;
  /**
   * The leaf layer owning the weight matrix that feeds the column (the name `ParamStats.layer` and the
   * per-layer charts use), or null for the input.
   */
  weightLayer: string | null;
}

/** Where a column's numbers live in the model (internal to the probe). */
export interface UnitStage {
  info: UnitLayer;
  /** The weight layer that starts the column (Dense, recurrent layer or Residual); null for the input. */
  entry: Layer | null;
  /** The layer whose `output` holds the column's activations; null for the input. */
  exit: Layer | null;
  /** The matrix feeding the column, `[in, gates * units]`. */
  weight: Param | null;
  /** The hidden-to-hidden matrix of a recurrent column, `[units, gates * units]`. */
  recurrent: Param | null;
  /** Gate blocks per matrix (LSTM 4, GRU 3, else 1): an edge's value is the norm over its gates. */
  gates: number;
}

function isEntry(l: Layer): boolean {
  return l instanceof Dense || l instanceof RecurrentLayer || l instanceof Residual;
}

/** The first Dense inside a residual block: the matrix its column's edges stand for. */
function innerDense(r: Residual): Dense | null {
  const hit = walkLayers(r.inner).find((w) => w.layer instanceof Dense);
  return hit ? (hit.layer as Dense) : r.inner instanceof Dense ? r.inner : null;
}

function entryStage(l: Layer): UnitStage {
  if (l instanceof RecurrentLayer) {
    const info: UnitLayer = {
      name: l.name,
      kind: 'recurrent',
      units: l.hidden,
      activation: l instanceof RNN ? l.activation : null,
      weightLayer: l.name,
    };
    return { info, entry: l, exit: l, weight: l.weightIh, recurrent: l.weightHh, gates: l.gateCount };
  }
  const dense = l instanceof Residual ? innerDense(l) : (l as Dense);
  const units = l instanceof Residual ? l.outFeatures(l.features) : (l as Dense).units;
  const info: UnitLayer = {
    name: l.name,
    kind: 'hidden',
    units,
    activation: null,
    weightLayer: dense?.name ?? null,
  };
  return { info, entry: l, exit: l, weight: dense?.weight ?? null, recurrent: null, gates: 1 };
}

function inputsOf(l: Layer): number {
  if (l instanceof Dense || l instanceof RecurrentLayer) return l.inputs;
  return (l as Residual).features;
}

/**
 * The model's columns of neurons, input first: the input features, one column per top-level weight
 * layer (Dense, recurrent layer, residual block) with the layers after it folded in, the last one the
 * output. A residual column's activation is left null: its output x + f(x) is no activation's range.
 */
export function unitStages(model: Layer): UnitStage[] {
  const stages: UnitStage[] = [];
  for (const w of walkLayers(model)) {
    if (w.level !== 0) continue;
    if (isEntry(w.layer)) {
      stages.push(entryStage(w.layer));
      continue;
    }
    const last = stages.at(-1);
    if (!last || last.info.kind === 'recurrent') continue;
    last.exit = w.layer;
    last.info.name = w.layer.name;
    if (w.activation !== null && !(last.entry instanceof Residual)) last.info.activation = w.activation;
  }
  const first = stages[0];
  if (!first?.entry) return [];
  const last = stages.at(-1) as UnitStage;
  if (last.info.kind === 'hidden') last.info.kind = 'output';
  const input: UnitStage = {
    info: { name: 'input', kind: 'input', units: inputsOf(first.entry), activation: null, weightLayer: null },
    entry: null,
    exit: null,
    weight: null,
    recurrent: null,
    gates: 1,
  };
  return [input, ...stages];
}
