/**
 * The Sweep view in Chromium: a sweep's results.jsonl picked from disk is plotted (one line per
 * variant against the chosen axis, with its band), a log axis can be switched off, and a file that is
 * not a sweep's output is refused in words.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { open, type Session } from './harness.js';

let s: Session;
let dir = '';

beforeAll(async () => {
  s = await open({ width: 1280, height: 800 });
  dir = await mkdtemp(join(tmpdir(), 'vgp-sweep-view-'));
});

afterAll(async () => {
  await s?.close();
});

/** Lines as `vgp sweep` writes them: two variants x depths 5, 10, 20 x seeds 1, 2. */
function results(): string {
  const lines: string[] = [];
  for (const variant of ['sigmoid', 'ReLU + He']) {
    for (const depth of [5, 10, 20]) {
      for (const seed of [1, 2]) {
        const ratio = variant === 'sigmoid' ? 0.25 ** depth * seed : 0.5 * seed;
        lines.push(
          JSON.stringify({
            format: 'vgp-sweep-result',
            version: 1,
            id: `${variant}-${depth}-${seed}`,
            group: `${variant}, model.depth=${depth}`,
            point: { 'model.depth': depth },
            variant,
            seed,
            status: 'done',
            summary: { firstLastRatio: ratio, finalLoss: 0.5 },
            verdicts: [],
            timing: { wallMs: 1, stepsPerSec: 1, worker: 'test' },
          }),
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

it('plots a loaded sweep: one line per variant against depth, with its min-max band', async () => {
  const { page } = s;
  await page.goto(s.url);
  await page.locator('vgp-app .sweep-toggle').click();
  const file = join(dir, 'results.jsonl');
  await writeFile(file, results());
  await page.locator('vgp-sweep-view input.sweep-file').setInputFiles(file);
  await page.locator('vgp-sweep-view .u-legend').waitFor();
  const legend = await page.locator('vgp-sweep-view .u-legend th').allTextContents();
  expect(legend.map((t) => t.trim())).toEqual([
    'sigmoid',
    'sigmoid max',
    'sigmoid min',
    'ReLU + He',
    'ReLU + He max',
    'ReLU + He min',
  ]);
  expect(await page.locator('vgp-sweep-view select.sweep-axis').inputValue()).toBe('model.depth');
  expect(await page.locator('vgp-sweep-view select.sweep-number').inputValue()).toBe('firstLastRatio');
  expect(await page.locator('vgp-sweep-view canvas').count()).toBe(1);
  // The plot is drawn: some pixels of the canvas are not the background.
  const painted = await page.locator('vgp-sweep-view canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if ((d[i] as number) > 0) n++;
    return n;
  });
  expect(painted).toBeGreaterThan(500);
  await page.locator('vgp-sweep-view input.sweep-logy').uncheck();
  await page.locator('vgp-sweep-view select.sweep-number').selectOption('finalLoss');
  expect(await page.locator('vgp-sweep-view canvas').count()).toBe(1);
  expect(s.errors).toEqual([]);
});

it('refuses a file that is not a sweep output, saying what to load', async () => {
  const { page } = s;
  const file = join(dir, 'runs.json');
  await writeFile(file, JSON.stringify({ format: 'vgp-compare', version: 1, runs: [] }));
  await page.locator('vgp-sweep-view input.sweep-file').setInputFiles(file);
  await expect
    .poll(() => page.locator('vgp-sweep-view .sweep-error').textContent())
    .toContain('vgp sweep --json');
});
