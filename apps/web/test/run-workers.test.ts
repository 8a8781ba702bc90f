/**
 * One training worker per run (RunWorkers) against the single-worker design, with real WorkerHosts and
 * RunSessions on the TS backend standing in for Web Workers: the same comparison gives the same
 * numbers either way, commands reach every worker, and the answers come back as if from one worker.
 */
import { type Backend, createBackend } from '@vgp/core';
import { loadTask } from '@vgp/nn';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DRAW_SHARE,
  handOverInterval,
  MAX_HAND_OVER_MS,
  RunWorkers,
  splitRuns,
  type WorkerFactory,
} from '../src/controllers/run-workers.js';
import { TrainingController } from '../src/controllers/training-controller.js';
import { PRESETS, presetState } from '../src/state/presets.js';
import { defaultState, type PlaygroundState } from '../src/state/state.js';
import type { FromWorker, ToWorker } from '../src/worker/protocol.js';
import { RunSession } from '../src/worker/run-session.js';
import { checkMessage, WorkerHost } from '../src/worker/worker-host.js';

let backend: Backend;
beforeAll(async () => {
  backend = await createBackend('ts');
});

/** The deep-sigmoid comparison (four runs) on small nets. */
function fourRuns(steps: number): PlaygroundState {
  const preset = PRESETS.find((p) => p.id === 'deep-sigmoid') ?? PRESETS[0];
  const s = presetState(preset as (typeof PRESETS)[number], defaultState().shared);
  return { ...s, shared: { ...s.shared, backend: 'ts', depth: 4, width: 8, samples: 64, steps } };
}

/** A page whose workers are WorkerHosts in this thread; `settle` runs them until nothing is left to do. */
function page(maxWorkers: number, batchMs = 0) {
  let clock = 0;
  const tasks: Array<() => void> = [];
  const outbox: Array<() => void> = [];
  const hosts: WorkerHost[] = [];
  const sent: ToWorker[][] = [];
  const terminated: number[] = [];
  const factory: WorkerFactory = () => {
    const index = hosts.length;
    let onMessage: ((e: MessageEvent<FromWorker>) => void) | undefined;
    const host = new WorkerHost({
      post: (m) => outbox.push(() => onMessage?.({ data: structuredClone(m) } as MessageEvent<FromWorker>)),
      now: () => (clock += 3),
      defer: (fn) => tasks.push(fn),
      backend: async () => backend,
      loadTask,
      createRun: (i, spec, config, shared, data, b) =>
        new RunSession(i, spec, config, shared, data, b, () => clock),
    });
    hosts.push(host);
    sent.push([]);
    return {
      postMessage: (m: ToWorker) => {
        sent[index]?.push(m);
        host.handle(structuredClone(m));
      },
      terminate: () => terminated.push(index),
      addEventListener: (type: string, fn: unknown) => {
        if (type === 'message') onMessage = fn as typeof onMessage;
      },
    };
  };
  const controller = new TrainingController({ addController() {}, requestUpdate() {} } as never);
  const errors: string[] = [];
  (controller as unknown as { worker: RunWorkers }).worker = new RunWorkers(
    factory,
    (m) => controller.receive(m),
    (e) => errors.push(e),
    maxWorkers,
    batchMs,
  );
  const settle = async () => {
    for (let round = 0; round < 10_000; round++) {
      await Promise.all(hosts.map((h) => h.idle()));
      await Promise.resolve();
      const next = tasks.shift() ?? outbox.shift();
      if (!next) return;
      next();
    }
    throw new Error('the workers never settled');
  };
  /** Runs up to `n` slices of the workers' work without handing their answers to the page. */
  const work = async (n: number) => {
    for (let round = 0; round < n; round++) {
      await Promise.all(hosts.map((h) => h.idle()));
      const next = tasks.shift();
      if (!next) return;
      next();
    }
  };
  const deliverOne = () => {
    outbox.shift()?.();
    return outbox.length;
  };
  return { controller, hosts, sent, terminated, errors, settle, work, deliverOne };
}

describe('one worker per run', () => {
  it('trains each run in its own worker to the same numbers as one worker for all', async () => {
    const state = fourRuns(50);
    const one = page(1);
    const many = page(4);
    for (const p of [one, many]) {
      p.controller.configure(state);
      p.controller.step(5);
      await p.settle();
    }
    expect(one.hosts).toHaveLength(1);
    expect(many.hosts).toHaveLength(4);
    expect(many.hosts.map((h) => h.runs.length)).toEqual([1, 1, 1, 1]);
    expect(many.sent.map((m) => (m[0] as { only?: number[] }).only)).toEqual([[0], [1], [2], [3]]);
    for (const p of [one, many]) expect(p.controller.runs.map((r) => r.step)).toEqual([5, 5, 5, 5]);
    expect(many.controller.runs.map((r) => r.loss)).toEqual(one.controller.runs.map((r) => r.loss));
    expect(many.controller.runs.map((r) => r.gradNorms)).toEqual(one.controller.runs.map((r) => r.gradNorms));
    expect(many.errors).toEqual([]);
  });

  it('with fewer cores than runs, splits the runs among the workers to the same numbers', async () => {
    const state = fourRuns(50);
    const one = page(1);
    const two = page(2);
    for (const p of [one, two]) {
      p.controller.configure(state);
      p.controller.step(5);
      await p.settle();
    }
    expect(two.hosts.map((h) => h.runs.length)).toEqual([2, 2]);
    expect(two.sent.map((m) => (m[0] as { only?: number[] }).only)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(two.controller.runs.map((r) => r.step)).toEqual([5, 5, 5, 5]);
    expect(two.controller.runs.map((r) => r.loss)).toEqual(one.controller.runs.map((r) => r.loss));
    // The export joins the workers' parts in run order.
    const exported = async (p: ReturnType<typeof page>) => {
      const runs = p.controller.exportRuns();
      await p.settle();
      return runs;
    };
    const [a, b] = [await exported(one), await exported(two)];
    expect(b.map((r) => r.label)).toEqual(a.map((r) => r.label));
    expect(b.map((r) => r.records.at(-1)?.loss)).toEqual(a.map((r) => r.records.at(-1)?.loss));
    expect(b).toHaveLength(4);
    expect(two.errors).toEqual([]);
  });

  it('sends play and speed to every worker, and reports playing while any run plays', async () => {
    const p = page(4);
    p.controller.configure(fourRuns(4));
    await p.settle();
    p.controller.setSpeed(1000);
    p.controller.play();
    await p.settle();
    for (const sent of p.sent) {
      expect(sent.map((m) => m.type)).toEqual(expect.arrayContaining(['configure', 'speed', 'play']));
    }
    // Every run reached its budget of 4 steps, and then the page was told nothing plays any more.
    expect(p.controller.runs.map((r) => r.step)).toEqual([4, 4, 4, 4]);
    expect(p.controller.playing).toBe(false);
  });

  it('exports every run once, in order; a smaller comparison stops the extra workers', async () => {
    const p = page(4);
    p.controller.configure(fourRuns(10));
    p.controller.step(2);
    await p.settle();
    const exported = p.controller.exportRuns();
    await p.settle();
    const runs = await exported;
    expect(runs.map((r) => r.label)).toEqual(p.controller.runs.map((r) => r.spec.label));
    expect(runs.every((r) => r.records.length === 2)).toBe(true);

    const two = fourRuns(10);
    two.variants = two.variants.slice(0, 1);
    p.controller.configure(two);
    p.controller.step(1);
    await p.settle();
    expect(p.terminated).toEqual([2, 3]);
    expect(p.controller.runs.map((r) => r.step)).toEqual([1, 1]);
  });

  it('answers an export asked just before a new comparison with the new runs', async () => {
    const p = page(4);
    p.controller.configure(fourRuns(10));
    await p.settle();
    const exported = p.controller.exportRuns();
    const two = fourRuns(10);
    two.variants = two.variants.slice(0, 1);
    p.controller.configure(two);
    await p.settle();
    expect((await exported).map((r) => r.label)).toEqual([two.baseline.label, two.variants[0]?.label]);
  });

  it('after pause, reports the workers sent while still playing do not show the page as playing', async () => {
    const p = page(4);
    p.controller.configure(fourRuns(100_000));
    await p.settle();
    p.controller.play();
    await p.work(40);
    // Training reports (playing: true) are on their way when the user pauses.
    p.controller.pause();
    expect(p.controller.playing).toBe(false);
    while (p.deliverOne() > 0) expect(p.controller.playing).toBe(false);
    await p.settle();
    expect(p.controller.playing).toBe(false);
    expect(p.controller.runs.every((r) => r.step > 0)).toBe(true);
  });

  it('after pause, reports held for the next hand-over (taken while playing) do not show the page as playing', async () => {
    const p = page(4, 30);
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    p.controller.configure(fourRuns(100_000));
    await p.settle();
    await wait(60);
    p.controller.play();
    await p.work(40);
    // The workers' playing reports arrive and wait for the hand-over; then the user pauses.
    while (p.deliverOne() > 0);
    p.controller.pause();
    await wait(60);
    expect(p.controller.playing).toBe(false);
    expect(p.controller.runs.every((r) => r.step > 0)).toBe(true);
  });
});

describe('hand-overs while drawing is slow', () => {
  it('space out while runs train, and go out after the least interval when they start or stop', async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let toPage: ((e: MessageEvent<FromWorker>) => void) | undefined;
    const factory: WorkerFactory = () => ({
      postMessage: () => {},
      terminate: () => {},
      addEventListener: (type: string, fn: unknown) => {
        if (type === 'message') toPage = fn as typeof toPage;
      },
    });
    const delivered: Array<{ at: number; playing: boolean }> = [];
    // Every hand-over costs 40 ms of the page's thread (once, as Lit renders once for all the messages
    // of a hand-over): the interval should grow towards 40 / DRAW_SHARE = 800 ms.
    let drawing = false;
    const deliver = (m: FromWorker) => {
      if (m.type === 'progress') delivered.push({ at: performance.now(), playing: m.playing });
      if (drawing) return;
      drawing = true;
      queueMicrotask(() => {
        const end = performance.now() + 40;
        while (performance.now() < end);
        drawing = false;
      });
    };
    const link = new RunWorkers(factory, deliver, () => {}, 1, 30);
    link.postMessage({ type: 'configure', generation: 1, state: defaultState() });
    const report = (playing: boolean) =>
      toPage?.({
        data: { type: 'progress', generation: 1, playing, runs: [] },
      } as unknown as MessageEvent<FromWorker>);
    const train = async (ms: number) => {
      for (const end = performance.now() + ms; performance.now() < end; ) {
        report(true);
        await sleep(10);
      }
    };
    const flushes = () => delivered.filter((d, i) => i === 0 || d.at - (delivered[i - 1]?.at ?? 0) > 5);
    link.postMessage({ type: 'play' });
    // Train for 8 hand-overs, however long they take on a loaded machine: by then the average drawing
    // time is within 6% of 40 ms (it moves 30% of the way per hand-over from 0), the interval ~750 ms.
    for (const end = performance.now() + 30_000; flushes().length < 8 && performance.now() < end; )
      await train(100);
    expect(flushes().length).toBeGreaterThanOrEqual(8);
    // In steady training the hand-overs spread out to keep drawing near its share.
    const gaps = flushes()
      .slice(-3)
      .map((d, i, a) => (i > 0 ? d.at - (a[i - 1]?.at ?? 0) : 0));
    expect(Math.min(...gaps.slice(1))).toBeGreaterThan(500);
    // A pause: the worker's last report (not playing) reaches the page after the least interval.
    link.postMessage({ type: 'pause' });
    let asked = performance.now();
    const before = delivered.length;
    report(false);
    await sleep(400);
    // With it go the reports held for the grown interval, which now say stopped too.
    const after = delivered.slice(before);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((d) => !d.playing)).toBe(true);
    expect((delivered[before]?.at ?? Number.POSITIVE_INFINITY) - asked).toBeLessThan(300);
    // Play again: drawing is as slow as before, but the first report that says the runs play goes out
    // after the least interval, not the grown one.
    link.postMessage({ type: 'play' });
    asked = performance.now();
    const played = delivered.length;
    await train(400);
    expect(delivered[played]?.playing).toBe(true);
    expect((delivered[played]?.at ?? Number.POSITIVE_INFINITY) - asked).toBeLessThan(300);
    link.terminate();
  }, 40_000);
});

describe('handOverInterval', () => {
  it('keeps the least interval while drawing is cheap, and grows it so drawing stays within its share', () => {
    expect(handOverInterval(0, 200)).toBe(200);
    expect(handOverInterval(Number.NaN, 200)).toBe(200);
    expect(handOverInterval(4, 200)).toBe(200); // 4 ms is 2% of 200 ms
    expect(handOverInterval(15, 200)).toBeCloseTo(15 / DRAW_SHARE); // 300 ms
    expect(15 / handOverInterval(15, 200)).toBeCloseTo(DRAW_SHARE);
    // A page that draws very slowly still hears from its runs once a second.
    expect(handOverInterval(500, 200)).toBe(MAX_HAND_OVER_MS);
  });
});

describe('splitRuns', () => {
  it('gives each worker a contiguous, nearly equal group, in order, never an empty one', () => {
    expect(splitRuns(4, 2)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(splitRuns(5, 2)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
    expect(splitRuns(5, 3)).toEqual([[0, 1], [2, 3], [4]]);
    expect(splitRuns(2, 8)).toEqual([[0], [1]]);
    expect(splitRuns(3, 1)).toEqual([[0, 1, 2]]);
    // A cap the browser did not give (0, NaN) means one worker.
    expect(splitRuns(3, 0)).toEqual([[0, 1, 2]]);
    expect(splitRuns(3, Number.NaN)).toEqual([[0, 1, 2]]);
    for (let n = 1; n <= 5; n++) {
      for (let w = 1; w <= 6; w++) expect(splitRuns(n, w).flat()).toEqual([...Array(n).keys()]);
    }
  });
});

describe("a worker's `only`", () => {
  it('takes ascending run indices and refuses anything else with a ConfigError that says what it wants', () => {
    const state = fourRuns(4);
    expect(checkMessage({ type: 'configure', generation: 1, state, only: [0, 2] })).toMatchObject({
      only: [0, 2],
    });
    for (const only of [[], [2, 1], [1, 1], [0.5], [-1], [16], 3, '0', [null]]) {
      expect(() => checkMessage({ type: 'configure', generation: 1, state, only })).toThrow(
        /only must be ascending run indices/,
      );
    }
  });

  it('a configure naming a run the state does not have is answered with an error, not a crash', async () => {
    const posted: FromWorker[] = [];
    const host = new WorkerHost({
      backend: async () => backend,
      loadTask,
      createRun: (i, spec, config, shared, data, b) =>
        new RunSession(i, spec, config, shared, data, b, () => 0),
      post: (m) => posted.push(m),
      now: () => 0,
      defer: () => {},
    });
    host.handle({ type: 'configure', generation: 1, state: fourRuns(4), only: [3, 4] });
    await host.idle();
    expect(posted.find((m) => m.type === 'error')).toMatchObject({
      kind: 'ConfigError',
      message: expect.stringContaining('only names run 4, but the state has 4 runs'),
    });
  });
});
