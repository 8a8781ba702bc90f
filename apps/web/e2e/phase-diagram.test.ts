/**
 * The phase-diagram view in real Chromium: the (sigma_w^2, sigma_b^2) plane renders with the critical
 * line and every run marked at its (sigma_w, sigma_b); each run gets a singular-value histogram; a
 * click on the plane sets the selected run's init and the URL follows.
 */
import { join } from 'node:path';
import { criticalSigmaW } from '@vgp/nn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, open, type Session } from './harness.js';

let s: Session;

beforeAll(async () => {
  s = await open({ width: 1280, height: 900 });
});

afterAll(async () => {
  await s?.close();
});

const LINK =
  '?b.label=tanh+scaled&b.act=tanh&b.init=scaled&b.sw=1.5&b.sb=0.3&v1.label=tanh+orthogonal&v1.act=tanh&v1.init=orthogonal';

describe('phase diagram', () => {
  it('marks the current nets, draws the critical line and a histogram per run; a click sets the init in the URL', async () => {
    const { page } = s;
    await page.goto(`${s.url}${LINK}`);
    await page.locator('.phase-toggle').click();
    const plane = page.locator('vgp-phase-diagram svg.plane[data-ready="yes"]');
    await plane.waitFor({ timeout: 60_000 });

    // The baseline at sigma_w^2 = 2.25, sigma_b^2 = 0.09 on a 360 x 240 plane of [0, 4] x [0, 0.5].
    const markers = page.locator('vgp-phase-diagram circle.marker');
    expect(await markers.count()).toBe(2);
    const cx = Number(await markers.nth(0).getAttribute('cx'));
    const cy = Number(await markers.nth(0).getAttribute('cy'));
    expect(cx).toBeCloseTo((2.25 / 4) * 360, 6);
    expect(cy).toBeCloseTo(240 - (0.09 / 0.5) * 240, 6);
    // The orthogonal run sits at sigma_w = 1, sigma_b = 0.
    expect(Number(await markers.nth(1).getAttribute('cx'))).toBeCloseTo(90, 6);
    // The critical line of tanh: exact at sigma_b = 0 (sigma_w = 1, on the bottom edge), then on the
    // lowest row (sigma_b^2 = 0.5 / 48) within a cell (4 / 24) of the theory's critical sigma_w^2, and
    // further right as sigma_b grows.
    const points = (await page.locator('vgp-phase-diagram polyline.critical').getAttribute('points')) ?? '';
    const xy = points.split(' ').map((p) => p.split(',').map(Number));
    expect(xy.length).toBeGreaterThan(10);
    const first = xy[0] as number[];
    const second = xy[1] as number[];
    const last = xy[xy.length - 1] as number[];
    expect(((first[0] as number) / 360) * 4).toBeCloseTo(criticalSigmaW('tanh', 0) ** 2, 6);
    expect(first[1]).toBe(240);
    const critical = criticalSigmaW('tanh', Math.sqrt(0.5 / 48)) ** 2;
    expect(Math.abs(((second[0] as number) / 360) * 4 - critical)).toBeLessThan(4 / 24);
    expect(last[0] as number).toBeGreaterThan(first[0] as number);

    // One histogram per run; at depth 10 the orthogonal run keeps more singular values near 1.
    const bars = page.locator('vgp-phase-diagram svg.bars');
    expect(await bars.count()).toBe(2);
    const near = [0, 1].map(async (i) => Number(await bars.nth(i).getAttribute('data-near')));
    const [scaled, ortho] = await Promise.all(near);
    expect(ortho).toBeGreaterThan(scaled as number);

    await page.locator('vgp-phase-diagram').screenshot({ path: join(ARTIFACTS, 'phase-diagram.png') });

    // A click at the plane's centre: sigma_w^2 = 2, sigma_b^2 = 0.25 for the selected (baseline) run.
    const box = await plane.boundingBox();
    if (!box) throw new Error('the plane has no box');
    await plane.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await page.waitForFunction(() => new URLSearchParams(location.search).get('b.sb') !== '0.3');
    const q = new URLSearchParams(new URL(page.url()).search);
    // Within a pixel of the centre: about 0.01 in sigma_w^2 and 0.002 in sigma_b^2.
    expect(Math.abs(Number(q.get('b.sw')) - Math.SQRT2)).toBeLessThan(0.01);
    expect(Math.abs(Number(q.get('b.sb')) - 0.5)).toBeLessThan(0.01);
    expect(q.get('b.init')).toBe('scaled');
    await page.waitForFunction(() => {
      const app = document.querySelector('vgp-app')?.shadowRoot;
      const c = app
        ?.querySelector('vgp-phase-diagram')
        ?.shadowRoot?.querySelector('circle.marker[data-run="0"]');
      return c !== null && c !== undefined && Math.abs(Number(c.getAttribute('cx')) - 180) < 2;
    });
  }, 120_000);
});
