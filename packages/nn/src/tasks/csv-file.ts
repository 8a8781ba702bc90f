import { ConfigError } from '@vgp/core';
import { type CsvData, type CsvOptions, datasetFromCsv } from './csv.js';

/**
 * Reads a CSV file (UTF-8) and returns {@link datasetFromCsv} of its text, named after the file in
 * messages. Node only: it lives behind the `@vgp/nn/node` entry (and a dynamic import in `loadTask`) so
 * browser bundles never see `node:fs`.
 */
export async function datasetFromCsvFile(path: string, opts: CsvOptions = {}): Promise<CsvData> {
  return datasetFromCsv(await readCsvFile(path), { ...opts, name: opts.name ?? baseName(path) });
}

/** The text of a CSV file; a `ConfigError` naming the file when it cannot be read. */
export async function readCsvFile(path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read the data file '${path}': ${(e as Error).message}`);
  }
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
