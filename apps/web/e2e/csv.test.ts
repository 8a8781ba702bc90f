/**
 * "Your data" in real Chromium: a CSV chosen through the file input is previewed (rows, column types,
 * class balance), two variants train on it and get verdicts, a bad CSV shows the message that points at
 * the cell, and a reopened link asks for the file again (it never held the rows); dropping it loads it.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open, type Session } from './harness.js';
import { cards, loadFully, waitForSteps } from './page-helpers.js';

const FIXTURES = fileURLToPath(new URL('../../../packages/nn/test/tasks/fixtures/csv/', import.meta.url));
const STEPS = 200;

let s: Session;

beforeAll(async () => {
  s = await open({ width: 1280, height: 900 });
});

afterAll(async () => {
  await s?.close();
});

describe('your data', () => {
  let url = '';

  it('loads a CSV through the file input and previews it: first rows, column types, class balance', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.locator('vgp-shared-settings #task').selectOption('csv');
    await page.waitForFunction(() => location.search.includes('task=csv'));
    await page.locator('vgp-your-data #csv-file').setInputFiles(`${FIXTURES}good/three-class.csv`);
    await page.waitForFunction(() => location.search.includes('data=three-class.csv'));
    const preview = page.locator('vgp-your-data table.preview');
    expect(await preview.locator('tbody tr').count()).toBe(5);
    expect(await preview.locator('th').allTextContents()).toEqual([
      'anumber',
      'bnumber',
      'noisenumber',
      'bandtarget, text',
    ]);
    expect(await page.locator('vgp-your-data .balance li').allTextContents()).toEqual([
      'high: 114 (25.3%)',
      'low: 103 (22.9%)',
      'mid: 233 (51.8%)',
    ]);
    expect(await page.locator('vgp-your-data .summary').textContent()).toMatch(
      /450 rows, 3 features,\s+classification into 3 classes; 91 rows held out/,
    );
    expect(await page.locator('vgp-your-data #csv-target').inputValue()).toBe('band');
    // Another target would leave the text column 'band' as a feature: the page says which cell, and
    // keeps the target in use.
    await page.locator('vgp-your-data #csv-target').selectOption('a');
    expect(await page.locator('vgp-your-data .csv-error').textContent()).toBe(
      "three-class.csv: row 2, column 'band': 'mid' is not a number; features must be numeric",
    );
    expect(await page.locator('vgp-your-data #csv-target').inputValue()).toBe('band');
    expect(page.url()).toContain('target=band');
    url = page.url();
  });

  it('trains the two runs on it and shows their verdicts', async () => {
    const { page } = s;
    const steps = page.locator('vgp-shared-settings #steps');
    await steps.fill(String(STEPS));
    await steps.dispatchEvent('change');
    await page.waitForFunction((n) => location.search.includes(`steps=${n}`), STEPS);
    await page.locator('vgp-transport .play').click();
    const runs = await waitForSteps(page, STEPS);
    expect(runs).toHaveLength(2);
    for (const r of runs) {
      expect(r.step).toBe(STEPS);
      expect(r.verdicts.length).toBeGreaterThan(0);
    }
    // The 10-layer sigmoid baseline starves its first layers, as on the built-in tasks; ReLU + He does not.
    expect(runs[0]?.verdicts).toContain('vanishing');
    expect(runs[1]?.verdicts).not.toContain('vanishing');
    expect(s.errors).toEqual([]);
  });

  it('a bad CSV shows the message that points at the cell, and is not used', async () => {
    const { page } = s;
    await page.locator('vgp-your-data #csv-file').setInputFiles(`${FIXTURES}bad/not-a-number.csv`);
    const error = page.locator('vgp-your-data .csv-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(
      "not-a-number.csv: row 17, column 'age': 'n/a' is not a number; features must be numeric",
    );
    // Nothing of the bad file is used: the link still names the good one, the runs keep their steps.
    expect(page.url()).toContain('data=three-class.csv');
    expect((await cards(page)).every((c) => c.step === STEPS)).toBe(true);
  });

  it('a reopened link knows custom data was used and asks for the file again', async () => {
    const { page } = s;
    await page.goto(url);
    const reload = page.locator('vgp-your-data .reload');
    await reload.waitFor();
    expect(await reload.textContent()).toMatch(/your file 'three-class.csv'.*load it again to train/s);
    await page.waitForFunction(() =>
      document
        .querySelector('vgp-app')
        ?.shadowRoot?.querySelector('.status')
        ?.textContent?.includes("load 'three-class.csv' again"),
    );
    expect(s.errors).toEqual([]);
  });

  it('dropping the file again on the drop zone loads it, and the runs can train again', async () => {
    const { page } = s;
    const text = await readFile(`${FIXTURES}good/three-class.csv`, 'utf8');
    const transfer = await page.evaluateHandle((body) => {
      const dt = new DataTransfer();
      dt.items.add(new File([body], 'three-class.csv', { type: 'text/csv' }));
      return dt;
    }, text);
    await page.locator('vgp-your-data .drop').dispatchEvent('drop', { dataTransfer: transfer });
    await page.locator('vgp-your-data table.preview').waitFor();
    expect(await page.locator('vgp-your-data .reload').count()).toBe(0);
    await page.locator('vgp-transport .play').click();
    const runs = await waitForSteps(page, STEPS);
    // The link was taken before the budget was lowered: its runs go on past STEPS, with verdicts.
    expect(runs).toHaveLength(2);
    for (const r of runs) expect(r.verdicts.length).toBeGreaterThan(0);
    expect(s.errors).toEqual([]);
  });

  it('a CSV read after the network is gone still previews and trains (the CSV reader was fetched at load)', async () => {
    const { page, context } = s;
    const fetched = await loadFully(context, () => openCsvTask(page));
    // The page and the training worker each fetch their own copy of the CSV reader's chunk once loaded.
    expect(new Set(fetched.filter((u) => /papaparse[^/]*\.js$/.test(u))).size).toBe(2);
    await context.setOffline(true);
    try {
      await readCsvAndTrain(page);
    } finally {
      await context.setOffline(false);
    }
    expect(s.errors).toEqual([]);
  });

  it('a CSV reader whose fetch failed while the page loaded is fetched again when a CSV is read', async () => {
    const { page, context } = s;
    const chunk = /papaparse[^/]*\.js$/;
    const refused: string[] = [];
    const refuse = (route: Route) => {
      refused.push(route.request().url());
      return route.abort('internetdisconnected');
    };
    await context.route(chunk, refuse);
    try {
      await loadFully(context, () => openCsvTask(page));
    } finally {
      await context.unroute(chunk, refuse);
    }
    // The page's copy of the chunk and the training worker's were both refused (each at least once).
    expect(new Set(refused).size).toBe(2);
    await readCsvAndTrain(page);
  });
});

/** Opens the playground on the CSV task, its drop zone drawn. */
async function openCsvTask(page: Page): Promise<void> {
  await page.goto(`${s.url}?task=csv&steps=${STEPS}`);
  await page.locator('vgp-your-data .drop').waitFor();
}

/** Reads three-class.csv through the file input, waits for its preview, trains both runs to STEPS with verdicts. */
async function readCsvAndTrain(page: Page): Promise<void> {
  await page.locator('vgp-your-data #csv-file').setInputFiles(`${FIXTURES}good/three-class.csv`);
  await page.locator('vgp-your-data table.preview').waitFor();
  await page.locator('vgp-transport .play').click();
  const runs = await waitForSteps(page, STEPS);
  expect(runs).toHaveLength(2);
  for (const r of runs) expect(r.verdicts.length).toBeGreaterThan(0);
}
