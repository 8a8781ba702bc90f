import { expect, it } from 'vitest';
import { TsBackend } from '../../src/ts-backend.js';
import { BACKENDS } from './helpers.js';
import { parityFor } from './run-parity.js';
import { PARITY_TABLE } from './table.js';

const MEMORY = new Set(['constructor', 'alloc', 'free', 'view', 'read', 'write', 'memoryBytes', 'dispose']);

it('the parity table lists every kernel the reference implements, each with cases', () => {
  // The compiler checks the table against the interface; this checks it at run time too.
  const proto = TsBackend.prototype as unknown as Record<string, unknown>;
  const kernels = Object.getOwnPropertyNames(proto).filter(
    (m) => !MEMORY.has(m) && typeof proto[m] === 'function',
  );
  expect(kernels.sort()).toEqual(Object.keys(PARITY_TABLE).sort());
  for (const cases of Object.values(PARITY_TABLE)) expect(cases.length).toBeGreaterThan(0);
});

parityFor(BACKENDS);
