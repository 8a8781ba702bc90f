import type { Layer } from '../layer.js';
import { Activation } from '../layers/activation.js';
import { BatchNorm } from '../layers/batch-norm.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { LayerNorm } from '../layers/layer-norm.js';
import { RecurrentLayer } from '../layers/recurrent/recurrent-layer.js';
import { RNN } from '../layers/recurrent/rnn.js';
import { Residual } from '../layers/residual.js';
import { Sequential } from '../layers/sequential.js';
import type { Param } from '../tensor.js';

/** A layer of the model tree with its nesting level and the parameters it owns itself. */
export interface WalkedLayer {
  /** The layer itself. */
  layer: Layer;
  /**
   * Nesting depth: 0 for the model's top-level layers (the depth boundaries), 1 for their children, ...;
   * -1 for a wrapper that owns parameters directly.
   */
  level: number;
  /** Its type name (see `layerType`), e.g. `Dense` or `LSTM`. */
  type: string;
  /** The activation function applied to the output, for saturation and dead-unit counts. */
  activation: string | null;
  /** The parameters this layer owns itself, not through its children. */
  ownParams: Param[];
}

/**
 * The layer's type name. `instanceof` rather than `constructor.name`, which bundlers minify; recurrent
 * layers are named by their cell (RNN, LSTM, GRU).
 */
export function layerType(layer: Layer): string {
  if (layer instanceof Dense) return 'Dense';
  if (layer instanceof Activation) return 'Activation';
  if (layer instanceof BatchNorm) return 'BatchNorm';
  if (layer instanceof LayerNorm) return 'LayerNorm';
  if (layer instanceof Dropout) return 'Dropout';
  if (layer instanceof Residual) return 'Residual';
  if (layer instanceof Sequential) return 'Sequential';
  if (layer instanceof RecurrentLayer) return layer.cell.toUpperCase();
  return layer.constructor.name;
}

function activationOf(layer: Layer): string | null {
  if (layer instanceof Activation) return layer.kind;
  // A plain RNN's hidden state is its nonlinearity's output (tanh or relu).
  if (layer instanceof RNN) return layer.activation;
  return null;
}

/**
 * The model's layers in forward order, depth first: the children of the model's body at level 0 (the
 * depth boundaries), their children at level 1, ... The body is the model itself, or the container it
 * wraps when it has a single container child (as `Model` wraps its `Sequential`). A model without
 * children is its own single boundary.
 */
export function walkLayers(model: Layer): WalkedLayer[] {
  const out: WalkedLayer[] = [];
  const visit = (layer: Layer, level: number) => {
    const children = layer.children();
    const childParams = new Set(children.flatMap((c) => c.params()));
    out.push({
      layer,
      level,
      type: layerType(layer),
      activation: activationOf(layer),
      ownParams: layer.params().filter((p) => !childParams.has(p)),
    });
    for (const c of children) visit(c, level + 1);
  };
  let body = model;
  while (body.children().length === 1 && (body.children()[0] as Layer).children().length > 0) {
    body = body.children()[0] as Layer;
  }
  const top = body.children();
  if (top.length === 0) {
    visit(body, 0);
    return out;
  }
  for (const c of top) visit(c, 0);
  // Parameters the wrappers own directly (none in vgp's containers today) are still recorded.
  const inTop = new Set(top.flatMap((c) => c.params()));
  const rest = model.params().filter((p) => !inTop.has(p));
  if (rest.length > 0)
    out.unshift({ layer: body, level: -1, type: layerType(body), activation: null, ownParams: rest });
  return out;
}
