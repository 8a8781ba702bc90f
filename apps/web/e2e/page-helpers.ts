/** Reads the playground's state the way a user sees it: through the rendered (shadow) DOM. */
import type { BrowserContext, Page } from 'playwright-core';

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

/** Frame gaps and main-thread long tasks over a window of the page's time. */
export interface FrameTimes {
  /** Gaps between consecutive animation frames, ms. */
  frames: number[];
  /** Durations of main-thread tasks over 50 ms, ms: main-thread work, told apart from CPU starvation. */
  longTasks: number[];
}

/** Records animation-frame gaps and long tasks in the page for `ms` (the page must be in front). */
export function frameTimes(page: Page, ms: number): Promise<FrameTimes> {
  return page.evaluate(
    (t) =>
      new Promise<FrameTimes>((resolve) => {
        const gaps: number[] = [];
        const longTasks: number[] = [];
        const obs = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) longTasks.push(e.duration);
        });
        obs.observe({ type: 'longtask' });
        let last = performance.now();
        const end = last + t;
        const tick = (now: number) => {
          gaps.push(now - last);
          last = now;
          if (now < end) requestAnimationFrame(tick);
          else {
            obs.disconnect();
            resolve({ frames: gaps, longTasks });
          }
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

/** Frames per second and percentiles of the gaps of `frameTimes` over `seconds`. */
export function frameStats(frames: number[], seconds: number) {
  const sorted = [...frames].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return {
    count: frames.length,
    fps: frames.length / seconds,
    medianMs: pct(0.5),
    p95Ms: pct(0.95),
    maxMs: sorted.at(-1) ?? 0,
  };
}

/**
 * Runs `load` (a navigation) and resolves once the page and its workers have had no request in flight
 * for `quietMs`: what they fetch once loaded (the WASM module each training worker preloads, the CSV
 * and SVD chunks) is then in, and the page may go offline. Returns the URLs fetched.
 */
export async function loadFully(
  context: BrowserContext,
  load: () => Promise<unknown>,
  quietMs = 500,
  timeout = 30_000,
): Promise<string[]> {
  let inFlight = 0;
  let lastChange = Date.now();
  const fetched: string[] = [];
  const started = () => {
    inFlight++;
    lastChange = Date.now();
  };
  const ended = (r: { url(): string }) => {
    inFlight--;
    lastChange = Date.now();
    fetched.push(r.url());
  };
  context.on('request', started);
  context.on('requestfinished', ended);
  context.on('requestfailed', ended);
  try {
    await load();
    const end = Date.now() + timeout;
    while (!(inFlight <= 0 && Date.now() - lastChange >= quietMs)) {
      if (Date.now() > end) throw new Error(`still ${inFlight} requests in flight after ${timeout} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return fetched;
  } finally {
    context.off('request', started);
    context.off('requestfinished', ended);
    context.off('requestfailed', ended);
  }
}
