import type { GradHistogram, GradientRecord, HistoryMeta, LayerStats, ParamStats } from './records.js';

/** The facts of a parameter that every record repeats: what it is, not what it measured. */
export type ParamSlot = Pick<ParamStats, 'name' | 'layer' | 'role' | 'shape'>;
/** The facts of a layer that every record repeats. */
export type LayerSlot = Pick<LayerStats, 'name' | 'type' | 'activation' | 'level'>;

/** Where a record's own numbers sit in its row. */
export const RECORD_COL = { step: 0, loss: 1, metric: 2, gradNormTotal: 3, preClipNorm: 4 } as const;
const RECORD_COLUMNS = Object.keys(RECORD_COL).length;
/** Where a parameter's numbers sit among its columns (from `RecordLog.param(i)`). */
export const PARAM_COL = {
  gradNorm: 0,
  gradRms: 1,
  weightNorm: 2,
  updateRatio: 3,
  nearZeroFrac: 4,
  nonFinite: 5,
} as const;
const PARAM_COLUMNS = Object.keys(PARAM_COL).length;
/** Where a layer's numbers sit among its columns (from `RecordLog.layer(j)`). */
export const LAYER_COL = {
  gradIn: 0,
  actMean: 1,
  actStd: 2,
  saturatedFrac: 3,
  deadFrac: 4,
  nonFinite: 5,
} as const;
const LAYER_COLUMNS = Object.keys(LAYER_COL).length;

/** A number every record holds about itself. */
export type RecordField = keyof typeof RECORD_COL;
/** A number a record holds per parameter. */
export type ParamField = keyof typeof PARAM_COL;
/** A number a record holds per layer. */
export type LayerField = keyof typeof LAYER_COL;

/**
 * Rows are stored in chunks of about this many bytes: a log grows without copying, and chunks this
 * small come from the allocator's heap, which reuses what the last run freed (fresh pages cost a
 * fault each, ~10 us on the VMs vgp's CI runs on).
 */
const CHUNK_BYTES = 64 * 1024;

/** What a record holds besides numbers: recurrent layers' norms over time, gradient histograms. */
interface RowExtras {
  /** `timeGradNorms` of each layer that has them, by layer index. */
  timeGradNorms: Map<number, number[]>;
  gradHistograms: GradHistogram[] | undefined;
}

/**
 * The records of a run, stored as numbers: a row of doubles per record and the parameters' and
 * layers' names once. A `GradientRecord` of a deep net is hundreds of small objects (most numbers
 * boxed); kept for every step of a run they outlived the young generation, and the garbage collector
 * copied and marked them again and again. A row is written in place, diagnosis reads the numbers
 * where they lie (see `RecordRange`), and a `GradientRecord` is made only for a reader that asks.
 *
 * A row holds the record's own numbers (`RECORD_COL`), then each parameter's (`param(i)` +
 * `PARAM_COL`), then each layer's (`layer(j)` + `LAYER_COL`). A null is a set flag beside the number:
 * NaN is a value a record can hold (a gradient that blew up). With `maxRows` the rows form a ring and
 * the oldest is overwritten, so a writer sets every column of the row it fills.
 */
export class RecordLog {
  /** Numbers a row holds. */
  readonly width: number;
  private readonly rowsPerChunk: number;
  private readonly values: Float64Array[] = [];
  private readonly nulls: Uint8Array[] = [];
  private readonly extras: Array<RowExtras | undefined> = [];
  /** Physical row of the oldest record (the ring's start once it is full). */
  private start = 0;
  private count = 0;
  /** The newest row (physical), its chunk and its offset there. */
  private row = 0;
  private chunk = 0;
  private base = 0;
  /** Records made from the oldest `cache.length` rows, kept for the next `records()` call. */
  private readonly cache: GradientRecord[] = [];

  constructor(
    readonly params: readonly ParamSlot[],
    readonly layers: readonly LayerSlot[],
    /** Facts about the task that diagnosis uses. */
    readonly meta: HistoryMeta = {},
    /** Rows kept at most (oldest dropped first). */
    readonly maxRows: number = Number.POSITIVE_INFINITY,
  ) {
    if (!(maxRows === Number.POSITIVE_INFINITY || (Number.isInteger(maxRows) && maxRows >= 1)))
      throw new RangeError(`RecordLog: maxRows must be an integer >= 1 or Infinity, got ${maxRows}`);
    this.width = RECORD_COLUMNS + PARAM_COLUMNS * params.length + LAYER_COLUMNS * layers.length;
    this.rowsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / (8 * this.width)));
  }

  /**
   * A log of plain records (e.g. a history read from JSON). Parameters and layers are those of every
   * record, by name in order of first appearance; a record without one holds nulls (and no non-finite
   * count) for it.
   */
  static fromHistory(history: { meta: HistoryMeta; records: readonly GradientRecord[] }): RecordLog {
    const params = new Map<string, ParamSlot>();
    const layers = new Map<string, LayerSlot>();
    for (const r of history.records) {
      for (const p of r.params)
        if (!params.has(p.name))
          params.set(p.name, { name: p.name, layer: p.layer, role: p.role, shape: p.shape });
      for (const l of r.layers)
        if (!layers.has(l.name))
          layers.set(l.name, { name: l.name, type: l.type, activation: l.activation, level: l.level });
    }
    const log = new RecordLog([...params.values()], [...layers.values()], history.meta);
    const paramAt = new Map([...params.keys()].map((name, i) => [name, log.param(i)]));
    const layerAt = new Map([...layers.keys()].map((name, j) => [name, j]));
    for (const r of history.records) {
      log.append();
      for (const [field, c] of Object.entries(RECORD_COL)) log.set(c, r[field as RecordField] ?? null);
      for (const p of r.params) {
        const o = paramAt.get(p.name) as number;
        for (const [field, c] of Object.entries(PARAM_COL)) log.set(o + c, p[field as ParamField] ?? null);
      }
      for (const l of r.layers) {
        const j = layerAt.get(l.name) as number;
        for (const [field, c] of Object.entries(LAYER_COL))
          log.set(log.layer(j) + c, l[field as LayerField] ?? null);
        if (l.timeGradNorms !== undefined) log.setTimeGradNorms(j, l.timeGradNorms.slice());
      }
      if (r.gradHistograms !== undefined) log.setGradHistograms(r.gradHistograms);
    }
    return log;
  }

  /** Records held. */
  get length(): number {
    return this.count;
  }

  /** First column of parameter `i`'s numbers; add a `PARAM_COL` offset. */
  param(i: number): number {
    return RECORD_COLUMNS + PARAM_COLUMNS * i;
  }

  /** First column of layer `j`'s numbers; add a `LAYER_COL` offset. */
  layer(j: number): number {
    return RECORD_COLUMNS + PARAM_COLUMNS * this.params.length + LAYER_COLUMNS * j;
  }

  /**
   * Starts a new newest row with every column null, for `set` to fill; beyond `maxRows` it takes the
   * oldest row's place.
   */
  append(): void {
    if (this.count === this.maxRows) {
      this.start = (this.start + 1) % this.maxRows;
      if (this.cache.length > 0) this.cache.shift();
    } else {
      this.count++;
    }
    this.row = this.physical(this.count - 1);
    this.chunk = this.chunkOf(this.row);
    if (this.chunk === this.values.length) {
      this.values.push(new Float64Array(this.rowsPerChunk * this.width));
      this.nulls.push(new Uint8Array(this.rowsPerChunk * this.width));
    }
    this.base = this.baseOf(this.row);
    (this.nulls[this.chunk] as Uint8Array).fill(1, this.base, this.base + this.width);
    this.extras[this.row] = undefined;
  }

  /** Sets `column` of the newest row. */
  set(column: number, x: number | null): void {
    this.write(this.chunk, this.base + column, x);
  }

  /** Sets layer `j`'s norms over time in the newest row. */
  setTimeGradNorms(j: number, norms: number[]): void {
    this.extrasOf(this.row).timeGradNorms.set(j, norms);
  }

  /** Sets the gradient histograms of the newest row. */
  setGradHistograms(hists: GradHistogram[]): void {
    this.extrasOf(this.row).gradHistograms = hists;
  }

  /** Sets the metric of record `i` (0: the oldest held). */
  setMetric(i: number, metric: number | null): void {
    const row = this.physical(i);
    this.write(this.chunkOf(row), this.baseOf(row) + RECORD_COL.metric, metric);
    const made = this.cache[i];
    if (made !== undefined) made.metric = metric;
  }

  /** Column `column` of record `i` (0: the oldest held); null where the record has none. */
  get(i: number, column: number): number | null {
    const row = this.physical(i);
    const c = this.chunkOf(row);
    const k = this.baseOf(row) + column;
    return (this.nulls[c] as Uint8Array)[k] === 1 ? null : ((this.values[c] as Float64Array)[k] as number);
  }

  /** The newest record, made anew (null while the log is empty). */
  last(): GradientRecord | null {
    return this.count > 0 ? this.at(this.count - 1) : null;
  }

  /** Layer `j`'s norms over time in record `i` (recurrent layers), else undefined. Do not change them. */
  timeGradNorms(i: number, j: number): readonly number[] | undefined {
    return this.extras[this.physical(i)]?.timeGradNorms.get(j);
  }

  /** Record `i`'s gradient histograms, else undefined. Do not change them. */
  gradHistograms(i: number): readonly GradHistogram[] | undefined {
    return this.extras[this.physical(i)]?.gradHistograms;
  }

  /** Record `i` (0: the oldest held), made anew: changing it changes nothing here. */
  at(i: number): GradientRecord {
    const params = this.params.map((p, k): ParamStats => {
      const o = this.param(k);
      return {
        name: p.name,
        layer: p.layer,
        role: p.role,
        shape: p.shape.slice(),
        gradNorm: this.get(i, o + PARAM_COL.gradNorm) as number,
        gradRms: this.get(i, o + PARAM_COL.gradRms) as number,
        weightNorm: this.get(i, o + PARAM_COL.weightNorm) as number,
        updateRatio: this.get(i, o + PARAM_COL.updateRatio),
        nearZeroFrac: this.get(i, o + PARAM_COL.nearZeroFrac),
        nonFinite: this.get(i, o + PARAM_COL.nonFinite) ?? 0,
      };
    });
    const layers = this.layers.map((l, j): LayerStats => {
      const o = this.layer(j);
      const stats: LayerStats = {
        name: l.name,
        type: l.type,
        activation: l.activation,
        level: l.level,
        gradIn: this.get(i, o + LAYER_COL.gradIn),
        actMean: this.get(i, o + LAYER_COL.actMean),
        actStd: this.get(i, o + LAYER_COL.actStd),
        saturatedFrac: this.get(i, o + LAYER_COL.saturatedFrac),
        deadFrac: this.get(i, o + LAYER_COL.deadFrac),
        nonFinite: this.get(i, o + LAYER_COL.nonFinite) ?? 0,
      };
      const t = this.timeGradNorms(i, j);
      if (t !== undefined) stats.timeGradNorms = t.slice();
      return stats;
    });
    const rec: GradientRecord = {
      step: this.get(i, RECORD_COL.step) as number,
      loss: this.get(i, RECORD_COL.loss) as number,
      metric: this.get(i, RECORD_COL.metric),
      gradNormTotal: this.get(i, RECORD_COL.gradNormTotal) as number,
      preClipNorm: this.get(i, RECORD_COL.preClipNorm),
      params,
      layers,
    };
    const hists = this.gradHistograms(i);
    if (hists !== undefined) rec.gradHistograms = hists.map((h) => ({ ...h, counts: h.counts.slice() }));
    return rec;
  }

  /**
   * The records held, oldest first. Each is made once, on the first call that reaches it, and the same
   * array is returned (grown) by later calls.
   */
  records(): GradientRecord[] {
    for (let i = this.cache.length; i < this.count; i++) this.cache.push(this.at(i));
    return this.cache;
  }

  /** Index `k` of chunk `c`: the number x, or null as a set flag. */
  private write(c: number, k: number, x: number | null): void {
    if (x === null) {
      (this.nulls[c] as Uint8Array)[k] = 1;
    } else {
      (this.values[c] as Float64Array)[k] = x;
      (this.nulls[c] as Uint8Array)[k] = 0;
    }
  }

  private chunkOf(row: number): number {
    return Math.floor(row / this.rowsPerChunk);
  }

  /** Where physical row `row` starts in its chunk. */
  private baseOf(row: number): number {
    return (row % this.rowsPerChunk) * this.width;
  }

  /** Where record `i` (0: the oldest held) lies. */
  private physical(i: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.count))
      throw new RangeError(`RecordLog: no record ${i} (${this.count} held)`);
    return this.count === this.maxRows ? (this.start + i) % this.maxRows : i;
  }

  private extrasOf(row: number): RowExtras {
    let e = this.extras[row];
    if (e === undefined) {
      e = { timeGradNorms: new Map(), gradHistograms: undefined };
      this.extras[row] = e;
    }
    return e;
  }
}
