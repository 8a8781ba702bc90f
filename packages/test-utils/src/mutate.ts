/**
 * fast-check arbitraries that damage a valid JSON document the way careless hands and broken files
 * do: a field set to the wrong type, a huge or negative size, a deleted field, an emptied array, an
 * unknown key, a non-finite number spelled as a string. Shared by the config fuzz tests of @vgp/nn and
 * the CLI (`@vgp/test-utils`, a private workspace).
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path (keys and indexes) to a value inside `doc`, the root included as []. */
export function paths(doc: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(doc)) {
    for (const [i, v] of doc.entries()) paths(v, [...prefix, i], out);
  } else if (doc !== null && typeof doc === 'object')
    for (const [k, v] of Object.entries(doc)) paths(v, [...prefix, k], out);
  return out;
}

/** Values a mutation writes: wrong types, edge numbers, sizes no machine holds, and valid-looking enums. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1,
    2,
    0.5,
    -0.5,
    1e-12,
    1e5,
    1e6,
    1e9,
    1e12,
    2 ** 31,
    2 ** 53,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    'NaN',
    'Infinity',
    '',
    '1',
    'x',
    null,
    true,
    false,
    [],
    {},
    [1],
    { kind: 'x' },
    'mlp',
    'recurrent',
    'lstm',
    'adam',
    'relu',
    'sigmoid',
    'batch',
    'spiral',
    'adding',
    'copy',
    'mnist',
    'wasm',
    'ts',
    'he',
    'cosine',
  ),
  fc.integer({ min: -1000, max: 100_000 }),
  fc.double(),
  fc.string({ maxLength: 8 }),
);

/** One edit at `path`: replace the value, delete it, add an unknown key, or empty a container. */
export type Edit =
  | { op: 'set'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'empty'; at: number };

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: junk }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.string({ minLength: 1, maxLength: 6 }),
      value: junk,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('empty' as const), at: fc.nat() }) },
);

/** `doc` (deep-copied) with `edits` applied in order; each edit's `at` picks a path modulo their number. */
export function applyEdits<T>(doc: T, edits: readonly Edit[]): unknown {
  let root: unknown = structuredClone(doc);
  for (const e of edits) {
    const all = paths(root);
    const path = all[e.at % all.length] as (string | number)[];
    if (path.length === 0) {
      if (e.op === 'set') root = e.value;
      else if (e.op === 'empty') root = Array.isArray(root) ? [] : {};
      continue;
    }
    type Node = Record<string | number, unknown> & unknown[];
    const parent = path.slice(0, -1).reduce((o, k) => o[k] as Node, root as Node);
    const key = path[path.length - 1] as string | number;
    const target = parent[key] as Record<string, unknown> | null;
    if (e.op === 'set') parent[key] = e.value;
    else if (e.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (e.op === 'add') {
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) target[e.key] = e.value;
      else parent[e.key] = e.value;
    } else if (Array.isArray(target)) parent[key] = [];
    else if (target !== null && typeof target === 'object') parent[key] = {};
  }
  return root;
}

/** A valid document damaged by 1 to 3 edits. */
export function mutated<T>(doc: T): fc.Arbitrary<unknown> {
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => applyEdits(doc, edits));
}
