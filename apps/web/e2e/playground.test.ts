/**
 * The playground in real Chromium: the deep-sigmoid comparison names the vanishing gradient in the
 * baseline and not in ReLU + He, the bars show one bar per layer, the URL round-trips, export gives
 * valid JSON, a tampered link shows the notice, and both viewport sizes render (screenshots saved).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, open, type Session } from './harness.js';
import { cards, loadFully, sharedValue, waitForSteps } from './page-helpers.js';

/** Steps each run trains in the comparison: enough for the verdicts' analysis window. */
const STEPS = 300;

let s: Session;

beforeAll(async () => {
  s = await open({ width: 1280, height: 800 });
});

afterAll(async () => {
  await s?.close();
});

/** Loads the deep-sigmoid preset from Learn, then trains every run exactly STEPS steps. */
async function runDeepSigmoid(): Promise<string> {
  const { page } = s;
  await page.goto(s.url);
  const item = page.locator('vgp-learn details:has([data-preset="deep-sigmoid"])');
  await item.locator('summary').click();
  await item.locator('[data-preset="deep-sigmoid"]').click();
  await page.waitForFunction(() => location.search.includes('preset=deep-sigmoid'));
  // A fixed budget, set the way a user would: the "Stop after steps" field.
  const steps = page.locator('vgp-shared-settings #steps');
  await steps.fill(String(STEPS));
  await steps.dispatchEvent('change');
  await page.waitForFunction((n) => location.search.includes(`steps=${n}`), STEPS);
  await page.locator('vgp-transport .play').click();
  return page.url();
}

describe('the playground', () => {
  let url = '';

  it('names the vanishing gradient of the deep sigmoid net, and not of its ReLU + He variant', async () => {
    url = await runDeepSigmoid();
    const runs = await waitForSteps(s.page, STEPS);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const r of runs) expect(r.step).toBe(STEPS);
    const [baseline] = runs;
    const relu = runs.find((r) => /relu/i.test(r.label) && /he/i.test(r.label));
    expect(baseline?.verdicts).toContain('vanishing');
    expect(relu, `a ReLU + He run among ${runs.map((r) => r.label).join(', ')}`).toBeDefined();
    expect(relu?.verdicts).not.toContain('vanishing');
    expect(s.errors).toEqual([]);
  });

  it('shows one gradient bar per layer', async () => {
    const depth = Number(await sharedValue(s.page, 'depth'));
    for (const r of await cards(s.page)) {
      // Every hidden Dense plus the output head owns a weight matrix: depth + 1 layers.
      expect(r.layerNames).toBe(depth + 1);
      expect(r.bars).toBe(r.layerNames);
    }
  });

  it('round-trips the state through the URL', async () => {
    const page = await s.context.newPage();
    await page.goto(url);
    await page.waitForSelector('vgp-run-card');
    expect(page.url()).toBe(url);
    expect(await sharedValue(page, 'steps')).toBe(String(STEPS));
    const labels = (await cards(page)).map((c) => c.label);
    expect(labels).toEqual((await cards(s.page)).map((c) => c.label));
    await page.close();
  });

  it('exports the runs as valid JSON', async () => {
    const [download] = await Promise.all([
      s.page.waitForEvent('download'),
      s.page.locator('.export-json').click(),
    ]);
    const path = join(ARTIFACTS, 'export.json');
    await download.saveAs(path);
    const doc = JSON.parse(await readFile(path, 'utf8'));
    expect(doc.format).toBe('vgp-playground-runs/2');
    expect(doc.state.preset).toBe('deep-sigmoid');
    expect(doc.runs.length).toBe((await cards(s.page)).length);
    for (const run of doc.runs) {
      expect(run.records).toHaveLength(STEPS);
      expect(run.records.at(-1).step).toBe(STEPS);
      expect(run.records[0].gradNorms).toHaveLength(run.layerNames.length);
    }
    expect(doc.runs[0].verdicts.map((v: { kind: string }) => v.kind)).toContain('vanishing');
  });

  it('exports CSV with one row per run and step', async () => {
    const [download] = await Promise.all([
      s.page.waitForEvent('download'),
      s.page.locator('.export-csv').click(),
    ]);
    const path = join(ARTIFACTS, 'export.csv');
    await download.saveAs(path);
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines[0]).toMatch(/^run,seed,step,loss,grad_norm_total,grad_rms:dense1,/); // the CLI's columns
    expect(lines.length - 1).toBe(STEPS * (await cards(s.page)).length);
  });

  it('saves screenshots at 1280x800 and 390x844', async () => {
    await s.page.evaluate(() => window.scrollTo(0, 0));
    await s.page.screenshot({ path: join(ARTIFACTS, 'playground-1280x800.png') });
    await s.page.setViewportSize({ width: 390, height: 844 });
    await s.page.waitForTimeout(300);
    await s.page.evaluate(() => window.scrollTo(0, 0));
    // Nothing may force a horizontal scroll on a phone.
    const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await s.page.screenshot({ path: join(ARTIFACTS, 'playground-390x844.png') });
    await s.page.screenshot({ path: join(ARTIFACTS, 'playground-390x844-full.png'), fullPage: true });
    await s.page.setViewportSize({ width: 1280, height: 800 });
  });

  it("adds a verdict's remedy as a new variant", async () => {
    const { page } = s;
    const before = await cards(page);
    expect(before.length).toBeLessThan(5);
    const baseline = page.locator('vgp-run-card').first();
    const add = baseline.locator('vgp-verdicts li.verdict[data-kind="vanishing"] .remedy button').first();
    const name = await add.getAttribute('aria-label');
    expect(name).toMatch(/^Add variant: /);
    await add.click();
    await page.waitForFunction(
      (n) => document.querySelector('vgp-app')?.shadowRoot?.querySelectorAll('vgp-run-card').length === n,
      before.length + 1,
    );
    const after = await cards(page);
    expect(after.at(-1)?.label).toBe(`${before[0]?.label} + ReLU + He`);
    expect(page.url()).toContain(`v${before.length}.label=`);
  });

  it('falls back to the defaults with a visible notice on a tampered link', async () => {
    const page = await s.context.newPage();
    await page.goto(`${s.url}?depth=9999&b.act=alert(1)&v7.init=he`);
    const notice = page.locator('vgp-notice.url-notice [role="alert"]');
    await notice.waitFor({ state: 'visible' });
    const text = await notice.textContent();
    expect(text).toContain('not valid');
    expect(text).toContain('depth: 9999 is outside 1..64');
    expect(text).toContain("unknown setting 'v7.init'");
    expect(await sharedValue(page, 'depth')).toBe('10');
    // The defaults replace the bad link in the address bar.
    expect(page.url()).not.toContain('9999');
    await page.close();
  });
});

describe('keyboard, charts and offline use', () => {
  it('gives every control an accessible name', async () => {
    const { page } = s;
    await page.goto(`${s.url}?task=adding&v1.label=lstm&v1.cell=lstm&v2.label=x&v2.clip=norm`);
    await page.waitForSelector('vgp-run-card');
    const unnamed = await page.evaluate(() => {
      const out: string[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('button, input, select, summary')) {
          const id = el.getAttribute('id');
          const byFor = id ? root.querySelector(`label[for="${id}"]`)?.textContent?.trim() : '';
          const name = el.getAttribute('aria-label') || byFor || el.textContent?.trim();
          if (!name) out.push(el.outerHTML.slice(0, 80));
        }
        for (const host of root.querySelectorAll('*')) if (host.shadowRoot) walk(host.shadowRoot);
      };
      walk(document);
      return out;
    });
    expect(unnamed).toEqual([]);
  });

  it('steps one step at a time, resets to step 0, and caps the speed', async () => {
    const { page } = s;
    await page.goto(`${s.url}?steps=100000`);
    await page.waitForSelector('vgp-run-card');
    const step = page.locator('vgp-transport .step');
    for (let i = 0; i < 3; i++) await step.click();
    await page.waitForFunction(() =>
      [...(document.querySelector('vgp-app')?.shadowRoot?.querySelectorAll('vgp-run-card') ?? [])].every(
        (c) => c.shadowRoot?.querySelector('.step')?.textContent === '3',
      ),
    );
    await page.locator('vgp-transport .reset').click();
    await page.waitForFunction(() =>
      [...(document.querySelector('vgp-app')?.shadowRoot?.querySelectorAll('vgp-run-card') ?? [])].every(
        (c) => c.shadowRoot?.querySelector('.step')?.textContent === '0',
      ),
    );
    // At 5 steps/s a run can take at most one step per 200 ms, plus the one it may start with.
    await page.locator('vgp-transport #speed').selectOption('5');
    expect(page.url()).toContain('speed=5');
    const t0 = await page.evaluate(() => performance.now());
    await page.locator('vgp-transport .play').click();
    await page.waitForTimeout(2000);
    await page.locator('vgp-transport .play').click();
    const seconds = ((await page.evaluate(() => performance.now())) - t0) / 1000;
    for (const r of await cards(page)) {
      expect(r.step).toBeGreaterThan(0);
      expect(r.step).toBeLessThanOrEqual(Math.ceil(5 * seconds) + 1);
    }
  });

  it('plays and pauses with the keyboard alone', async () => {
    const { page } = s;
    await page.goto(`${s.url}?steps=100000`);
    await page.waitForSelector('vgp-run-card');
    const play = page.locator('vgp-transport .play');
    // Tab reaches the play button (the first control in the header), Enter presses it.
    await page.keyboard.press('Tab');
    expect(await play.evaluate((b) => b.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const card = document.querySelector('vgp-app')?.shadowRoot?.querySelector('vgp-run-card');
      return Number(card?.shadowRoot?.querySelector('.step')?.textContent) > 5;
    });
    expect(await play.getAttribute('aria-pressed')).toBe('true');
    // Space anywhere outside a field toggles too.
    await page.locator('h1').click();
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () => document.querySelector('vgp-app')?.shadowRoot?.querySelector('vgp-transport')?.playing === false,
    );
    expect(await play.getAttribute('aria-pressed')).toBe('false');
  });

  it.each([
    ['loss chart', 'button:has-text("Loss PNG")'],
    ['gradient bars', 'vgp-run-card button[aria-label$="gradient bars as PNG"]'],
    ['heat map', 'vgp-run-card button[aria-label$="heat map as PNG"]'],
  ])('saves the %s as a PNG', async (what, selector) => {
    const [download] = await Promise.all([
      s.page.waitForEvent('download'),
      s.page.locator(selector).first().click(),
    ]);
    const path = join(ARTIFACTS, `${what.replace(' ', '-')}.png`);
    await download.saveAs(path);
    const bytes = await readFile(path);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.length).toBeGreaterThan(1000);
  });

  it('keeps working offline once loaded, on either backend', async () => {
    const { page, context } = s;
    // Offline once loaded: the training workers preload the WASM module at start, whichever backend the
    // page asked for; going offline before that fetch ends made this test time out at times.
    const fetched = await loadFully(context, async () => {
      await page.goto(`${s.url}?backend=ts&steps=20`);
      await page.waitForSelector('vgp-run-card');
    });
    expect(fetched.some((u) => u.endsWith('.wasm'))).toBe(true);
    await context.setOffline(true);
    try {
      const backend = page.locator('vgp-shared-settings #backend');
      await backend.selectOption('wasm');
      await page.waitForFunction(() => location.search.includes('backend=wasm'));
      await page.locator('vgp-transport .play').click();
      const runs = await waitForSteps(page, 20);
      for (const r of runs) expect(r.step).toBe(20);
      expect(await page.locator('vgp-app .status').textContent()).toContain('WASM');
    } finally {
      await context.setOffline(false);
    }
  });

  it('fetches the WASM module again when it is asked for after its first fetch failed', async () => {
    const { page, context } = s;
    // The connection drops while the page loads: every fetch of the module fails.
    let refused = 0;
    await context.route('**/*.wasm', (route) => {
      refused++;
      return route.abort('internetdisconnected');
    });
    try {
      await loadFully(context, async () => {
        await page.goto(`${s.url}?backend=ts&steps=20`);
        await page.waitForSelector('vgp-run-card');
      });
    } finally {
      await context.unroute('**/*.wasm');
    }
    expect(refused).toBeGreaterThan(0);
    // Back online, the user switches to WASM: the workers fetch it again rather than keep the failure.
    await page.locator('vgp-shared-settings #backend').selectOption('wasm');
    await page.waitForFunction(() => location.search.includes('backend=wasm'));
    await page.locator('vgp-transport .play').click();
    const error = page.locator('vgp-notice.error [role="alert"]');
    const outcome = await Promise.race([
      waitForSteps(page, 20).then(() => 'trained', String),
      error.waitFor({ timeout: 90_000 }).then(async () => `error: ${await error.textContent()}`, String),
    ]);
    expect(outcome).toBe('trained');
    for (const r of await cards(page)) expect(r.step).toBe(20);
    expect(await page.locator('vgp-app .status').textContent()).toContain('WASM');
  });
});

describe('errors', () => {
  it('shows what @vgp/nn rejected, in words, when a valid link asks for an impossible run', async () => {
    const { page } = s;
    // Both values are within their ranges, but a batch cannot be larger than the data set.
    await page.goto(`${s.url}?n=16&batch=64`);
    const notice = page.locator('vgp-notice.error [role="alert"]');
    await notice.waitFor({ state: 'visible' });
    expect(await notice.textContent()).toMatch(/batchSize must be an integer in \[1, 16\]/);
  });
});

describe('recurrent nets', () => {
  it('loads a preset from a link that names only it, and shows the gradient through time', async () => {
    const { page } = s;
    await page.goto(`${s.url}?preset=rnn-adding`);
    await page.waitForFunction(() => location.search.includes('task=adding'));
    // The preset's sequence length, whatever @vgp/nn sets it to.
    const length = Number(await sharedValue(page, 'seqLen'));
    expect(length).toBeGreaterThanOrEqual(2);
    const steps = page.locator('vgp-shared-settings #steps');
    await steps.fill('30');
    await steps.dispatchEvent('change');
    await page.locator('vgp-transport .play').click();
    const runs = await waitForSteps(page, 30);
    expect(runs.map((r) => r.label)).toEqual(['tanh RNN', 'LSTM', 'GRU']);
    // Every run has a time-step heat map with one row per time step.
    const rows = await page.locator('vgp-run-card').evaluateAll((els) =>
      els.map((el) => {
        const heat = el.shadowRoot?.querySelector('vgp-heatmap.time') as
          | (HTMLElement & { columns: number[][] })
          | null;
        return heat?.columns.at(-1)?.length ?? 0;
      }),
    );
    expect(rows).toEqual([length, length, length]);
    expect(s.errors).toEqual([]);
  });
});
