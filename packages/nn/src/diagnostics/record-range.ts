import {
  LAYER_COL,
  type LayerField,
  type LayerSlot,
  PARAM_COL,
  type ParamField,
  type ParamSlot,
  RECORD_COL,
  type RecordField,
  RecordLog,
} from './record-log.js';
import type { GradHistogram, History, HistoryMeta } from './records.js';

/**
 * Consecutive records of a `RecordLog`, as diagnosis reads them: index 0 is the range's first record.
 * A range is a view; slicing it copies nothing.
 */
export class RecordRange {
  constructor(
    readonly log: RecordLog,
    /** The first record, counted in the log. */
    readonly from = 0,
    /** The end (exclusive), counted in the log. */
    readonly to = log.length,
  ) {}

  /** Records in the range. */
  get length(): number {
    return this.to - this.from;
  }

  /** Facts about the task. */
  get meta(): HistoryMeta {
    return this.log.meta;
  }

  /** The parameters every record measures, in model order. */
  get params(): readonly ParamSlot[] {
    return this.log.params;
  }

  /** The layers every record measures, in forward order. */
  get layers(): readonly LayerSlot[] {
    return this.log.layers;
  }

  /** Record `i`'s own `field`, null where it has none. */
  value(i: number, field: RecordField): number | null {
    return this.log.get(this.from + i, RECORD_COL[field]);
  }

  /** Record `i`'s step number. */
  step(i: number): number {
    return this.value(i, 'step') ?? Number.NaN;
  }

  /** Record `i`'s training loss. */
  loss(i: number): number {
    return this.value(i, 'loss') ?? Number.NaN;
  }

  /** The global gradient norm before clipping at record `i`: the pre-clip norm when clipping ran. */
  rawGradNorm(i: number): number {
    return this.value(i, 'preClipNorm') ?? this.value(i, 'gradNormTotal') ?? Number.NaN;
  }

  /** Parameter `p`'s `field` at record `i`. */
  param(i: number, p: number, field: ParamField): number | null {
    return this.log.get(this.from + i, this.log.param(p) + PARAM_COL[field]);
  }

  /** Layer `j`'s `field` at record `i`. */
  layer(i: number, j: number, field: LayerField): number | null {
    return this.log.get(this.from + i, this.log.layer(j) + LAYER_COL[field]);
  }

  /** Layer `j`'s ||dL/dh_t|| over t at record `i` (recurrent layers), else undefined. */
  timeGradNorms(i: number, j: number): readonly number[] | undefined {
    return this.log.timeGradNorms(this.from + i, j);
  }

  /** Record `i`'s gradient histograms, else undefined. */
  gradHistograms(i: number): readonly GradHistogram[] | undefined {
    return this.log.gradHistograms(this.from + i);
  }

  /** Every record's own `field`, in order. */
  series(field: RecordField): (number | null)[] {
    return this.map((i) => this.value(i, field));
  }

  /** Parameter `p`'s `field` over the records. */
  paramSeries(p: number, field: ParamField): (number | null)[] {
    return this.map((i) => this.param(i, p, field));
  }

  /** Layer `j`'s `field` over the records. */
  layerSeries(j: number, field: LayerField): (number | null)[] {
    return this.map((i) => this.layer(i, j, field));
  }

  /** Indices of the parameters for which `test` holds, in model order. */
  paramsWhere(test: (p: ParamSlot) => boolean): number[] {
    return indicesWhere(this.params, test);
  }

  /** Indices of the layers for which `test` holds, in forward order. */
  layersWhere(test: (l: LayerSlot) => boolean): number[] {
    return indicesWhere(this.layers, test);
  }

  /** `f` of every record index, in order. */
  map<T>(f: (i: number) => T): T[] {
    const out = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = f(i);
    return out;
  }

  /** The first record index for which `test` holds, else -1. */
  findIndex(test: (i: number) => boolean): number {
    for (let i = 0; i < this.length; i++) if (test(i)) return i;
    return -1;
  }

  /** Records `start` to `end` (exclusive) of this range; negative counts from the end, as `Array.slice`. */
  slice(start = 0, end = this.length): RecordRange {
    const at = (k: number) => Math.min(this.length, Math.max(0, k < 0 ? this.length + k : k));
    const a = at(start);
    return new RecordRange(this.log, this.from + a, this.from + Math.max(a, at(end)));
  }
}

function indicesWhere<T>(items: readonly T[], test: (x: T) => boolean): number[] {
  const out: number[] = [];
  items.forEach((x, i) => {
    if (test(x)) out.push(i);
  });
  return out;
}

/** What diagnosis accepts: plain records (e.g. read from JSON), a monitor's log, or a range of one. */
export type RecordSource = History | RecordLog | RecordRange;

/** Where a history made by `historyOf` keeps its log: not enumerable, so JSON and clones never see it. */
const LOG = Symbol('vgp.recordLog');

/**
 * `log` as a `History`: `records` is an enumerable accessor that makes the records from the log when
 * read (JSON, structured clone and spreading read it like a plain property), and `recordsOf` reads the
 * log itself rather than the records.
 */
export function historyOf(log: RecordLog): History {
  const history = Object.defineProperty({ meta: log.meta } as History, 'records', {
    get: () => log.records(),
    enumerable: true,
  });
  return Object.defineProperty(history, LOG, { value: log, enumerable: false });
}

/** `source` as a range of all its records (a plain history is stored as a log first). */
export function recordsOf(source: RecordSource): RecordRange {
  if (source instanceof RecordRange) return source;
  if (source instanceof RecordLog) return new RecordRange(source);
  const log = (source as { [LOG]?: RecordLog })[LOG];
  return new RecordRange(log ?? RecordLog.fromHistory(source));
}
