/**
 * Checks that a value read from JSON is a `History` (the format `vgp run --json`, `vgp compare --json
 * --history` and the playground's JSON export write, documented in docs/compare-output.schema.json)
 * before `diagnose` reads it. Every problem is a `DataError` naming the first bad path and what it
 * should hold, e.g. "history: records[3].params[0].gradRms must be a number, got \"x\"".
 *
 * Fields the schema does not name are ignored (a newer writer may add some); missing or mistyped
 * fields are not, and neither is an empty history: there is nothing to diagnose in it.
 */
import { DataError } from '../tasks/dataset.js';
import type { History } from './records.js';

type Kind = 'num' | 'num?' | 'int' | 'str' | 'str?';

const RECORD: Record<string, Kind> = {
  step: 'int',
  loss: 'num',
  metric: 'num?',
  gradNormTotal: 'num',
  preClipNorm: 'num?',
};
const PARAM: Record<string, Kind> = {
  name: 'str',
  layer: 'str',
  role: 'str',
  gradNorm: 'num',
  gradRms: 'num',
  weightNorm: 'num',
  updateRatio: 'num?',
  nearZeroFrac: 'num?',
  nonFinite: 'int',
};
const LAYER: Record<string, Kind> = {
  name: 'str',
  type: 'str',
  activation: 'str?',
  level: 'int',
  gradIn: 'num?',
  actMean: 'num?',
  actStd: 'num?',
  saturatedFrac: 'num?',
  deadFrac: 'num?',
  nonFinite: 'int',
};

const WANT: Record<Kind, string> = {
  num: 'a number',
  'num?': 'a number or null',
  int: 'an integer >= 0',
  str: 'a string',
  'str?': 'a string or null',
};

function show(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function bad(where: string, path: string, want: string, got: unknown): never {
  throw new DataError(`${where}: ${path} must be ${want}, got ${show(got)}`);
}

function ok(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'num':
      return typeof v === 'number';
    case 'num?':
      return v === null || typeof v === 'number';
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0;
    case 'str':
      return typeof v === 'string';
    case 'str?':
      return v === null || typeof v === 'string';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fields(where: string, path: string, obj: unknown, spec: Record<string, Kind>): void {
  if (!isObject(obj)) bad(where, path, 'an object', obj);
  for (const [key, kind] of Object.entries(spec)) {
    if (!ok(kind, obj[key])) bad(where, `${path}.${key}`, WANT[kind], obj[key]);
  }
}

function array(where: string, path: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) bad(where, path, 'an array', v);
  return v;
}

/**
 * Returns `raw` typed as a `History` when it has the documented shape, else throws a `DataError`
 * naming what is missing. `where` starts every message (e.g. the file name).
 */
export function validateHistory(raw: unknown, where = 'history'): History {
  if (!isObject(raw)) bad(where, 'the history', 'an object with meta and records', raw);
  const meta = raw.meta ?? {};
  if (!isObject(meta)) bad(where, 'meta', 'an object', meta);
  for (const key of ['lossFloor', 'chanceLoss']) {
    if (meta[key] !== undefined && typeof meta[key] !== 'number')
      bad(where, `meta.${key}`, 'a number', meta[key]);
  }
  if (meta.label !== undefined && typeof meta.label !== 'string')
    bad(where, 'meta.label', 'a string', meta.label);
  const records = array(where, 'records', raw.records);
  if (records.length === 0) {
    throw new DataError(
      `${where}: records is empty, so there is nothing to diagnose; record at least one training step (e.g. \`vgp run --json\`)`,
    );
  }
  let last = -1;
  records.forEach((rec, i) => {
    const at = `records[${i}]`;
    fields(where, at, rec, RECORD);
    const r = rec as Record<string, unknown>;
    if ((r.step as number) <= last)
      bad(where, `${at}.step`, `greater than the previous record's step ${last}`, r.step);
    last = r.step as number;
    array(where, `${at}.params`, r.params).forEach((p, j) => {
      fields(where, `${at}.params[${j}]`, p, PARAM);
      const shape = array(where, `${at}.params[${j}].shape`, (p as Record<string, unknown>).shape);
      shape.forEach((d, k) => {
        if (!ok('int', d)) bad(where, `${at}.params[${j}].shape[${k}]`, WANT.int, d);
      });
    });
    array(where, `${at}.layers`, r.layers).forEach((l, j) => {
      fields(where, `${at}.layers[${j}]`, l, LAYER);
      const t = (l as Record<string, unknown>).timeGradNorms;
      if (t !== undefined) {
        array(where, `${at}.layers[${j}].timeGradNorms`, t).forEach((v, k) => {
          if (typeof v !== 'number') bad(where, `${at}.layers[${j}].timeGradNorms[${k}]`, 'a number', v);
        });
      }
    });
  });
  return { ...raw, meta } as unknown as History;
}
