import type { Backend } from '../../src/backend.js';
import { TsBackend } from '../../src/ts-backend.js';
import { BACKENDS } from '../parity/helpers.js';

/** Every backend, the float64 reference included: properties hold for each on its own. */
export const ALL_BACKENDS: { label: string; make(): Promise<Backend> }[] = [
  { label: 'ts f64', make: async () => new TsBackend({ precision: 'f64' }) },
  ...BACKENDS,
];

/** Unit roundoff of a backend's storage. */
export const unitRoundoff = (be: Backend) => (be.precision === 'f64' ? 2 ** -53 : 2 ** -24);

/** fast-check settings: at least 200 runs, a fixed seed so a failure reproduces (fast-check prints it). */
export const RUNS = { numRuns: 200, seed: 20261125 };
