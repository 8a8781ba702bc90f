import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend.js';
import { TsBackend } from '../../src/ts-backend.js';
import { BACKENDS, type Case, compare, type Outputs, reference, runCase, seedOf } from './helpers.js';
import { PARITY_TABLE } from './table.js';
import type { KernelName } from './table-types.js';

const MEMORY = new Set(['constructor', 'alloc', 'free', 'view', 'read', 'write', 'memoryBytes', 'dispose']);

it('the parity table lists every kernel the reference implements, each with cases', () => {
  // The compiler checks the table against the interface; this checks it at run time too.
  const methods = Object.getOwnPropertyNames(TsBackend.prototype).filter(
    (m) => !MEMORY.has(m) && !m.startsWith('_'),
  );
  const kernels = methods.filter(
    (m) => typeof (TsBackend.prototype as unknown as Record<string, unknown>)[m] === 'function',
  );
  expect(kernels.sort()).toEqual(Object.keys(PARITY_TABLE).sort());
  for (const cases of Object.values(PARITY_TABLE)) expect(cases.length).toBeGreaterThan(0);
});

const ref = reference();
/** The reference's outputs per case, computed once and shared by every backend under test. */
const expected = new Map<string, Outputs>();
function want(title: string, c: Case): Outputs {
  let out = expected.get(title);
  if (out === undefined) {
    out = runCase(ref, c, seedOf(title));
    expected.set(title, out);
  }
  return out;
}

describe.each(BACKENDS)('parity: $label vs ts f64', ({ make }) => {
  let be: Backend;
  beforeAll(async () => {
    be = await make();
  });

  for (const kernel of Object.keys(PARITY_TABLE) as KernelName[]) {
    describe(kernel, () => {
      it.each(PARITY_TABLE[kernel].map((c) => ({ ...c, title: c.name })))('$title', (c) => {
        const title = `${kernel} ${c.name}`;
        expect(compare(runCase(be, c, seedOf(title)), want(title, c), c)).toEqual([]);
      });
    });
  }
});
