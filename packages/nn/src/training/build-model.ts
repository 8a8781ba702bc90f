import { type Backend, ConfigError, ShapeError } from '@vgp/core';
import type { ForwardOptions } from '../layer.js';
import { Layer } from '../layer.js';
import { Activation } from '../layers/activation.js';
import { BatchNorm } from '../layers/batch-norm.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { LayerNorm } from '../layers/layer-norm.js';
import { Residual } from '../layers/residual.js';
import { Sequential } from '../layers/sequential.js';
import { Rng } from '../rng.js';
import { shapeString, type Tensor } from '../tensor.js';
import { buildRecurrent } from './build-recurrent.js';
import { checkModelSpec, type MlpSpec, type ModelSpec, type RecurrentSpec } from './model-spec.js';

/** Where and how {@link buildModel} builds a network. */
export interface BuildOptions {
  /** The backend that holds every parameter and buffer of the model. */
  backend: Backend;
  /** Seeds the weights (stream 'init') and the dropout masks (stream 'dropout'). */
  seed: number;
}

/**
 * A network built from a `ModelSpec`: a layer whose child is the `Sequential` that does the work. It
 * checks the input rank the spec implies ([batch, input] for mlp, [time, batch, input] for recurrent)
 * and keeps the spec, so it can be saved, described and rebuilt.
 */
export class Model extends Layer {
  constructor(
    /** The spec the model was built from, as given (defaults not filled in). */
    readonly spec: ModelSpec,
    /** The layers that do the work. */
    readonly net: Sequential,
  ) {
    super('model', { backend: net.backend, name: 'model' });
  }

  override children(): Layer[] {
    return [this.net];
  }

  override inFeatures(): number {
    return this.spec.input;
  }

  override outFeatures(inFeatures: number): number {
    this.checkShape('input', [inFeatures], [this.spec.input]);
    return this.spec.output;
  }

  /**
   * Runs the network. Throws `ShapeError` unless `x` has the rank the spec implies: `[batch, input]`
   * for mlp, `[time, batch, input]` for recurrent. Returns logits (no output activation).
   */
  forward(x: Tensor, opts: ForwardOptions): Tensor {
    const rank = this.spec.kind === 'mlp' ? 2 : 3;
    if (x.rank !== rank) {
      const want = rank === 2 ? `[batch, ${this.spec.input}]` : `[time, batch, ${this.spec.input}]`;
      const hint = rank === 2 ? 'flatten each sample or use a recurrent spec' : 'give a time axis first';
      throw new ShapeError(
        `${this.spec.kind} model: input has shape ${shapeString(x.shape)}, expected ${want}; ${hint}`,
      );
    }
    const y = this.net.forward(x, opts);
    this.output = y;
    return y;
  }

  backward(dy: Tensor): Tensor {
    this.checkGrad(dy);
    const dx = this.net.backward(dy);
    this.inputGrad = dx;
    return dx;
  }

  /** Every layer of the network in order (containers' children flattened), for diagnostics. */
  layers(): Layer[] {
    const out: Layer[] = [];
    const walk = (l: Layer) => {
      out.push(l);
      for (const c of l.children()) walk(c);
    };
    for (const l of this.net.layers) walk(l);
    return out;
  }
}

/**
 * Builds the network a spec describes on `backend`, weights drawn from `seed`. Layer and parameter names
 * are fixed by position (`dense1`, `relu1`, ..., `output`), so a rebuilt model has the same names and
 * saved weights load into it.
 */
export function buildModel(spec: ModelSpec, opts: BuildOptions): Model {
  if (!Number.isInteger(opts.seed))
    throw new ConfigError(`buildModel: seed must be an integer, got ${opts.seed}`);
  const full = checkModelSpec(spec);
  const root = new Rng(opts.seed);
  const layers =
    full.kind === 'mlp'
      ? mlpLayers(full as Required<MlpSpec>, opts.backend, root)
      : buildRecurrent(full as Required<RecurrentSpec>, opts.backend, root);
  return new Model(spec, new Sequential(layers, { backend: opts.backend, name: 'net' }));
}

function mlpLayers(spec: Required<MlpSpec>, backend: Backend, root: Rng): Layer[] {
  const rng = root.fork('init');
  const dropoutSeeds = root.fork('dropout');
  const biasRng = root.fork('bias');
  const dense = (inputs: number, units: number, name: string) =>
    drawBias(new Dense(inputs, units, { backend, rng, init: spec.init, name }), spec.biasStd, biasRng);
  const layers: Layer[] = [];
  let features = spec.input;
  for (let i = 1; i <= spec.depth; i++) {
    const block: Layer[] = [dense(features, spec.width, `dense${i}`)];
    if (spec.norm === 'batch') block.push(new BatchNorm(spec.width, { backend, name: `batchNorm${i}` }));
    if (spec.norm === 'layer') block.push(new LayerNorm(spec.width, { backend, name: `layerNorm${i}` }));
    block.push(new Activation(spec.activation, { backend, name: `${spec.activation}${i}` }));
    if (spec.dropout > 0) {
      block.push(new Dropout(spec.dropout, { backend, seed: dropoutSeeds.nextU32(), name: `dropout${i}` }));
    }
    if (spec.residual && i > 1) {
      const inner = new Sequential(block, { backend, name: `block${i}` });
      layers.push(new Residual(inner, { backend, features, name: `residual${i}` }));
    } else {
      layers.push(...block);
    }
    features = spec.width;
  }
  layers.push(dense(features, spec.output, 'output'));
  return layers;
}

/** Biases ~ N(0, std^2), the mean-field sigma_b; std 0 keeps Dense's zero biases. */
function drawBias(layer: Dense, std: number, rng: Rng): Dense {
  if (std > 0 && layer.bias !== null) {
    layer.backend.write(
      layer.bias.value.buf,
      Float64Array.from({ length: layer.units }, () => std * rng.normal()),
    );
  }
  return layer;
}
