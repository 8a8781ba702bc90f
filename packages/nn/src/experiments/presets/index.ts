import { ConfigError } from '@vgp/core';
import { batchnormMnist } from './batchnorm-mnist.js';
import { deepSigmoid } from './deep-sigmoid.js';
import { dynamicalIsometry } from './dynamical-isometry.js';
import { explodingRnn } from './exploding-rnn.js';
import { glorotVsHe } from './glorot-vs-he.js';
import type { Preset } from './preset.js';
import { rnnAdding } from './rnn-adding.js';
import { rnnCopy } from './rnn-copy.js';

export type { Preset } from './preset.js';

/** Every preset, in the order a learner would take them: depth first, then time. */
export const PRESETS: readonly Preset[] = [
  deepSigmoid,
  glorotVsHe,
  dynamicalIsometry,
  batchnormMnist,
  rnnAdding,
  rnnCopy,
  explodingRnn,
];

/** The preset named `name`; a `ConfigError` listing the names otherwise. */
export function getPreset(name: string): Preset {
  const p = PRESETS.find((q) => q.name === name);
  if (!p)
    throw new ConfigError(`unknown preset '${name}'; use one of ${PRESETS.map((q) => q.name).join(', ')}`);
  return p;
}
