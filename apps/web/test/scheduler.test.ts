import { describe, expect, it } from 'vitest';
import { Scheduler, type Steppable } from '../src/worker/scheduler.js';

/** A run that counts steps and advances a fake clock by `cost` ms per step. */
class Counter implements Steppable {
  step = 0;
  stopped = false;
  constructor(
    private clock: { t: number },
    private cost: number,
    private stopAt = Number.POSITIVE_INFINITY,
  ) {}
  trainStep(): void {
    this.step++;
    this.clock.t += this.cost;
    if (this.step >= this.stopAt) this.stopped = true;
  }
}

/** A scheduler on a fake clock whose deferred tasks run when `drain` is called. */
function harness() {
  const clock = { t: 0 };
  const queue: Array<{ fn: () => void; at: number }> = [];
  const reports: boolean[] = [];
  const s = new Scheduler({
    now: () => clock.t,
    report: (playing) => reports.push(playing),
    defer: (fn, ms) => queue.push({ fn, at: clock.t + ms }),
  });
  const drain = (limit = 10_000) => {
    for (let i = 0; i < limit && queue.length > 0; i++) {
      queue.sort((a, b) => a.at - b.at);
      const next = queue.shift() as { fn: () => void; at: number };
      clock.t = Math.max(clock.t, next.at);
      next.fn();
    }
  };
  return { s, clock, reports, drain, queue };
}

describe('Scheduler', () => {
  it('trains every run in lock-step up to the budget, then stops and reports not playing', () => {
    const h = harness();
    const runs = [new Counter(h.clock, 0.5), new Counter(h.clock, 2), new Counter(h.clock, 1)];
    h.s.setRuns(runs, 300);
    h.s.play();
    h.drain();
    expect(runs.map((r) => r.step)).toEqual([300, 300, 300]);
    expect(h.s.playing).toBe(false);
    expect(h.reports.at(-1)).toBe(false);
    expect(h.queue).toHaveLength(0);
  });

  it('yields between slices and reports while playing', () => {
    const h = harness();
    const runs = [new Counter(h.clock, 1)];
    h.s.setRuns(runs, 1000);
    h.s.play();
    h.drain(1);
    // One slice stops once SLICE_MS of work is done: 12 steps of 1 ms.
    expect(runs[0]?.step).toBe(12);
    h.drain();
    expect(h.reports.filter((p) => p).length).toBeGreaterThan(5);
  });

  it('takes exactly the requested single steps', () => {
    const h = harness();
    const runs = [new Counter(h.clock, 1), new Counter(h.clock, 1)];
    h.s.setRuns(runs, 1000);
    h.s.stepBy(1);
    h.drain();
    expect(runs.map((r) => r.step)).toEqual([1, 1]);
    h.s.stepBy(25);
    h.drain();
    expect(runs.map((r) => r.step)).toEqual([26, 26]);
  });

  it('skips stopped runs and keeps training the others', () => {
    const h = harness();
    const runs = [new Counter(h.clock, 1, 10), new Counter(h.clock, 1)];
    h.s.setRuns(runs, 50);
    h.s.play();
    h.drain();
    expect(runs.map((r) => r.step)).toEqual([10, 50]);
  });

  it('caps steps per second with the speed setting, sleeping instead of spinning', () => {
    const h = harness();
    const runs = [new Counter(h.clock, 0.1)];
    h.s.setRuns(runs, 1_000_000);
    h.s.setSpeed(20);
    h.s.play();
    h.drain(200);
    const rate = (runs[0] as Counter).step / (h.clock.t / 1000);
    expect(rate).toBeGreaterThan(15);
    expect(rate).toBeLessThan(25);
  });

  it('drops work scheduled for runs that were replaced', () => {
    const h = harness();
    const old = new Counter(h.clock, 1);
    h.s.setRuns([old], 100);
    h.s.play();
    h.s.setRuns([new Counter(h.clock, 1)], 100);
    h.drain();
    expect(old.step).toBe(0);
  });
});

describe('Scheduler.halt', () => {
  it('stops training without asking for a report', () => {
    const h = harness();
    const runs = [new Counter(h.clock, 1)];
    h.s.setRuns(runs, 1000);
    h.s.play();
    h.drain(1);
    const reports = h.reports.length;
    h.s.halt();
    h.drain();
    expect(h.s.playing).toBe(false);
    expect(runs[0]?.step).toBeLessThan(1000);
    // One last report may come from the slice already queued; none from halt itself.
    expect(h.reports.length - reports).toBeLessThanOrEqual(1);
  });
});
