import { readFileSync } from 'node:fs';
import { ConfigError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { CSV_MAX_ROWS, type CsvOptions, datasetFromCsv, parseCsvTable } from '../../src/tasks/csv.js';
import { DataError } from '../../src/tasks/dataset.js';

const fixture = (path: string) => readFileSync(new URL(`fixtures/csv/${path}`, import.meta.url), 'utf8');

/** Each bad file, the options it is read with, and the message it must produce (shared with the CLI's tests). */
const BAD_CSV: { file: string; options: CsvOptions; message: string }[] = JSON.parse(
  fixture('bad-cases.json'),
);

describe('datasetFromCsv: bad files get a DataError that points at the row and column', () => {
  it('there are at least 15 bad files, each with its message', () => {
    expect(BAD_CSV.length).toBeGreaterThanOrEqual(15);
    expect(new Set(BAD_CSV.map((c) => c.message)).size).toBe(BAD_CSV.length);
  });

  it.each(BAD_CSV)('$file', async ({ file, options: opts, message }) => {
    const read = () => datasetFromCsv(fixture(`bad/${file}`), { name: file, ...opts });
    await expect(read()).rejects.toThrow(DataError);
    await expect(read()).rejects.toThrow(message);
  });

  it('more rows than the limit is refused without reading past it', async () => {
    const text = `x,y\n${'1,0\n2,1\n'.repeat(CSV_MAX_ROWS / 2)}3,0\n`;
    await expect(datasetFromCsv(text, { name: 'big.csv' })).rejects.toThrow(
      `big.csv: more than ${CSV_MAX_ROWS} data rows, the limit`,
    );
    // Exactly at the limit loads.
    expect((await datasetFromCsv(`x,y\n${'1,0\n2,1\n'.repeat(CSV_MAX_ROWS / 2)}`)).table.rows).toBe(
      CSV_MAX_ROWS,
    );
  });

  it('bad options are ConfigErrors naming the option', async () => {
    const text = fixture('good/comma.csv');
    await expect(datasetFromCsv(text, { target: 5 })).rejects.toThrow(ConfigError);
    await expect(datasetFromCsv(text, { target: 5 })).rejects.toThrow(
      'target index 5 is out of range; the file has 3',
    );
    await expect(datasetFromCsv(text, { testFraction: 1 })).rejects.toThrow(
      'testFraction must be a number in (0, 1), got 1',
    );
    await expect(datasetFromCsv(text, { task: 'ranking' as 'regression' })).rejects.toThrow(
      "task must be 'classification' or 'regression'",
    );
  });
});

describe('datasetFromCsv: good files', () => {
  it('comma, header, string labels: mapping kept, sorted, counted; stratified seeded split', async () => {
    const d = await datasetFromCsv(fixture('good/comma.csv'), { testFraction: 0.3, seed: 4 });
    expect(d.features).toEqual(['sepal length', 'sepal width']);
    expect(d.target).toBe('species');
    expect(d.task).toBe('classification');
    expect(d.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.classCounts).toEqual([4, 3, 3]);
    expect(d.table).toEqual({
      columns: ['sepal length', 'sepal width', 'species'],
      header: true,
      delimiter: ',',
      rows: 10,
    });
    // Stratified: round(0.3 * 4) = 1 setosa and round(0.3 * 3) = 1 of each other class held out.
    expect(d.test.xShape).toEqual([3, 2]);
    expect([...d.test.y].sort()).toEqual([0, 1, 2]);
    expect(d.train.classes).toBe(3);
    // The same seed gives the same split; another seed another one.
    expect((await datasetFromCsv(fixture('good/comma.csv'), { testFraction: 0.3, seed: 4 })).test.x).toEqual(
      d.test.x,
    );
    const other = await Promise.all(
      [1, 2, 3, 5, 6].map((s) => datasetFromCsv(fixture('good/comma.csv'), { testFraction: 0.3, seed: s })),
    );
    expect(other.some((o) => o.test.x.join() !== d.test.x.join())).toBe(true);
  });

  it('standardizes with the training rows only, and keeps the statistics', async () => {
    const d = await datasetFromCsv(fixture('good/regression.csv'), { seed: 1 });
    const { mean, std } = d.standardization;
    const n = d.train.xShape[0];
    for (let k = 0; k < 3; k++) {
      const col = Array.from({ length: n }, (_, i) => d.train.x[i * 3 + k]);
      const m = col.reduce((s, v) => s + v, 0) / n;
      const v = col.reduce((s, x) => s + (x - m) ** 2, 0) / n;
      expect(Math.abs(m)).toBeLessThan(1e-5);
      expect(v).toBeCloseTo(1, 4);
    }
    // Test rows are the file's values through the training statistics: undoing them gives file values.
    const original = new Set(
      fixture('good/regression.csv')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[2]).toFixed(3)),
    );
    for (let i = 0; i < d.test.xShape[0]; i++) {
      expect(original.has((d.test.x[i * 3 + 2] * std[2] + mean[2]).toFixed(3))).toBe(true);
    }
    // The size column (0-100) has a mean near 50 on the training rows.
    expect(mean[2]).toBeGreaterThan(40);
    expect(mean[2]).toBeLessThan(60);
    expect(d.task).toBe('regression');
    expect(d.targetScale?.std).toBeGreaterThan(2);
    expect(d.test.xShape).toEqual([80, 3]);
  });

  it.each([
    ['semicolon.csv', ';'],
    ['tab.csv', '\t'],
  ])('%s: delimiter detected, integer 0/1 target read as two classes', async (file, delimiter) => {
    const d = await datasetFromCsv(fixture(`good/${file}`));
    expect(d.table.delimiter).toBe(delimiter);
    expect(d.features).toEqual(['temp', 'humidity']);
    expect(d.labels).toEqual(['0', '1']);
    expect(d.train.xShape[0] + d.test.xShape[0]).toBe(6);
  });

  it('quoted fields: delimiters and doubled quotes inside quotes, quoted numbers', async () => {
    const d = await datasetFromCsv(fixture('good/quoted.csv'));
    expect(d.features).toEqual(['height, cm', 'weight']);
    expect(d.labels).toEqual(['He said "hi"', 'New York, NY', 'Paris']);
    expect(d.classCounts).toEqual([2, 2, 2]);
    const table = await parseCsvTable(fixture('good/quoted.csv'));
    expect(table.rows[0]).toEqual(['170.5', '65', 'New York, NY']);
  });

  it('a UTF-8 BOM and CRLF line ends do not leak into names or labels', async () => {
    const d = await datasetFromCsv(fixture('good/bom-crlf.csv'));
    expect(d.features).toEqual(['x1', 'x2']);
    expect(d.labels).toEqual(['cat', 'dog']);
  });

  it('no header: detected (row 1 is numeric), columns named by position, target by index', async () => {
    const d = await datasetFromCsv(fixture('good/no-header.csv'));
    expect(d.table.header).toBe(false);
    expect(d.table.rows).toBe(5);
    expect(d.target).toBe('column 3');
    const first = await datasetFromCsv(fixture('good/no-header.csv'), { target: 0, task: 'regression' });
    expect(first.features).toEqual(['column 2', 'column 3']);
    expect(first.task).toBe('regression');
    // A digit string that names no column is an index (the CLI passes --target as text).
    expect(
      (await datasetFromCsv(fixture('good/no-header.csv'), { target: '0', task: 'regression' })).target,
    ).toBe('column 1');
  });

  it('blank lines are skipped but rows keep their spreadsheet numbers', async () => {
    const table = await parseCsvTable(fixture('good/blank-lines-inside.csv'));
    expect(table.rows).toHaveLength(4);
    expect(table.rowNumbers).toEqual([2, 4, 5, 7]);
    expect((await datasetFromCsv(fixture('good/blank-lines-inside.csv'))).task).toBe('regression');
  });

  it('the task is overridable: numeric labels as regression, a quantity as classes', async () => {
    const tab = await datasetFromCsv(fixture('good/tab.csv'), { task: 'regression' });
    expect(tab.task).toBe('regression');
    expect(tab.labels).toBeNull();
    const classes = await datasetFromCsv(fixture('good/blank-lines-inside.csv'), { task: 'classification' });
    expect(classes.labels).toEqual(['0.5', '0.75', '1.25', '2.5']);
  });
});
