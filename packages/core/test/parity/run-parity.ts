import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend.js';
import { type Case, compare, type Outputs, reference, runCase, seedOf } from './helpers.js';
import { PARITY_TABLE } from './table.js';
import type { KernelName } from './table-types.js';

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

/** Registers the whole parity table for each backend: one test per kernel case, titled by kernel. */
export function parityFor(backends: { label: string; make(): Promise<Backend> }[]): void {
  describe.each(backends)('parity: $label vs ts f64', ({ make }) => {
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
}
