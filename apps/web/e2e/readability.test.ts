/**
 * A first-time user's view of the page: every chart readable on its own (labelled ticks, layer
 * names, colour bars with values), a card saying what its run is, and Load bringing the runs into
 * view. Screenshots of the default comparison and two presets at both sizes go to test-results/.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, open, type Session } from './harness.js';

const SIZES = [
  { name: '1280', width: 1280, height: 800 },
  { name: '390', width: 390, height: 844 },
] as const;

const sessions: Session[] = [];
afterAll(async () => {
  for (const s of sessions) await s.close();
});

interface ChartFacts {
  charts: Array<{ cls: string; x: string[]; y: string[] }>;
  cards: Array<{
    label: string;
    layerNames: string[];
    barNames: string[];
    drawnNames: number;
    barTicks: number;
    heatmaps: Array<{ min: string; max: string; caption: string }>;
    summary: string;
  }>;
}

function facts(page: Page): Promise<ChartFacts> {
  return page.evaluate(() => {
    const app = document.querySelector('vgp-app')?.shadowRoot as ShadowRoot;
    const charts = [...app.querySelectorAll('vgp-curve-chart')].map((c) => ({
      cls: c.className,
      x: ((c as HTMLElement).dataset.xTicks ?? '').split(' ').filter(Boolean),
      y: ((c as HTMLElement).dataset.yTicks ?? '').split(' ').filter(Boolean),
    }));
    const cards = [...app.querySelectorAll('vgp-run-card')].map((el) => {
      const root = el.shadowRoot as ShadowRoot;
      const bars = root.querySelector('vgp-grad-bars')?.shadowRoot as ShadowRoot;
      return {
        label: root.querySelector('h3')?.textContent?.trim() ?? '',
        layerNames: (el as HTMLElement & { run: { layerNames: string[] } }).run.layerNames,
        barNames: [...bars.querySelectorAll('rect.bar')].map((r) => r.getAttribute('data-name') ?? ''),
        drawnNames: bars.querySelectorAll('text.layer-name').length,
        barTicks: bars.querySelectorAll('text.tick').length,
        heatmaps: [...root.querySelectorAll('vgp-heatmap')].map((h) => {
          const hr = h.shadowRoot as ShadowRoot;
          const bar = hr.querySelector('.colorbar') as HTMLElement;
          return {
            min: bar?.dataset.min ?? '',
            max: bar?.dataset.max ?? '',
            caption: hr.querySelector('.caption')?.textContent ?? '',
          };
        }),
        summary: root.querySelector('.summary')?.textContent?.trim() ?? '',
      };
    });
    return { charts, cards };
  });
}

/** The runs as the CLI file of the page describes them (Show as CLI), variants merged over the base. */
async function cliRuns(page: Page) {
  await page.locator('vgp-app .show-cli').click();
  const text = await page.locator('vgp-app .cli-json').textContent();
  await page.locator('vgp-app .show-cli').click();
  const plan = JSON.parse(text ?? '{}');
  return [
    plan.base,
    ...plan.variants.map((v: { model?: object }) => ({
      ...plan.base,
      ...v,
      model: { ...plan.base.model, ...v.model },
    })),
  ];
}

function checkCharts(f: ChartFacts): void {
  expect(f.charts.length).toBeGreaterThan(0);
  for (const c of f.charts) {
    expect(c.y.length, `${c.cls}: y tick labels ${c.y}`).toBeGreaterThanOrEqual(3);
    expect(c.x.length, `${c.cls}: x tick labels ${c.x}`).toBeGreaterThanOrEqual(3);
  }
  expect(f.cards.length).toBeGreaterThan(0);
  for (const card of f.cards) {
    expect(card.layerNames.length).toBeGreaterThan(0);
    expect(card.barNames, `${card.label}: every bar carries its layer's name`).toEqual(card.layerNames);
    expect(card.drawnNames).toBeGreaterThanOrEqual(Math.min(card.layerNames.length, 24));
    expect(card.barTicks, `${card.label}: gradient-bar tick labels`).toBeGreaterThanOrEqual(3);
    expect(card.heatmaps.length).toBeGreaterThan(0);
    for (const h of card.heatmaps) {
      expect(h.min).toMatch(/\d/);
      expect(h.max).toMatch(/\d/);
      expect(Number(h.min)).toBeLessThan(Number(h.max));
      expect(h.caption).toMatch(/first at the bottom/);
    }
  }
}

async function loadPreset(page: Page, id: string): Promise<void> {
  const item = page.locator('vgp-learn li', { has: page.locator(`button[data-preset="${id}"]`) });
  await item.locator('summary').first().click();
  await page.locator(`vgp-learn button[data-preset="${id}"]`).click();
}

for (const size of SIZES) {
  describe(`readable alone at ${size.width}x${size.height}`, () => {
    let s: Session;

    it('the default comparison after 10 s: ticks, layer names, colour bars, summaries from the config', async () => {
      s = await open({ width: size.width, height: size.height });
      sessions.push(s);
      await s.page.goto(s.url);
      await s.page.locator('vgp-transport .play').click();
      await s.page.waitForTimeout(10_000);
      await s.page.evaluate(() => window.scrollTo(0, 0));
      await s.page.screenshot({
        path: join(ARTIFACTS, `readability-default-${size.name}.png`),
        fullPage: true,
      });
      const f = await facts(s.page);
      checkCharts(f);
      const runs = await cliRuns(s.page);
      expect(f.cards.map((c) => c.label)).toEqual(runs.map((r) => r.label));
      f.cards.forEach((card, i) => {
        const { model, optimizer, clip } = runs[i];
        expect(card.summary).toContain(`${model.depth}×${model.width} ${model.activation}`);
        expect(card.summary).toContain(`lr ${optimizer.lr}`);
        expect(card.summary).toContain(clip ? 'clip' : 'no clipping');
        expect(card.summary).toContain(model.norm === 'none' ? 'no norm' : `${model.norm} norm`);
      });
      expect(s.errors).toEqual([]);
    }, 150_000);

    it('exported PNGs carry a title band with text above the chart (loss, gradient bars, heat map)', async () => {
      const pngs = await s.page.evaluate(async () => {
        const app = document.querySelector('vgp-app')?.shadowRoot as ShadowRoot;
        const card = app.querySelector('vgp-run-card')?.shadowRoot as ShadowRoot;
        type Png = { toPng(): Promise<Blob | null> };
        const charts: Array<[string, Png | null]> = [
          ['loss', app.querySelector('vgp-curve-chart.loss') as unknown as Png],
          ['bars', card.querySelector('vgp-grad-bars') as unknown as Png],
          ['heatmap', card.querySelector('vgp-heatmap') as unknown as Png],
        ];
        const out = [];
        for (const [name, el] of charts) {
          const blob = await el?.toPng();
          if (!blob) {
            out.push({ name, width: 0, titleInk: 0, data: '' });
            continue;
          }
          const img = await createImageBitmap(blob);
          const c = new OffscreenCanvas(img.width, img.height);
          const ctx = c.getContext('2d') as OffscreenCanvasRenderingContext2D;
          ctx.drawImage(img, 0, 0);
          // Light pixels in the top 6% of the image: the title's text (the background is dark).
          const band = ctx.getImageData(0, 0, img.width, Math.max(8, Math.round(img.height * 0.06))).data;
          let titleInk = 0;
          for (let i = 0; i < band.length; i += 4) if ((band[i] as number) > 150) titleInk++;
          const bytes = new Uint8Array(await blob.arrayBuffer());
          let bin = '';
          for (const b of bytes) bin += String.fromCharCode(b);
          out.push({ name, width: img.width, titleInk, data: btoa(bin) });
        }
        return out;
      });
      for (const p of pngs) {
        expect(p.width, p.name).toBeGreaterThan(0);
        expect(p.titleInk, `${p.name}: text in the title band`).toBeGreaterThan(20);
        await writeFile(join(ARTIFACTS, `png-${p.name}-${size.name}.png`), Buffer.from(p.data, 'base64'));
      }
    }, 60_000);

    it('disabled controls say why in visible text (variant limit, Step while playing)', async () => {
      await s.page.evaluate(() => window.scrollTo(0, 0));
      const play = s.page.locator('vgp-transport .play');
      if ((await play.getAttribute('aria-pressed')) !== 'true') await play.click();
      await expect.poll(() => s.page.locator('vgp-transport .step').textContent()).toMatch(/pause first/);
      const add = s.page.locator('vgp-app .add-variant');
      while (await add.isEnabled()) await add.click();
      expect(await s.page.locator('vgp-app .add-why').textContent()).toMatch(
        /At most 4 variants: remove one/,
      );
      await s.page.locator('vgp-transport .play').click();
      await s.page.locator('vgp-verdicts li.verdict').first().waitFor({ timeout: 60_000 });
      expect(await s.page.locator('vgp-verdicts .why').first().textContent()).toMatch(
        /at most four variants/,
      );
      const why = s.page.locator('vgp-app .remedy-why');
      expect(await why.isVisible()).toBe(true);
      expect(await why.textContent()).toMatch(/remedy buttons are off: at most 4 variants/);
    }, 120_000);

    for (const id of ['rnn-adding', 'exploding-rnn']) {
      it(`Load ${id}: the first run card comes into view, the page says it loaded and trains`, async () => {
        await s.page.evaluate(() => window.scrollTo(0, 0));
        await loadPreset(s.page, id);
        const loaded = s.page.locator('vgp-app .loaded');
        await loaded.waitFor();
        expect(await loaded.textContent()).toMatch(/Loaded “.+”: press ▶ Play to train/);
        // Scrolled to the cards at once, before any training.
        await expect
          .poll(async () => (await s.page.locator('vgp-run-card').first().boundingBox())?.y ?? -1, {
            timeout: 5_000,
          })
          .toBeGreaterThanOrEqual(0);
        expect((await s.page.locator('vgp-run-card').first().boundingBox())?.y).toBeLessThan(size.height);
        // Its own Play button, in view beside the cards (the header's may be scrolled away on a phone).
        await s.page.locator('vgp-app .loaded-play').click();
        await expect
          .poll(() => loaded.textContent())
          .toMatch(/training has started|trained to the step limit/);
        await s.page.waitForFunction(
          () => {
            const app = document.querySelector('vgp-app')?.shadowRoot;
            const card = app?.querySelector('vgp-run-card') as HTMLElement | null;
            return Number(card?.dataset.step ?? 0) > 0;
          },
          null,
          { timeout: 60_000 },
        );
        const box = await s.page.locator('vgp-run-card').first().boundingBox();
        expect(box).not.toBeNull();
        expect(box?.y ?? -1).toBeGreaterThanOrEqual(0);
        expect(box?.y ?? size.height).toBeLessThan(size.height);
        await s.page.waitForTimeout(5_000);
        // Still in view once the charts above have filled in, and below the (sticky) header.
        const after = await s.page.locator('vgp-run-card').first().boundingBox();
        const header = await s.page.locator('vgp-app header').boundingBox();
        const headerBottom = size.width > 900 ? (header?.y ?? 0) + (header?.height ?? 0) : 0;
        expect(after?.y ?? -1).toBeGreaterThanOrEqual(headerBottom - 1);
        expect(after?.y ?? size.height).toBeLessThan(size.height);
        await s.page.screenshot({ path: join(ARTIFACTS, `readability-${id}-${size.name}.png`) });
        const f = await facts(s.page);
        checkCharts(f);
        // The adding problem is a regression: no empty accuracy panel.
        if (id === 'rnn-adding') expect(f.charts.map((c) => c.cls)).toEqual(['loss']);
      }, 150_000);
    }
  });
}
