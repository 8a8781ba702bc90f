/**
 * axe-core (the accessibility engine, injected into the page) on every view of the playground at
 * 1280x800 and 390x844: no serious or critical violation. axe walks open shadow roots, so the Lit
 * components are checked inside.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open, type Session } from './harness.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Each view: how to open it from the default page (toggles stay open, so the last one has them all). */
const VIEWS: Array<[string, string | null]> = [
  ['default comparison', null],
  ['network', 'vgp-app .network-toggle'],
  ['phase diagram', 'vgp-app .phase-toggle'],
  ['cliff', 'vgp-app .cliff-toggle'],
  ['sweep', 'vgp-app .sweep-toggle'],
  ['show as CLI', 'vgp-app .show-cli'],
];

interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

async function seriousViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            o: object,
          ): Promise<{
            violations: Array<{
              id: string;
              impact: string;
              help: string;
              nodes: Array<{ target: unknown[] }>;
            }>;
          }>;
        };
      }
    ).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 4).map((n) => JSON.stringify(n.target)),
      }));
  });
}

const sessions: Session[] = [];
afterAll(async () => {
  for (const s of sessions) await s.close();
});

for (const size of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  describe(`axe at ${size.width}x${size.height}`, () => {
    let s: Session;
    beforeAll(async () => {
      s = await open(size);
      sessions.push(s);
      await s.page.goto(s.url);
      await s.page.locator('vgp-transport .step').click();
      await s.page.waitForFunction(
        () =>
          Number(
            (
              document
                .querySelector('vgp-app')
                ?.shadowRoot?.querySelector('vgp-run-card') as HTMLElement | null
            )?.dataset.step ?? 0,
          ) > 0,
        null,
        { timeout: 60_000 },
      );
    }, 120_000);
    for (const [name, toggle] of VIEWS) {
      it(`${name}: no serious or critical violation`, async () => {
        if (toggle) {
          await s.page.locator(toggle).click();
          await s.page.waitForTimeout(1_500);
        }
        expect(await seriousViolations(s.page)).toEqual([]);
      }, 120_000);
    }

    it('the check can fail: a nameless button planted in a card is reported (button-name)', async () => {
      await s.page.evaluate(() => {
        const card = document.querySelector('vgp-app')?.shadowRoot?.querySelector('vgp-run-card')?.shadowRoot;
        const b = document.createElement('button');
        b.className = 'planted';
        card?.append(b);
      });
      expect((await seriousViolations(s.page)).map((v) => v.id)).toContain('button-name');
      await s.page.evaluate(() =>
        document
          .querySelector('vgp-app')
          ?.shadowRoot?.querySelector('vgp-run-card')
          ?.shadowRoot?.querySelector('.planted')
          ?.remove(),
      );
    }, 60_000);

    it('a preset with a recurrent net (rnn-adding): no serious or critical violation', async () => {
      await s.page
        .locator('vgp-learn li', { has: s.page.locator('button[data-preset="rnn-adding"]') })
        .locator('summary')
        .first()
        .click();
      await s.page.locator('vgp-learn button[data-preset="rnn-adding"]').click();
      await s.page.locator('vgp-app .loaded').waitFor();
      await s.page.waitForTimeout(2_000);
      expect(await seriousViolations(s.page)).toEqual([]);
    }, 120_000);
  });
}
