import { ConfigError } from '@vgp/core';
import { Rng } from '../rng.js';
import {
  type CsvTable,
  type CsvTableOptions,
  cellNonFinite,
  cellNumber,
  cellProblem,
  parseCsvTable,
} from './csv-table.js';
import { DataError, type Dataset } from './dataset.js';

export * from './csv-table.js';

/** What the target column holds: class labels (any strings) or a numeric quantity. */
export type CsvTask = 'classification' | 'regression';

/** A numeric target with at most this many distinct integer values is read as class labels (unless told). */
export const CSV_AUTO_CLASSES = 10;
/** Most classes a classification target may have. */
export const CSV_MAX_CLASSES = 50;

/** Options of {@link datasetFromCsv}; everything left out is detected or defaulted. */
export interface CsvOptions extends CsvTableOptions {
  /**
   * The target column: its header name, or its 0-based index (negative counts from the end; a string of
   * digits that names no column is read as an index). Default: the last column.
   */
  target?: string | number;
  /**
   * Default: detected. `classification` when the target holds any non-numeric label, or only integers with at
   * most {@link CSV_AUTO_CLASSES} distinct values; `regression` otherwise.
   */
  task?: CsvTask;
  /** Share of the rows held out for testing, in (0, 1). Default 0.2. */
  testFraction?: number;
  /** Decides the train/test split: the same seed always gives the same split (default 0). */
  seed?: number;
}

/** Per-feature mean and standard deviation, measured on the training split only. */
export interface Standardization {
  /** Mean of each feature column. */
  mean: number[];
  /** Standard deviation of each feature column (1 for a constant column, so it maps to 0 rather than NaN). */
  std: number[];
}

/** A CSV ready to train on, with what a user needs to read predictions and feed new rows the same way. */
export interface CsvData {
  /** Training rows: x standardized, y class indices or the standardized target. */
  train: Dataset;
  /** Held-out rows, standardized with the training statistics. */
  test: Dataset;
  /** Feature column names, in the order of x's columns. */
  features: string[];
  /** The target column's name. */
  target: string;
  /** Whether the target was read as labels or as a quantity. */
  task: CsvTask;
  /** Classification: `labels[i]` is the text of class i (numeric labels sorted by value, others by text). */
  labels: string[] | null;
  /** Classification: rows per class over the whole file, in the order of `labels`. */
  classCounts: number[] | null;
  /** The feature statistics applied to train and test; apply them to later inputs with {@link standardizeRows}. */
  standardization: Standardization;
  /** Regression: the target's training mean and std (y = (target - mean) / std); null for classification. */
  targetScale: { mean: number; std: number } | null;
  /** How the text was read. */
  table: Pick<CsvTable, 'columns' | 'header' | 'delimiter'> & { rows: number };
}

/**
 * Reads a CSV table into train and test data sets. Throws `DataError` pointing at the cell for bad data
 * ("data.csv: row 17, column 'age': 'n/a' is not a number; ...") and `ConfigError` for bad options.
 * Rows are numbered as in a spreadsheet (the header is row 1). Limits: {@link CSV_MAX_ROWS} data rows,
 * {@link CSV_MAX_COLUMNS} columns, {@link CSV_MAX_CLASSES} classes.
 */
export async function datasetFromCsv(text: string, opts: CsvOptions = {}): Promise<CsvData> {
  const name = opts.name ?? 'csv';
  const testFraction = opts.testFraction ?? 0.2;
  if (!(typeof testFraction === 'number' && testFraction > 0 && testFraction < 1)) {
    throw new ConfigError(`${name}: testFraction must be a number in (0, 1), got ${testFraction}`);
  }
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(seed)) throw new ConfigError(`${name}: seed must be an integer, got ${seed}`);
  if (opts.task !== undefined && opts.task !== 'classification' && opts.task !== 'regression') {
    throw new ConfigError(`${name}: task must be 'classification' or 'regression', got '${opts.task}'`);
  }
  const table = await parseCsvTable(text, opts);
  const { columns, rows, rowNumbers } = table;
  const t = targetIndex(name, columns, opts.target);
  if (columns.length < 2) {
    throw new DataError(
      `${name}: only one column ('${columns[0]}'); a CSV needs feature columns and a target column`,
    );
  }
  const featureIdx = columns.map((_, j) => j).filter((j) => j !== t);
  const n = rows.length;
  const f = featureIdx.length;
  const x = new Float32Array(n * f);
  rows.forEach((cells, i) => {
    featureIdx.forEach((j, k) => {
      const problem = cellProblem(rowNumbers[i], columns[j], cells[j]);
      if (problem) throw new DataError(`${name}: ${problem}`);
      x[i * f + k] = Number(cells[j]);
    });
  });
  if (n < 2) throw new DataError(`${name}: only 1 data row; a train/test split needs at least 2`);
  const target = readTarget(name, table, t, opts.task);
  const { train, test } = split(
    n,
    target.y,
    target.labels?.length ?? 0,
    testFraction,
    new Rng(seed).fork('csv-split'),
  );
  const standardization = featureStats(x, f, train);
  standardizeRows(x, f, standardization);
  let targetScale: CsvData['targetScale'] = null;
  if (target.labels === null) {
    const s = featureStats(target.y, 1, train);
    targetScale = { mean: s.mean[0], std: s.std[0] };
    standardizeRows(target.y, 1, s);
  }
  const classes = target.labels === null ? {} : { classes: target.labels.length };
  const make = (idx: number[], suffix: string): Dataset => ({
    name: `${name}-${suffix}`,
    x: gatherRows(x, f, idx),
    xShape: [idx.length, f],
    y: gatherRows(target.y, 1, idx),
    yShape: [idx.length, 1],
    ...classes,
  });
  return {
    train: make(train, 'train'),
    test: make(test, 'test'),
    features: featureIdx.map((j) => columns[j]),
    target: columns[t],
    task: target.labels === null ? 'regression' : 'classification',
    labels: target.labels,
    classCounts: target.counts,
    standardization,
    targetScale,
    table: { columns, header: table.header, delimiter: table.delimiter, rows: n },
  };
}

/** Standardizes `[n, features]` rows in place: (x - mean) / std per column. */
export function standardizeRows(x: Float32Array, features: number, s: Standardization): Float32Array {
  for (let i = 0; i < x.length; i++) {
    const k = i % features;
    x[i] = (x[i] - s.mean[k]) / s.std[k];
  }
  return x;
}

function targetIndex(name: string, columns: string[], target: string | number | undefined): number {
  if (target === undefined) return columns.length - 1;
  if (typeof target === 'number') {
    if (!(Number.isInteger(target) && target >= -columns.length && target < columns.length)) {
      throw new ConfigError(
        `${name}: target index ${target} is out of range; the file has ${columns.length} columns (0 to ${columns.length - 1}, or -1 for the last)`,
      );
    }
    return target < 0 ? columns.length + target : target;
  }
  const j = columns.indexOf(target);
  // A name that is no column but reads as an integer is an index (the CLI's --target 0); names win.
  if (j < 0 && /^-?\d+$/.test(target.trim())) return targetIndex(name, columns, Number(target));
  if (j < 0) {
    throw new DataError(
      `${name}: no target column named '${target}'; the columns are ${columns.map((c) => `'${c}'`).join(', ')}`,
    );
  }
  return j;
}

interface Target {
  y: Float32Array;
  labels: string[] | null;
  counts: number[] | null;
}

function readTarget(name: string, table: CsvTable, t: number, task: CsvTask | undefined): Target {
  const column = table.columns[t];
  const cells = table.rows.map((r) => r[t]);
  cells.forEach((c, i) => {
    if (c === '')
      throw new DataError(
        `${name}: row ${table.rowNumbers[i]}, column '${column}' is empty; every row needs a target`,
      );
  });
  const numeric = cells.every((c) => cellNumber(c) !== null || cellNonFinite(c));
  const distinct = [...new Set(cells)];
  const detected: CsvTask =
    numeric && !(distinct.length <= CSV_AUTO_CLASSES && cells.every((c) => Number.isInteger(cellNumber(c))))
      ? 'regression'
      : 'classification';
  const kind = task ?? detected;
  if (kind === 'regression' || numeric) {
    // Numbers must be finite whether they are quantities or labels ('NaN' is not a class).
    cells.forEach((c, i) => {
      const problem = cellProblem(table.rowNumbers[i], column, c);
      if (problem)
        throw new DataError(`${name}: ${problem}${kind === 'regression' ? ' (a regression target)' : ''}`);
    });
  }
  if (kind === 'regression') return { y: Float32Array.from(cells, Number), labels: null, counts: null };
  const labels = numeric
    ? distinct.sort((a, b) => Number(a) - Number(b))
    : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.length < 2) {
    throw new DataError(
      `${name}: column '${column}' holds one class only ('${labels[0]}'); classification needs at least 2 (or pick another target)`,
    );
  }
  if (labels.length > CSV_MAX_CLASSES) {
    throw new DataError(
      `${name}: column '${column}' has ${labels.length} distinct values, more than ${CSV_MAX_CLASSES} classes; for a quantity use task 'regression'`,
    );
  }
  const index = new Map(labels.map((l, k) => [l, k]));
  const y = Float32Array.from(cells, (c) => index.get(c) as number);
  const counts = labels.map(() => 0);
  for (const v of y) counts[v]++;
  return { y, labels, counts };
}

/**
 * A seeded train/test split. Classification is stratified (each class split in the same proportion, a
 * class of one row trains) so a rare class is not missing from the test set by chance.
 */
function split(
  n: number,
  y: Float32Array,
  classes: number,
  fraction: number,
  rng: Rng,
): { train: number[]; test: number[] } {
  const groups: number[][] = classes > 0 ? Array.from({ length: classes }, () => []) : [[]];
  for (const i of rng.permutation(n)) groups[classes > 0 ? y[i] : 0].push(i);
  const takes = groups.map((g) => Math.min(g.length - 1, Math.round(g.length * fraction)));
  if (takes.every((k) => k <= 0)) {
    const largest = groups.reduce((b, g, k) => (g.length > groups[b].length ? k : b), 0);
    takes[largest] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((g, k) => {
    const take = Math.max(0, takes[k]);
    test.push(...g.slice(0, take));
    train.push(...g.slice(take));
  });
  return { train, test };
}

function featureStats(x: Float32Array, f: number, rows: number[]): Standardization {
  const mean = new Array<number>(f).fill(0);
  const sq = new Array<number>(f).fill(0);
  for (const i of rows) for (let k = 0; k < f; k++) mean[k] += x[i * f + k];
  for (let k = 0; k < f; k++) mean[k] /= rows.length;
  for (const i of rows) {
    for (let k = 0; k < f; k++) sq[k] += (x[i * f + k] - mean[k]) ** 2;
  }
  const std = sq.map((s) => Math.sqrt(s / rows.length) || 1);
  return { mean, std };
}

function gatherRows(src: Float32Array, f: number, idx: number[]): Float32Array {
  const out = new Float32Array(idx.length * f);
  idx.forEach((i, r) => {
    out.set(src.subarray(i * f, i * f + f), r * f);
  });
  return out;
}
