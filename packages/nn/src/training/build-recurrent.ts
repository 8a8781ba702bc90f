import type { Backend } from '@vgp/core';
import type { Layer } from '../layer.js';
import { Dense } from '../layers/dense.js';
import { GRU } from '../layers/recurrent/gru.js';
import { LSTM } from '../layers/recurrent/lstm.js';
import { RNN } from '../layers/recurrent/rnn.js';
import type { Rng } from '../rng.js';
import type { RecurrentSpec } from './model-spec.js';

/**
 * The layers of a recurrent spec: `layers` stacked cells (each but the last returning every hidden
 * state, as the next one reads the sequence), then the Dense head, over the last state (`head: 'last'`)
 * or over every step's state (`head: 'sequence'`; Dense maps `[time, batch, hidden]` row by row).
 */
export function buildRecurrent(spec: Required<RecurrentSpec>, backend: Backend, root: Rng): Layer[] {
  const rng = root.fork('init');
  const layers: Layer[] = [];
  let features = spec.input;
  for (let l = 1; l <= spec.layers; l++) {
    const opts = {
      backend,
      rng,
      init: spec.init,
      recurrentInit: spec.recurrentInit,
      returnSequences: l < spec.layers || spec.head === 'sequence',
      name: `${spec.cell}${l}`,
    };
    if (spec.cell === 'lstm')
      layers.push(new LSTM(features, spec.hidden, { ...opts, forgetBias: spec.forgetBias }));
    else if (spec.cell === 'gru') layers.push(new GRU(features, spec.hidden, opts));
    else layers.push(new RNN(features, spec.hidden, { ...opts, activation: spec.activation }));
    features = spec.hidden;
  }
  layers.push(new Dense(features, spec.output, { backend, rng, init: spec.init, name: 'output' }));
  return layers;
}
