/**
 * Round-robin training of several runs in one worker. Work happens in slices of at most SLICE_MS,
 * between which the worker yields (so pause/step/configure messages are handled promptly); progress
 * goes to the page at most every REPORT_MS, so the main thread receives a few small messages a second
 * however fast the runs train.
 */

/** What the scheduler needs from one run. */
export interface Steppable {
  /** Steps taken so far. */
  readonly step: number;
  /** True once the run cannot go on (non-finite loss). */
  readonly stopped: boolean;
  /** Trains one step. */
  trainStep(): void;
}

export const SLICE_MS = 12;
/** ~7 progress messages a second: live enough to watch, cheap enough for the page to draw. */
export const REPORT_MS = 150;

export interface SchedulerHooks {
  /** Called at most every REPORT_MS while training, and once when training stops. */
  report(playing: boolean): void;
  now(): number;
  /** Runs `fn` after `ms` (0: as soon as pending messages are handled; MessageChannel in the worker). */
  defer(fn: () => void, ms: number): void;
}

export class Scheduler {
  runs: Steppable[] = [];
  /** Training stops once every run reaches this many steps. */
  budget = Number.POSITIVE_INFINITY;
  playing = false;
  /** Steps still to take in single-step mode. */
  private pending = 0;
  /** Per-run cap in steps per second, enforced with a token bucket. */
  private speed = Number.POSITIVE_INFINITY;
  private tokens = 0;
  private lastRefill = 0;
  private lastReport = 0;
  private scheduled = false;
  private generation = 0;

  constructor(private readonly hooks: SchedulerHooks) {}

  /** Replaces the runs; anything scheduled for the old ones is dropped. */
  setRuns(runs: Steppable[], budget: number): void {
    this.generation++;
    this.runs = runs;
    this.budget = budget;
    this.playing = false;
    this.pending = 0;
    this.scheduled = false;
  }

  setSpeed(stepsPerSecond: number): void {
    this.speed = stepsPerSecond >= 10_000 ? Number.POSITIVE_INFINITY : Math.max(0.1, stepsPerSecond);
  }

  play(): void {
    if (this.done()) {
      this.hooks.report(false);
      return;
    }
    this.playing = true;
    this.tokens = 1;
    this.lastRefill = this.hooks.now();
    this.kick();
  }

  pause(): void {
    this.halt();
    this.hooks.report(false);
  }

  /** Stops without reporting (after an error, when a report could fail the same way). */
  halt(): void {
    this.playing = false;
    this.pending = 0;
  }

  /** Takes `count` more steps for every run, then reports. */
  stepBy(count: number): void {
    this.playing = false;
    this.pending += count;
    this.kick();
  }

  /** Every run at the budget, or stopped. */
  done(): boolean {
    return this.runs.every((r) => r.stopped || r.step >= this.budget);
  }

  private kick(ms = 0): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const gen = this.generation;
    this.hooks.defer(() => {
      if (gen !== this.generation) return;
      this.scheduled = false;
      this.slice();
    }, ms);
  }

  private slice(): void {
    const start = this.hooks.now();
    if (this.playing && Number.isFinite(this.speed)) {
      this.tokens = Math.min(
        this.tokens + ((start - this.lastRefill) / 1000) * this.speed,
        Math.max(1, this.speed / 10),
      );
    }
    this.lastRefill = start;
    while ((this.playing || this.pending > 0) && !this.done()) {
      if (this.playing && Number.isFinite(this.speed)) {
        if (this.tokens < 1) break;
        this.tokens -= 1;
      }
      // One round: every live run one step, so the runs stay in lock-step.
      for (const r of this.runs) if (!r.stopped && r.step < this.budget) r.trainStep();
      if (!this.playing) this.pending--;
      if (this.hooks.now() - start >= SLICE_MS) break;
    }
    const finished = this.done();
    if (finished) this.playing = false;
    const idle = !this.playing && this.pending <= 0;
    const now = this.hooks.now();
    if (idle || now - this.lastReport >= REPORT_MS) {
      this.lastReport = now;
      this.hooks.report(this.playing);
    }
    if (idle) return;
    // Throttled by the speed cap: sleep until the next step is due instead of spinning.
    const throttled = this.playing && Number.isFinite(this.speed) && this.tokens < 1;
    this.kick(throttled ? Math.ceil(((1 - this.tokens) / this.speed) * 1000) : 0);
  }
}
