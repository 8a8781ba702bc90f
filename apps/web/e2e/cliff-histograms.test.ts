/**
 * Issue 14 in real Chromium: the Cliff view (loss surface, click to start, plain vs clipped descent
 * animated) and the gradient-distribution view for a feed-forward run (deep sigmoid: the first layer's
 * gradients sit many decades below the last's) and a recurrent one (LSTM on the adding problem).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, open, type Session } from './harness.js';
import { waitForSteps } from './page-helpers.js';

let s: Session;

beforeAll(async () => {
  s = await open({ width: 1280, height: 900 });
});

afterAll(async () => {
  await s?.close();
});

/** Loads a preset from a link, sets the step budget the way a user would, and trains to it. */
async function train(page: Page, preset: string, steps: number): Promise<void> {
  await page.goto(`${s.url}?preset=${preset}`);
  await page.waitForFunction((p) => location.search.includes(`preset=${p}`), preset);
  const field = page.locator('vgp-shared-settings #steps');
  await field.fill(String(steps));
  await field.dispatchEvent('change');
  await page.waitForFunction((n) => location.search.includes(`steps=${n}`), steps);
  await page.locator('vgp-transport .play').click();
  await waitForSteps(page, steps);
}

/** What the histogram view shows for the chosen run and layer. */
async function histogramView(page: Page) {
  const view = page.locator('vgp-grad-histogram');
  return {
    layers: await view.locator('select.layer option').allTextContents(),
    median: Number(await view.locator('.summary').getAttribute('data-median')),
    summary: (await view.locator('.summary').textContent()) ?? '',
    size: await view
      .locator('canvas.density')
      .evaluate((c: HTMLCanvasElement) => [c.width, c.height] as [number, number]),
  };
}

describe('gradient distributions', () => {
  it('a feed-forward run: one column per histogram, the first layer decades below the last', async () => {
    const { page } = s;
    // Histograms on the first step and every 50th: steps 1, 51, 101.
    await train(page, 'deep-sigmoid', 101);
    const view = page.locator('vgp-grad-histogram');
    await view.locator('select.run').selectOption({ index: 0 });
    const first = await histogramView(page);
    expect(first.layers.length).toBe(21);
    expect(first.size[0]).toBe(3);
    expect(first.size[1]).toBeGreaterThan(4);
    expect(first.summary).toContain('3 histograms');
    await view.locator('select.layer').selectOption({ index: 20 });
    const last = await histogramView(page);
    expect(last.summary).toContain(last.layers[20] as string);
    console.log(`deep sigmoid, step 101: median log10|g| first layer ${first.median}, last ${last.median}`);
    expect(last.median - first.median).toBeGreaterThanOrEqual(8);
    await page.locator('section.histograms').screenshot({ path: join(ARTIFACTS, 'grad-histogram-mlp.png') });
    expect(s.errors).toEqual([]);
  });

  it('a recurrent run: the LSTM has its input (weightIh) and recurrent (weightHh) matrices to choose from', async () => {
    const { page } = s;
    await train(page, 'rnn-adding', 51);
    const view = page.locator('vgp-grad-histogram');
    await view.locator('select.run').selectOption({ label: 'LSTM' });
    const lstm = await histogramView(page);
    expect(lstm.layers.some((n) => /weightIh$/.test(n))).toBe(true);
    expect(lstm.layers.some((n) => /weightHh$/.test(n))).toBe(true);
    expect(lstm.size[0]).toBe(2);
    expect(Number.isFinite(lstm.median)).toBe(true);
    const recurrent = lstm.layers.findIndex((n) => /weightHh$/.test(n));
    await view.locator('select.layer').selectOption({ index: recurrent });
    expect((await histogramView(page)).summary).toContain(lstm.layers[recurrent] as string);
    await page.locator('section.histograms').screenshot({ path: join(ARTIFACTS, 'grad-histogram-lstm.png') });
    expect(s.errors).toEqual([]);
  });
});

describe('the Cliff view', () => {
  it('draws the surface, plays both descents, and restarts from a clicked point', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.locator('.cliff-toggle').click();
    const cliff = page.locator('vgp-cliff');
    await expect
      .poll(() => cliff.locator('.numbers').getAttribute('data-done'), { timeout: 20_000 })
      .toBe('true');
    expect(await cliff.locator('.peak').textContent()).toMatch(/w = 4\.9, b = -2\.55/);
    const plain = Number(await cliff.locator('.plain-step').textContent());
    const clipped = Number(await cliff.locator('.clipped-step').textContent());
    expect(plain).toBeCloseTo(0.979, 3);
    expect(clipped).toBeCloseTo(0.05, 6);
    expect(plain).toBeGreaterThanOrEqual(10 * clipped);
    // Contour lines crowd on the wall: light pixels in the surface image.
    const light = await cliff.locator('canvas.surface').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if ((d[i] as number) === 235 && (d[i + 1] as number) === 235) n++;
      return { n, w: c.width, h: c.height };
    });
    expect([light.w, light.h]).toEqual([281, 161]);
    expect(light.n).toBeGreaterThan(100);
    await page.screenshot({ path: join(ARTIFACTS, 'cliff-default.png'), fullPage: true });
    // A click at w = 2, b = 0 (the grid spans w in [-2, 12] and b in [-6, 2]) starts both there.
    const box = await cliff.locator('.stage').boundingBox();
    if (!box) throw new Error('no stage box');
    await page.mouse.click(box.x + (4 / 14) * box.width, box.y + (2 / 8) * box.height);
    await expect
      .poll(async () => {
        const m = ((await cliff.locator('.controls span').textContent()) ?? '').match(
          /\(([-\d.e]+), ([-\d.e]+)\)/,
        );
        return m ? Math.abs(Number(m[1]) - 2) < 0.1 && Math.abs(Number(m[2])) < 0.1 : false;
      })
      .toBe(true);
    await expect
      .poll(() => cliff.locator('.numbers').getAttribute('data-done'), { timeout: 20_000 })
      .toBe('true');
    // Far from the wall the two runs take the same small steps.
    const plain2 = Number(await cliff.locator('.plain-step').textContent());
    const clipped2 = Number(await cliff.locator('.clipped-step').textContent());
    expect(plain2).toBeLessThan(plain);
    expect(clipped2).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(s.errors).toEqual([]);
  });
});
