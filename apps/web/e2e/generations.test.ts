/**
 * A run's data reaches only its own card: every preset is loaded while another comparison is
 * training, ROUNDS times in a row, and each new card must start at step 0 and, after one step, show
 * the loss its own config gives (measured first on a quiet page). Before generations, cards of the
 * new comparison showed the old runs' losses and steps. The JSON export is then read by the real
 * `vgp diagnose` (one history format for both).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, open, type Session } from './harness.js';

/** Every preset is loaded this many times while another comparison trains. */
const ROUNDS = Number(process.env.VGP_GEN_ROUNDS ?? 10);
const VGP = new URL('../../cli/bin/vgp.js', import.meta.url).pathname;

interface Card {
  label: string;
  step: number;
  steps: number[];
  loss: number[];
  heatSteps: number[];
}

let s: Session;
let presets: string[] = [];
/** Per preset, the first-step loss of each of its runs, from a quiet page. */
const firstLoss = new Map<string, number[]>();

function cards(page: Page): Promise<Card[]> {
  return page.locator('vgp-run-card').evaluateAll((els) =>
    els.map((el) => {
      const run = (el as HTMLElement & { run: Card & { spec: { label: string } } }).run;
      return {
        label: run.spec.label,
        step: run.step,
        steps: run.steps,
        loss: run.loss,
        heatSteps: run.heatSteps,
      };
    }),
  );
}

async function loadPreset(page: Page, id: string): Promise<void> {
  const item = page.locator(`vgp-learn details:has([data-preset="${id}"])`);
  if ((await item.getAttribute('open')) === null) await item.locator('summary').first().click();
  await item.locator(`[data-preset="${id}"]`).click();
  await page.waitForFunction((p) => location.search.includes(`preset=${p}`), id);
}

/** Waits until every card has trained at least `n` steps. */
async function waitForStep(page: Page, n: number): Promise<Card[]> {
  await page.waitForFunction(
    (k) => {
      const els = [...document.querySelectorAll('vgp-app')].flatMap((a) => [
        ...(a.shadowRoot?.querySelectorAll('vgp-run-card') ?? []),
      ]);
      return (
        els.length > 0 && els.every((el) => (el as HTMLElement & { run: { step: number } }).run.step >= k)
      );
    },
    n,
    { timeout: 90_000, polling: 100 },
  );
  return cards(page);
}

/** Loads `id` on an idle or training page, checks its cards start clean, steps once, returns them. */
async function loadAndStep(page: Page, id: string): Promise<Card[]> {
  await loadPreset(page, id);
  const fresh = await cards(page);
  for (const c of fresh) {
    expect(c.step, `${id}: ${c.label} starts at step 0`).toBe(0);
    expect(c.loss, `${id}: ${c.label} starts with no losses`).toEqual([]);
  }
  await page.locator('vgp-transport .step').click();
  const stepped = await waitForStep(page, 1);
  expect(stepped.map((c) => c.label)).toEqual(fresh.map((c) => c.label));
  for (const c of stepped) {
    expect(c.steps, `${id}: ${c.label} holds only its own steps`).toEqual(c.steps.map((_, i) => i + 1));
    for (const h of c.heatSteps) expect(h).toBeLessThanOrEqual(c.step);
  }
  return stepped;
}

beforeAll(async () => {
  s = await open({ width: 1280, height: 800 });
  await s.page.goto(s.url);
  await s.page.waitForSelector('vgp-run-card');
  presets = await s.page
    .locator('vgp-learn [data-preset]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-preset') as string));
  for (const id of presets) {
    const stepped = await loadAndStep(s.page, id);
    firstLoss.set(
      id,
      stepped.map((c) => c.loss[0] as number),
    );
  }
}, 600_000);

afterAll(async () => {
  await s?.close();
});

describe('generations: loading a preset while another comparison trains', () => {
  it(`every preset, ${ROUNDS} times in a row: new cards start at step 0 with their own losses`, async () => {
    expect(presets.length).toBeGreaterThanOrEqual(4);
    let loads = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const id of presets) {
        // The comparison on the page (the previous preset's) is training when the next one loads.
        await s.page.locator('vgp-transport .play').click();
        await waitForStep(s.page, 3);
        const stepped = await loadAndStep(s.page, id);
        expect(stepped.map((c) => c.loss[0])).toEqual(firstLoss.get(id));
        loads++;
      }
    }
    expect(loads).toBe(ROUNDS * presets.length);
    expect(s.errors).toEqual([]);
  }, 1_800_000);

  it('exports JSON that vgp diagnose reads', async () => {
    await s.page.locator('vgp-transport .step').click();
    await waitForStep(s.page, 2);
    const [download] = await Promise.all([
      s.page.waitForEvent('download'),
      s.page.locator('.export-json').click(),
    ]);
    const file = join(ARTIFACTS, 'generations-export.json');
    await download.saveAs(file);
    const r = spawnSync(process.execPath, [VGP, 'diagnose', file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const c of await cards(s.page)) expect(r.stdout).toContain(c.label);
  });
});
