/** Reads the playground's state the way a user sees it: through the rendered (shadow) DOM. */
import type { Page } from 'playwright-core';

export interface CardInfo {
  label: string;
  step: number;
  stepsPerSecond: number;
  verdicts: string[];
  bars: number;
  layerNames: number;
}

/** One entry per run card, in display order (baseline first). */
export function cards(page: Page): Promise<CardInfo[]> {
  return page.locator('vgp-run-card').evaluateAll((els) =>
    els.map((el) => {
      const root = el.shadowRoot as ShadowRoot;
      const verdicts = root.querySelector('vgp-verdicts')?.shadowRoot;
      const bars = root.querySelector('vgp-grad-bars')?.shadowRoot;
      const card = el as HTMLElement & { run: { layerNames: string[] } };
      return {
        label: root.querySelector('h3')?.textContent?.trim() ?? '',
        step: Number(root.querySelector('.step')?.textContent),
        stepsPerSecond: Number(root.querySelector('.sps')?.textContent),
        verdicts: [...(verdicts?.querySelectorAll('li.verdict') ?? [])].map(
          (li) => li.getAttribute('data-kind') ?? '',
        ),
        bars: bars?.querySelectorAll('rect.bar').length ?? 0,
        layerNames: card.run.layerNames.length,
      };
    }),
  );
}

/** Waits until every card shows `steps` steps and a verdict (the final report carries the verdicts). */
export async function waitForSteps(page: Page, steps: number, timeout = 90_000): Promise<CardInfo[]> {
  await page.waitForFunction(
    (n) => {
      const els = [...document.querySelectorAll('vgp-app')].flatMap((a) => [
        ...(a.shadowRoot?.querySelectorAll('vgp-run-card') ?? []),
      ]);
      return (
        els.length > 0 &&
        els.every((el) => {
          const root = el.shadowRoot as ShadowRoot;
          const v =
            root.querySelector('vgp-verdicts')?.shadowRoot?.querySelectorAll('li.verdict').length ?? 0;
          return Number(root.querySelector('.step')?.textContent) >= n && v > 0;
        })
      );
    },
    steps,
    { timeout, polling: 250 },
  );
  return cards(page);
}

/** The value of a shared-settings field (by its input id). */
export function sharedValue(page: Page, id: string): Promise<string> {
  return page.locator(`vgp-shared-settings #${id}`).inputValue();
}
