import { type Backend, ConfigError } from '@vgp/core';
import type { Layer } from '../layer.js';
import type { Rng } from '../rng.js';
import type { RecurrentSpec } from './model-spec.js';

// Interim: the RNN/LSTM/GRU layers are being written in layers/recurrent; this builds them once they land.
export function buildRecurrent(spec: Required<RecurrentSpec>, _backend: Backend, _root: Rng): Layer[] {
  throw new ConfigError(
    `recurrent '${spec.cell}' models need the recurrent layers, which this build does not have yet`,
  );
}
