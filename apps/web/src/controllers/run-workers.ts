import type { FromWorker, RunExport, ToWorker } from '../worker/protocol.js';

/** What the controller talks to: one training worker, or several that answer as one. */
export interface WorkerLink {
  postMessage(msg: ToWorker): void;
  terminate(): void;
}

/** Creates one training worker (a Web Worker in the page; a fake in tests). */
export type WorkerFactory = () => {
  postMessage(msg: ToWorker): void;
  terminate(): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error', fn: (e: ErrorEvent) => void): void;
};

/** A hand-over's JS work (the controller and every component it updates) gets at most this share of the interval. */
export const DRAW_SHARE = 0.05;
/** However slow the drawing, the page hears from the runs at least this often. */
export const MAX_HAND_OVER_MS = 1000;

/**
 * The time to wait before the next hand-over: `minMs`, or longer when the last hand-overs' JS work
 * took more than DRAW_SHARE of that (layout, paint and canvas raster, done later in the frame, roughly
 * double it), so that drawing leaves the cores to the runs on a slow machine and keeps 5 updates a
 * second on a fast one. `drawMs` is a moving average of that work.
 */
export function handOverInterval(drawMs: number, minMs: number): number {
  if (!(drawMs > 0)) return minMs;
  return Math.min(MAX_HAND_OVER_MS, Math.max(minMs, drawMs / DRAW_SHARE));
}

interface Gather {
  requestId: number;
  generation: number;
  parts: (RunExport[] | undefined)[];
}

/**
 * The runs of a comparison split among at most `maxWorkers` training workers, so they train in
 * parallel on every core: one worker per run when there are cores for all, else contiguous groups
 * (5 runs on 2 cores: runs 0-2 and 3-4), each worker taking its runs round-robin. More busy workers
 * than cores only adds switching and starves the page's own thread (4 workers on 2 cores: 1.51x the
 * steps/s of one worker and 26-30 fps; see the run-workers e2e). Each worker is configured with the
 * whole state and `only: [its runs]` (it builds those alone, on data from the same seed); play,
 * pause, step, speed and the network switch go to all of them. Their answers reach the controller as
 * if from one worker: `playing` while any run plays, the first status that says something, and one
 * export with every run in order. `maxWorkers = 1` is the single-worker design.
 */
export class RunWorkers implements WorkerLink {
  private workers: ReturnType<WorkerFactory>[] = [];
  private playing: boolean[] = [];
  private statuses: string[] = [];
  private generation = 0;
  private nextGather = 1;
  private gathers = new Map<number, Gather>();
  /** The last speed and network messages: a worker spawned later gets them before its configure. */
  private sticky = new Map<ToWorker['type'], ToWorker>();
  /** Workers told to pause (or step) that have not yet reported that they stopped playing. */
  private pausing = new Set<number>();
  /** Answers held back to be handed over together (see `batchMs`). */
  private held: FromWorker[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the pending hand-over fires (performance.now() time). */
  private flushDue = 0;
  /** Whether the last hand-over said that runs play. */
  private flushedPlaying = false;
  /** Moving average of a hand-over's JS work, ms (see `handOverInterval`). */
  private drawMs = 0;

  constructor(
    private readonly create: WorkerFactory,
    private readonly deliver: (msg: FromWorker) => void,
    private readonly failed: (message: string) => void,
    /** Workers at most (the page passes its core count); each run has its own below that. */
    private readonly maxWorkers = 1,
    /**
     * Answers are handed to the controller together at most this often: every worker reports ~7 times
     * a second, and each hand-over is one render, so five workers would render five times as often as
     * one; held together they cost one. 5 renders a second: with two busy workers on 2 cores, every
     * 100 ms kept the page's thread 48% busy (40 fps), every 250 ms 39% (44 fps). 0 hands each over
     * at once (tests). The least interval: a hand-over that costs more waits longer (`handOverInterval`).
     */
    private readonly batchMs = 200,
  ) {}

  postMessage(msg: ToWorker): void {
    if (msg.type === 'configure') {
      // An export still being gathered may wait on a worker about to stop: answer it as stale (after
      // this configure is sent), and the controller asks again for the new runs.
      const stale = [...this.gathers.values()];
      this.gathers.clear();
      const groups = splitRuns(1 + msg.state.variants.length, this.maxWorkers);
      this.resize(groups.length);
      this.generation = msg.generation;
      this.playing = this.workers.map(() => false);
      this.statuses = this.workers.map(() => '');
      this.pausing.clear();
      for (const [i, w] of this.workers.entries()) {
        w.postMessage(groups.length > 1 ? { ...msg, only: groups[i] } : msg);
      }
      for (const g of stale) {
        queueMicrotask(() =>
          this.hand({ type: 'export', generation: g.generation, requestId: g.requestId, runs: [] }),
        );
      }
      return;
    }
    if (msg.type === 'export') {
      const id = this.nextGather++;
      this.gathers.set(id, { requestId: msg.requestId, generation: this.generation, parts: [] });
      for (const w of this.workers) w.postMessage({ type: 'export', requestId: id });
      return;
    }
    if (msg.type === 'speed' || msg.type === 'network') this.sticky.set(msg.type, msg);
    if (msg.type === 'pause' || msg.type === 'step') {
      this.pausing = new Set(this.workers.keys());
      // Reports held for the next hand-over were taken while playing: from now they say stopped.
      this.playing = this.workers.map(() => false);
    }
    if (msg.type === 'play') this.pausing.clear();
    for (const w of this.workers) w.postMessage(msg);
  }

  private hand(msg: FromWorker): void {
    if (this.batchMs <= 0) {
      this.deliver(msg);
      return;
    }
    this.held.push(msg);
    // While runs train, drawing waits as its cost asks. A change of state (they start, or stop at a
    // pause or the budget) goes out after the least interval, so the page says so at once.
    const playing = this.playing.some(Boolean);
    const steady = playing && this.flushedPlaying;
    const delay = steady ? handOverInterval(this.drawMs, this.batchMs) : this.batchMs;
    const due = performance.now() + delay;
    if (this.flushTimer !== null) {
      if (due >= this.flushDue) return;
      clearTimeout(this.flushTimer);
    }
    this.flushDue = due;
    this.flushTimer = setTimeout(() => this.flush(), delay);
  }

  private flush(): void {
    this.flushTimer = null;
    const start = performance.now();
    // Progress handed over now says whether anything plays now, not when it was received.
    const playing = this.playing.some(Boolean);
    this.flushedPlaying = playing;
    for (const m of this.held.splice(0))
      this.deliver(m.type === 'progress' && m.generation === this.generation ? { ...m, playing } : m);
    // The components update in microtasks after this task: a task queued now runs after them.
    setTimeout(() => {
      this.drawMs = 0.7 * this.drawMs + 0.3 * (performance.now() - start);
    }, 0);
  }

  terminate(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.held = [];
    for (const w of this.workers) w.terminate();
    this.workers = [];
  }

  /** Spawns or stops workers so there are `n`; the ones kept keep their loaded backend. */
  private resize(n: number): void {
    for (const w of this.workers.splice(n)) w.terminate();
    while (this.workers.length < n) {
      const i = this.workers.length;
      const w = this.create();
      w.addEventListener('message', (e) => this.receive(i, e.data));
      for (const m of this.sticky.values()) w.postMessage(m);
      w.addEventListener('error', (e) =>
        this.failed(`the training worker failed: ${e.message || 'see the console'}`),
      );
      this.workers.push(w);
    }
  }

  private receive(i: number, msg: FromWorker): void {
    if (msg.type === 'export') {
      this.collect(i, msg);
      return;
    }
    if (msg.generation !== this.generation) {
      this.hand(msg); // the controller drops it; nothing here may change for an old generation
      return;
    }
    if (msg.type === 'progress') {
      // After a pause, a worker's reports sent before it saw the pause still say it plays: they do
      // not make the page look playing again.
      if (this.pausing.has(i) && !msg.playing) this.pausing.delete(i);
      this.playing[i] = msg.playing && !this.pausing.has(i);
      this.hand({ ...msg, playing: this.playing.some(Boolean) });
    } else if (msg.type === 'status') {
      this.statuses[i] = msg.detail;
      this.hand({ ...msg, detail: this.statuses.find((s) => s !== '') ?? '' });
    } else {
      this.hand(msg);
    }
  }

  /** One worker's part of an export; the whole goes out once every worker answered for one generation. */
  private collect(i: number, msg: Extract<FromWorker, { type: 'export' }>): void {
    const g = this.gathers.get(msg.requestId);
    if (!g) return;
    if (msg.generation !== g.generation) {
      // Runs were replaced while the export was asked: the controller asks again for the new ones.
      this.gathers.delete(msg.requestId);
      this.hand({ ...msg, requestId: g.requestId, runs: [] });
      return;
    }
    g.parts[i] = msg.runs;
    if (this.workers.every((_, k) => g.parts[k] !== undefined)) {
      this.gathers.delete(msg.requestId);
      this.hand({ ...msg, requestId: g.requestId, runs: g.parts.flatMap((p) => p ?? []) });
    }
  }
}

/**
 * Runs 0..n-1 in at most `workers` contiguous groups of nearly equal size (the larger first), so
 * that the workers' exports, joined in worker order, list the runs in order.
 */
export function splitRuns(n: number, workers: number): number[][] {
  const w = Math.max(1, Math.min(n, Math.floor(workers) || 1));
  const groups: number[][] = [];
  let next = 0;
  for (let g = 0; g < w; g++) {
    const size = Math.floor(n / w) + (g < n % w ? 1 : 0);
    groups.push(Array.from({ length: size }, (_, k) => next + k));
    next += size;
  }
  return groups;
}
