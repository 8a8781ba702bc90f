import { ConfigError } from '@vgp/core';
import { loadPapa, type Papa } from '../libraries.js';
import { DataError } from './dataset.js';

/** Most data rows a CSV may hold (header excluded): 50,000 rows x 100 columns is 20 MB of float32. */
export const CSV_MAX_ROWS = 50_000;
/** Most columns a CSV may hold, target included. */
export const CSV_MAX_COLUMNS = 100;
/** The delimiters a CSV may use. */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;
/** One of {@link CSV_DELIMITERS}: comma, semicolon or tab. */
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** How to read the table; everything left out is detected. */
export interface CsvTableOptions {
  /** Whether the first row names the columns. Default: detected (it does when none of its cells is a number). */
  header?: boolean;
  /** The field separator. Default: detected (of comma, semicolon and tab, the one that splits the first row most). */
  delimiter?: CsvDelimiter;
  /** Used in messages, e.g. the file name (default `'csv'`). */
  name?: string;
}

/** A CSV as cells: every row has one cell per column; rows are numbered as in a spreadsheet. */
export interface CsvTable {
  /** Column names: the header's, or `column 1`, `column 2`, ... without one (also for empty header cells). */
  columns: string[];
  /** Data rows (header excluded), cells trimmed, each as long as `columns`. */
  rows: string[][];
  /** `rowNumbers[i]` is the spreadsheet row of `rows[i]`: 1-based, the header is row 1, blank lines count. */
  rowNumbers: number[];
  /** Whether row 1 was read as a header. */
  header: boolean;
  /** The separator used. */
  delimiter: CsvDelimiter;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** The cell as a finite number, or null when it is not one (empty, text, NaN, Inf). */
export function cellNumber(cell: string): number | null {
  if (!NUMBER.test(cell)) return null;
  const v = Number(cell);
  return Number.isFinite(v) ? v : null;
}

/** Whether the cell spells a number that is not finite ('NaN', 'inf', '-Infinity', '1e999'). */
export function cellNonFinite(cell: string): boolean {
  return NON_FINITE.test(cell) || (NUMBER.test(cell) && !Number.isFinite(Number(cell)));
}

/**
 * Why a cell is not a usable number, as the message users see:
 * "row 17, column 'age': 'n/a' is not a number; ...". Null when it is one.
 */
export function cellProblem(row: number, column: string, cell: string): string | null {
  const at = `row ${row}, column '${column}'`;
  if (cell === '') return `${at} is empty; fill it in or remove the row`;
  if (cellNonFinite(cell)) {
    return `${at}: '${cell}' is not a finite number; replace it or remove the row`;
  }
  if (cellNumber(cell) === null) {
    const hint = row === 1 ? ' (if row 1 names the columns, say the file has a header)' : '';
    return `${at}: '${cell}' is not a number; features must be numeric${hint}`;
  }
  return null;
}

/**
 * Splits `text` into cells with papaparse and checks the table's shape; rejects with `DataError` naming
 * the row. Async because papaparse loads on the first call.
 */
export async function parseCsvTable(text: string, opts: CsvTableOptions = {}): Promise<CsvTable> {
  const name = opts.name ?? 'csv';
  // A UTF-8 BOM (spreadsheets write one) would otherwise stick to the first column's name.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new DataError(`${name}: the file is empty; it needs a header or data rows`);
  if (opts.delimiter !== undefined && !(CSV_DELIMITERS as readonly string[]).includes(opts.delimiter)) {
    throw new ConfigError(
      `${name}: delimiter must be ',', ';' or a tab, got ${JSON.stringify(opts.delimiter)}`,
    );
  }
  const Papa = await loadPapa();
  const delimiter = opts.delimiter ?? guessDelimiter(Papa, body);
  // Parse at most the limit plus the header plus one: enough to say the file is too long without reading it all.
  const parsed = Papa.parse<string[]>(body, { delimiter, preview: CSV_MAX_ROWS + 2, skipEmptyLines: false });
  const records = parsed.data;
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    const row = (quoteError.row ?? 0) + 1;
    throw new DataError(
      `${name}: row ${row} has a quoted field that is not closed (${quoteError.message}); close the quote or remove it`,
    );
  }
  // Blank lines (and the empty record after a final newline) are skipped but keep their row numbers.
  const kept: { cells: string[]; row: number }[] = [];
  records.forEach((cells, i) => {
    if (!(cells.length === 1 && cells[0].trim() === ''))
      kept.push({ cells: cells.map((c) => c.trim()), row: i + 1 });
  });
  const first = kept[0];
  const header =
    opts.header ?? first.cells.every((c) => c !== '' && cellNumber(c) === null && !cellNonFinite(c));
  const width = first.cells.length;
  if (width > CSV_MAX_COLUMNS) {
    throw new DataError(
      `${name}: ${width} columns, more than the limit of ${CSV_MAX_COLUMNS}; drop some columns`,
    );
  }
  const columns = header
    ? first.cells.map((c, j) => c || `column ${j + 1}`)
    : first.cells.map((_, j) => `column ${j + 1}`);
  checkDuplicates(name, columns);
  const data = header ? kept.slice(1) : kept;
  if (data.length === 0) {
    throw new DataError(`${name}: the file has a header but no data rows; add rows below the header`);
  }
  if (data.length > CSV_MAX_ROWS || parsed.meta.truncated) {
    throw new DataError(
      `${name}: more than ${CSV_MAX_ROWS} data rows, the limit; sample the rows you need into a smaller file`,
    );
  }
  for (const { cells, row } of data) {
    if (cells.length !== width) {
      const of = header ? 'the header has' : `row ${first.row} has`;
      throw new DataError(
        `${name}: row ${row} has ${cells.length} cells but ${of} ${width}; every row needs ${width} (quote fields that contain '${printable(delimiter)}')`,
      );
    }
  }
  return { columns, rows: data.map((d) => d.cells), rowNumbers: data.map((d) => d.row), header, delimiter };
}

function printable(d: CsvDelimiter): string {
  return d === '\t' ? '\\t' : d;
}

function checkDuplicates(name: string, columns: string[]): void {
  const seen = new Map<string, number>();
  columns.forEach((c, j) => {
    const before = seen.get(c);
    if (before !== undefined) {
      throw new DataError(
        `${name}: columns ${before + 1} and ${j + 1} are both named '${c}'; give every column a distinct name`,
      );
    }
    seen.set(c, j);
  });
}

/** Of comma, semicolon and tab, the one that splits the first non-blank line into the most fields. */
function guessDelimiter(Papa: Papa, body: string): CsvDelimiter {
  let best: CsvDelimiter = ',';
  let most = 0;
  for (const d of CSV_DELIMITERS) {
    // Parsing (not counting characters) so a comma inside quotes does not count.
    const first = Papa.parse<string[]>(body, { delimiter: d, preview: 1, skipEmptyLines: 'greedy' }).data[0];
    const fields = first?.length ?? 0;
    if (fields > most) {
      best = d;
      most = fields;
    }
  }
  return best;
}
