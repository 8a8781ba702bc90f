import type { Backend } from '../../src/backend.js';
import type { Case } from './helpers.js';

export type { Case } from './helpers.js';

/** Backend members that manage memory or identify or configure the backend rather than compute. */
type NotKernel =
  | 'name'
  | 'precision'
  | 'flushSubnormals'
  | 'alloc'
  | 'free'
  | 'view'
  | 'read'
  | 'write'
  | 'memoryBytes'
  | 'dispose';

/** Every kernel of the Backend interface, derived from it: a new kernel joins this union by itself. */
export type KernelName = Exclude<keyof Backend, NotKernel>;

/** A part of the parity table; `satisfies KernelCases` rejects a misspelt kernel name. */
export type KernelCases = Partial<Record<KernelName, Case[]>>;
