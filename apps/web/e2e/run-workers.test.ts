/**
 * A Web Worker per run, at most one per core (on 2 cores, four runs train two to a worker), measured
 * in the page against the single-worker design (every run in one worker, as before; `VGP_WORKERS = 1`
 * on the page keeps it for this comparison): the same four runs, trained
 * flat out, total steps/s over the same window, with the frame times while they train. The figures
 * are printed and written to test-results/run-workers.json, not asserted (they depend on the
 * machine and its load); what is asserted is behaviour: every run advances in both designs, and
 * pause and single steps act on every run.
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARTIFACTS, open, type Session } from './harness.js';
import { cards, frameStats, frameTimes } from './page-helpers.js';

const WARMUP_MS = 2000;
/**
 * Before the first round, each page trains this long once: V8 compiles the training code of each
 * worker while it runs, and two or four workers compiling at once on two cores would charge their
 * designs a start-up cost that the steady state being compared does not have.
 */
const FIRST_PLAY_MS = 5000;
const MEASURE_MS = 8000;
let s: Session;

beforeAll(async () => {
  s = await open({ width: 1280, height: 800 });
});

afterAll(async () => {
  await s?.close();
});

/**
 * Four runs of a 10-layer width-32 MLP on the spiral that train at about the same speed (no sigmoid
 * baseline: its vanishing gradient makes its steps far slower, and in the one-worker design, which
 * trains the runs in lock-step, it would hold the others back, which says nothing about threads).
 */
function fourRuns(): string {
  const q = new URLSearchParams({ task: 'spiral', depth: '10', width: '32', lr: '0.05', batch: '32' });
  q.set('steps', '100000');
  q.set('b.label', 'tanh');
  q.set('b.act', 'tanh');
  q.set('v1.label', 'ReLU + He');
  q.set('v1.act', 'relu');
  q.set('v1.init', 'he');
  q.set('v2.label', 'tanh + BN');
  q.set('v2.act', 'tanh');
  q.set('v2.norm', 'batch');
  q.set('v3.label', 'leaky ReLU + He');
  q.set('v3.act', 'leakyRelu');
  q.set('v3.init', 'he');
  return q.toString();
}

async function openFour(page: Page): Promise<void> {
  await page.goto(`${s.url}?${fourRuns()}`);
  await page.waitForFunction(
    () => document.querySelector('vgp-app')?.shadowRoot?.querySelectorAll('vgp-run-card').length === 4,
  );
  // The backend is loaded once the status names it.
  await page.waitForFunction(() =>
    document.querySelector('vgp-app')?.shadowRoot?.querySelector('.status')?.textContent?.includes('backend'),
  );
}

/** Total steps/s of the four runs over MEASURE_MS of training flat out, and the frame gaps meanwhile. */
async function measure(page: Page) {
  // A page in a background tab gets no animation frames: the measured one is in front.
  await page.bringToFront();
  await page.locator('vgp-transport .play').click();
  await page.waitForTimeout(WARMUP_MS);
  const before = await cards(page);
  const { frames } = await frameTimes(page, MEASURE_MS);
  const after = await cards(page);
  await page.locator('vgp-transport .play').click();
  const perRun = after.map((r, i) => (r.step - (before[i]?.step ?? 0)) / (MEASURE_MS / 1000));
  const stats = frameStats(frames, MEASURE_MS / 1000);
  return {
    perRun,
    total: perRun.reduce((a, b) => a + b, 0),
    fps: stats.fps,
    p95FrameMs: stats.p95Ms,
    maxFrameMs: stats.maxMs,
  };
}

/** The designs compared: the default (a worker per run, at most one per core), and fixed worker counts. */
const DESIGNS = { default: undefined, oneWorker: 1, workerPerRun: 4 } as const;
type Design = keyof typeof DESIGNS;

it('measures four runs: workers per core vs one worker for all vs one per run (figures printed, not asserted)', async () => {
  const pages = {} as Record<Design, Page>;
  for (const [design, workers] of Object.entries(DESIGNS) as [Design, number | undefined][]) {
    const page = design === 'default' ? s.page : await s.context.newPage();
    if (workers !== undefined) {
      await page.addInitScript((n) => {
        (globalThis as { VGP_WORKERS?: number }).VGP_WORKERS = n;
      }, workers);
    }
    await openFour(page);
    await page.bringToFront();
    await page.locator('vgp-transport .play').click();
    await page.waitForTimeout(FIRST_PLAY_MS);
    await page.locator('vgp-transport .play').click();
    pages[design] = page;
  }
  // Alternate the designs twice, so load that drifts over the minute affects all alike.
  const runs = { default: [], oneWorker: [], workerPerRun: [] } as Record<
    Design,
    Awaited<ReturnType<typeof measure>>[]
  >;
  for (let round = 0; round < 2; round++) {
    for (const design of Object.keys(DESIGNS) as Design[]) runs[design].push(await measure(pages[design]));
  }
  await pages.oneWorker.close();
  await pages.workerPerRun.close();
  const total = (k: Design) => runs[k].reduce((a, m) => a + m.total, 0) / runs[k].length;
  const fps = (k: Design) => runs[k].reduce((a, m) => a + m.fps, 0) / runs[k].length;
  const report = {
    setup:
      '4 runs (tanh, ReLU + He, tanh + BN, leaky ReLU + He), spiral, 10 hidden layers x 32, batch 32, wasm, speed max',
    cores: (await s.page.evaluate(() => navigator.hardwareConcurrency)) as number,
    measuredForMs: MEASURE_MS,
    designs: runs,
    totalStepsPerSecond: Object.fromEntries(Object.keys(DESIGNS).map((k) => [k, total(k as Design)])),
    framesPerSecond: Object.fromEntries(Object.keys(DESIGNS).map((k) => [k, fps(k as Design)])),
    ratio: total('default') / total('oneWorker'),
    ratioWorkerPerRun: total('workerPerRun') / total('oneWorker'),
    loadAverage: loadavg(),
  };
  await writeFile(join(ARTIFACTS, 'run-workers.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
  for (const m of Object.values(runs).flat()) {
    for (const r of m.perRun) expect(r).toBeGreaterThan(0);
  }
  expect(s.errors).toEqual([]);
});

it('pauses every run at once, and a single step moves every run by one', async () => {
  const { page } = s;
  await page.bringToFront();
  await page.locator('vgp-transport .play').click();
  await page.waitForTimeout(1000);
  await page.locator('vgp-transport .play').click();
  // The last reports of steps taken before the pause arrived may still be on their way: wait until
  // the counts hold still, then check they stay so.
  let paused = await cards(page);
  await expect
    .poll(async () => {
      await page.waitForTimeout(400);
      const now = await cards(page);
      const still = now.every((c, i) => c.step === paused[i]?.step);
      paused = now;
      return still;
    })
    .toBe(true);
  await page.waitForTimeout(1000);
  expect((await cards(page)).map((c) => c.step)).toEqual(paused.map((c) => c.step));
  await page.locator('vgp-transport .step').click();
  await expect
    .poll(async () => (await cards(page)).map((c) => c.step))
    .toEqual(paused.map((c) => c.step + 1));
});
