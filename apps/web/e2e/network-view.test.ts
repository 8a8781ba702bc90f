/**
 * The network view in real Chromium: it renders for an MLP on a 2-D task (neurons as maps over the
 * plane), an MLP on MNIST (784 inputs folded to the top 8, deep layers folded into a band) and an
 * LSTM on the adding problem (unrolled in time); on the deep-sigmoid preset the first hidden layer's
 * mean |dL/da| is decades below the last's, and not for ReLU + He; hover shows the values; a click
 * on a layer marks it in the run's bars. Frame timing with 4 runs and the view open is measured in
 * the page and written to test-results/network-view-timing.json (quoted, not asserted).
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkViewData } from '../src/components/vgp-network-view.js';
import { ARTIFACTS, open, type Session } from './harness.js';
import { cards, frameStats, frameTimes } from './page-helpers.js';

let s: Session;

beforeAll(async () => {
  s = await open({ width: 1280, height: 800 });
});

afterAll(async () => {
  await s?.close();
});

const view = (page: Page) => page.locator('vgp-network-view');

function viewData(page: Page): Promise<NetworkViewData[]> {
  return view(page).evaluate((el) => (el as unknown as { viewData: NetworkViewData[] }).viewData);
}

/** Opens the view, trains, and waits until every run has a sample from step `step` or later. */
async function openAndTrain(page: Page, url: string, step: number): Promise<NetworkViewData[]> {
  await page.goto(url);
  await page.locator('vgp-app button.network-toggle').click();
  await page.locator('vgp-transport .play').click();
  await page
    .waitForFunction(
      (n) => {
        const el = document.querySelector('vgp-app')?.shadowRoot?.querySelector('vgp-network-view') as
          | (Element & { viewData: Array<{ step: number | null }> })
          | null;
        return !!el && el.viewData.length > 0 && el.viewData.every((r) => (r.step ?? 0) >= n);
      },
      step,
      { timeout: 90_000, polling: 250 },
    )
    .catch(async (e) => {
      // Say what the page shows instead (an error notice, a status) rather than only "timeout".
      const shown = await page.evaluate(() => {
        const t = (
          document.querySelector('vgp-app') as unknown as {
            training: { error: string | null; status: string };
          }
        ).training;
        return `error: ${t.error}; status: ${t.status}`;
      });
      throw new Error(`${(e as Error).message}; the page shows ${shown}`);
    });
  return viewData(page);
}

/** Moves the mouse over a point of run `run`'s canvas and returns the tooltip text. */
async function hoverText(page: Page, run: number, x: number, y: number): Promise<string> {
  const box = await view(page).locator(`canvas[data-run="${run}"]`).boundingBox();
  if (!box) throw new Error('no canvas');
  await page.mouse.move(box.x + x, box.y + y);
  const tip = view(page).locator('.tip');
  await tip.waitFor({ timeout: 5000 });
  return (await tip.textContent()) ?? '';
}

function centres(page: Page, run: number) {
  return view(page).evaluate(
    (el, r) =>
      (
        el as unknown as { neuronCentres(r: number): Array<{ x: number; y: number; layer: string }> }
      ).neuronCentres(r),
    run,
  );
}

const pause = (page: Page) => page.locator('vgp-transport .play').click();

describe('the network view', () => {
  it('draws an MLP on a 2-D task with maps over the plane; hover shows values; a click marks the layer', async () => {
    const { page } = s;
    const data = await openAndTrain(page, `${s.url}?task=spiral&depth=6&width=16&steps=20000`, 30);
    await pause(page);
    expect(data.length).toBe(2);
    expect(data[0]?.layers.map((l) => l.kind)).toEqual(['input', ...Array(6).fill('hidden'), 'output']);
    expect(data[0]?.layers[1]).toMatchObject({ units: 16, shown: 8 });
    // Every unit of every column has a 12 x 12 map over the plane (16 hidden units: 16 * 144 values).
    const maps = await view(page).evaluate((el) => {
      const net = (el as unknown as { runs: Array<{ network: { plane: { maps: Float32Array[] } | null } }> })
        .runs[0]?.network;
      return net?.plane?.maps.map((m) => m.length) ?? null;
    });
    expect(maps).toEqual([2 * 144, ...Array(6).fill(16 * 144), 144]);

    const spots = await centres(page, 0);
    const hidden = spots.find((c) => c.layer === 'sigmoid2') as { x: number; y: number };
    const neuron = await hoverText(page, 0, hidden.x, hidden.y);
    expect(neuron).toMatch(/sigmoid2 unit \d+/);
    expect(neuron).toMatch(/activation -?[\d.e-]+ ± /);
    expect(neuron).toMatch(/\|dL\/da\| [\d.]+e-?\d+|\|dL\/da\| 0\.\d+/);
    // An edge: half way between a neuron of the first hidden layer and one of the second.
    const a = spots.filter((c) => c.layer === 'sigmoid1');
    const b = spots.filter((c) => c.layer === 'sigmoid2');
    const size = await view(page).evaluate(
      (el) => (el as unknown as { layouts: Array<{ size: number }> }).layouts[0]?.size ?? 0,
    );
    const [p, q] = [a[0] as { x: number; y: number }, b[0] as { x: number; y: number }];
    const edge = await hoverText(page, 0, (p.x + size / 2 + q.x - size / 2) / 2, (p.y + q.y) / 2);
    expect(edge).toMatch(/sigmoid1 \d+ → sigmoid2 \d+/);
    expect(edge).toMatch(/\|w\| [\d.e-]+/);
    expect(edge).toMatch(/update ratio \|Δw\|\/\|w\| [\d.e-]+/);

    // Clicking a neuron of the third hidden layer marks dense3's bar in the baseline's card.
    const box = await view(page).locator('canvas[data-run="0"]').boundingBox();
    const third = spots.find((c) => c.layer === 'sigmoid3') as { x: number; y: number };
    await page.mouse.click((box?.x ?? 0) + third.x, (box?.y ?? 0) + third.y);
    const card = page.locator('vgp-run-card').first();
    await expect.poll(() => card.getAttribute('data-focus-layer')).toBe('dense3');
    expect(await card.locator('vgp-grad-bars').getAttribute('highlight')).toBe('2');
    expect(s.errors).toEqual([]);
  });

  it('shows the deep sigmoid net fading toward the input and ReLU + He lit; frame timing with 4 runs', async () => {
    const { page } = s;
    await page.goto(`${s.url}?preset=deep-sigmoid`);
    await page.waitForFunction(() => location.search.includes('task=moons'));
    // The preset's own settings, with a budget long enough to measure while training (and within
    // what the run may record: its history must fit the JS heap).
    const url = page.url().replace(/steps=\d+/, 'steps=10000');
    const data = await openAndTrain(page, url, 5);
    expect(data.length).toBe(4);
    const span = (d: NetworkViewData | undefined) => {
      const hidden = (d?.layers ?? []).filter((l) => l.kind === 'hidden');
      return Math.log10((hidden[0]?.meanGrad as number) / (hidden.at(-1)?.meanGrad as number));
    };
    const sigmoid = data[0];
    const relu = data.find((d) => /relu/i.test(d.label));
    console.log(
      `decades first/last hidden mean |dL/da|: ${data.map((d) => `${d.label} ${span(d).toFixed(2)}`).join(', ')}`,
    );
    expect(span(sigmoid)).toBeLessThanOrEqual(-6);
    expect(Math.abs(span(relu))).toBeLessThanOrEqual(2);
    // 20 hidden layers: the middle ones are folded into one band.
    expect(sigmoid?.columns.filter((c) => c.kind === 'band').length).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'network-view-1280x800.png') });
    await view(page).screenshot({ path: join(ARTIFACTS, 'network-view-panels-1280.png') });

    const sample = async () => {
      const before = await cards(page);
      const { frames } = await frameTimes(page, 5000);
      const after = await cards(page);
      const sps = after.reduce((sum, r, i) => sum + (r.step - (before[i]?.step ?? 0)), 0) / 5;
      const { count, medianMs, p95Ms, maxMs } = frameStats(frames, 5);
      return { frames: count, medianMs, p95Ms, maxMs, stepsPerSecondAllRuns: sps };
    };
    const open = await sample();
    await page.locator('vgp-app button.network-toggle').click();
    const closed = await sample();
    await pause(page);
    const report = {
      setup: 'deep-sigmoid preset: 4 runs, moons, 20 hidden layers x 32, batch 64, wasm, speed max',
      viewOpen: open,
      viewClosed: closed,
      openViewStepsPerSecondCost: 1 - open.stepsPerSecondAllRuns / closed.stepsPerSecondAllRuns,
      loadAverage: loadavg(),
    };
    await writeFile(join(ARTIFACTS, 'network-view-timing.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
    expect(open.frames).toBeGreaterThan(5);
    expect(s.errors).toEqual([]);
  });

  it('folds MNIST inputs to the top 8 and deep layers into a band', async () => {
    const { page } = s;
    const data = await openAndTrain(page, `${s.url}?task=mnist&depth=14&width=32&steps=10000`, 5);
    await pause(page);
    const input = data[0]?.layers[0];
    expect(input).toMatchObject({ kind: 'input', units: 784, shown: 8 });
    expect(data[0]?.layers.at(-1)).toMatchObject({ kind: 'output', units: 10 });
    const cols = data[0]?.columns ?? [];
    expect(cols.length).toBeLessThanOrEqual(12);
    expect(cols.filter((c) => c.kind === 'band')).toHaveLength(1);
    const spots = await centres(page, 0);
    const first = spots.find((c) => c.layer === 'input') as { x: number; y: number };
    // "+776 more" under the input column explains what is not drawn.
    const more = await hoverText(page, 0, first.x, 250 - 6);
    expect(more).toMatch(/input: 776 more units not drawn/);
    expect(s.errors).toEqual([]);
  });

  it('unrolls an LSTM on the adding problem in time, and at 390 px wide', async () => {
    const { page } = s;
    const data = await openAndTrain(
      page,
      `${s.url}?task=adding&seq=20&depth=1&b.label=lstm&b.cell=lstm&steps=3000`,
      20,
    );
    await pause(page);
    const lstm = data[0];
    expect(lstm?.layers.map((l) => l.kind)).toEqual(['input', 'recurrent', 'output']);
    const times = (lstm?.columns ?? []).filter((c) => /^t\d+$/.test(c.label)).map((c) => c.label);
    expect(times[0]).toBe('t1');
    expect(times.at(-1)).toBe('t20');
    expect(times.length).toBe(8);
    const spots = await centres(page, 0);
    const step = spots.find((c) => c.layer === 'lstm1') as { x: number; y: number };
    expect(await hoverText(page, 0, step.x, step.y)).toMatch(/lstm1 unit \d+, t = 1.*\|dL\/da\| [\d.e-]+/s);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(ARTIFACTS, 'network-view-lstm-1280x800.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await view(page).scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'network-view-390x844.png') });
    expect(s.errors).toEqual([]);
  });
});
