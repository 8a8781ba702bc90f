/**
 * 500 random message sequences between the page's TrainingController and the worker's protocol
 * (WorkerHost with real RunSessions on the TS backend), with the worker's answers delivered to the
 * page late and in bursts, as a busy main thread receives them, and junk messages mixed in.
 * Nothing may throw; every error the worker reports is a typed VgpError; and every card only ever
 * shows its own run: steps 1, 2, 3, ... from the start, and the first loss its own config gives.
 */
import { createBackend } from '@vgp/core';
import { loadTask } from '@vgp/nn';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingController } from '../src/controllers/training-controller.js';
import { PRESETS, presetState } from '../src/state/presets.js';
import { defaultState, type PlaygroundState } from '../src/state/state.js';
import type { FromWorker } from '../src/worker/protocol.js';
import { RunSession } from '../src/worker/run-session.js';
import { WorkerHost } from '../src/worker/worker-host.js';

const SEQUENCES = Number(process.env.FUZZ_RUNS ?? 500);
const TYPED = ['VgpError', 'ConfigError', 'ShapeError', 'DataError', 'OutOfMemoryError'];

/** Small comparisons (a few steps of small nets), so 500 sequences train in seconds. */
function small(s: PlaygroundState, steps: number): PlaygroundState {
  return {
    ...s,
    shared: {
      ...s.shared,
      backend: 'ts',
      depth: Math.min(s.shared.depth, 3),
      width: 8,
      samples: 64,
      seqLen: 6,
      steps,
    },
  };
}
const plane = PRESETS.filter((p) =>
  ['spiral', 'circles', 'xor', 'moons', 'gaussians', 'adding'].includes(p.state.shared.task),
);
const STATES: PlaygroundState[] = [
  small(defaultState(), 8),
  ...plane.map((p, i) => small(presetState(p, defaultState().shared), 5 + i)),
];

let backend: Awaited<ReturnType<typeof createBackend>>;

/** A page (the real controller, without its Web Worker) wired to a host; the host's answers wait in `inbox`. */
function pair() {
  const tasks: Array<() => void> = [];
  const inbox: FromWorker[] = [];
  const errors: string[] = [];
  let clock = 0;
  const host = new WorkerHost({
    post: (m) => {
      if (m.type === 'error') errors.push(m.kind);
      inbox.push(structuredClone(m));
    },
    // Every reading advances the clock: slices end, reports are due, and no real time passes.
    now: () => (clock += 3),
    defer: (fn) => tasks.push(fn),
    backend: async () => backend,
    loadTask,
    createRun: (i, spec, config, shared, data, b) =>
      new RunSession(i, spec, config, shared, data, b, () => clock),
  });
  const page = new TrainingController({ addController() {}, requestUpdate() {} } as never);
  (page as unknown as { worker: unknown }).worker = {
    postMessage: (m: unknown) => host.handle(structuredClone(m)),
  };
  const work = async (n: number) => {
    await host.idle();
    for (let i = 0; i < n && tasks.length > 0; i++) (tasks.shift() as () => void)();
    await host.idle();
  };
  const deliver = (n: number) => {
    for (const m of inbox.splice(0, n)) page.receive(m);
  };
  return { host, page, inbox, errors, work, deliver, tasks };
}

/** The first-step loss of every run of each state, from a clean page and worker. */
const firstLoss = new Map<PlaygroundState, number[]>();

beforeAll(async () => {
  backend = await createBackend('ts');
  for (const s of STATES) {
    const p = pair();
    p.page.configure(s);
    p.page.step(1);
    await p.work(20);
    p.deliver(Number.POSITIVE_INFINITY);
    firstLoss.set(
      s,
      p.page.runs.map((r) => r.loss[0] as number),
    );
    expect(firstLoss.get(s)?.every(Number.isFinite)).toBe(true);
  }
}, 60_000);

type Action =
  | { kind: 'configure'; state: number }
  | { kind: 'play' | 'pause' | 'export' }
  | { kind: 'step'; count: number }
  | { kind: 'speed'; value: number }
  | { kind: 'network'; open: boolean }
  | { kind: 'junk'; value: unknown }
  | { kind: 'work'; n: number }
  | { kind: 'deliver'; n: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('configure' as const), state: fc.nat(STATES.length - 1) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constantFrom('play' as const, 'pause' as const, 'export' as const) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('step' as const), count: fc.integer({ min: 1, max: 4 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('speed' as const), value: fc.constantFrom(1, 50, 10_000) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('network' as const), open: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('junk' as const),
      value: fc.oneof(
        fc.anything(),
        fc.record({
          type: fc.constantFrom('step', 'speed', 'configure', 'export', 'network', 'nope'),
          count: fc.anything(),
          stepsPerSecond: fc.anything(),
          requestId: fc.anything(),
          open: fc.anything(),
          generation: fc.anything(),
          state: fc.anything(),
        }),
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('work' as const), n: fc.integer({ min: 1, max: 6 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('deliver' as const), n: fc.integer({ min: 1, max: 5 }) }),
  },
);

/** Every card holds steps 1..k of its own run: nothing from a replaced run ever reached it. */
function checkCards(page: TrainingController, state: PlaygroundState | null): void {
  for (const [i, run] of page.runs.entries()) {
    expect(run.steps).toEqual(run.steps.map((_, j) => j + 1));
    expect(run.loss.length).toBe(run.steps.length);
    if (state && run.loss.length > 0) expect(run.loss[0]).toBe(firstLoss.get(state)?.[i]);
  }
}

describe('fuzz: worker protocol', () => {
  it(`${SEQUENCES} random message sequences: no exception, typed errors, every card its own run`, async () => {
    const counts = { messages: 0, configures: 0, junk: 0, errors: 0, progress: 0, trainedCards: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 14 }), async (actions) => {
        const p = pair();
        let current: PlaygroundState | null = null;
        for (const a of actions) {
          counts.messages++;
          switch (a.kind) {
            case 'configure':
              current = STATES[a.state] as PlaygroundState;
              p.page.configure(current);
              counts.configures++;
              break;
            case 'play':
              p.page.play();
              break;
            case 'pause':
              p.page.pause();
              break;
            case 'export':
              void p.page.exportRuns();
              break;
            case 'step':
              p.page.step(a.count);
              break;
            case 'speed':
              p.page.setSpeed(a.value);
              break;
            case 'network':
              p.page.setNetwork(a.open);
              break;
            case 'junk':
              expect(() => p.host.handle(a.value)).not.toThrow();
              counts.junk++;
              break;
            case 'work':
              await p.work(a.n);
              break;
            case 'deliver':
              counts.progress += p.inbox.slice(0, a.n).filter((m) => m.type === 'progress').length;
              p.deliver(a.n);
              checkCards(p.page, current);
              break;
          }
        }
        await p.work(50);
        counts.progress += p.inbox.filter((m) => m.type === 'progress').length;
        p.deliver(Number.POSITIVE_INFINITY);
        counts.trainedCards += p.page.runs.filter((r) => r.loss.length > 0).length;
        checkCards(p.page, current);
        counts.errors += p.errors.length;
        for (const kind of p.errors) expect(TYPED).toContain(kind);
        for (const r of p.host.runs) r.dispose();
      }),
      { numRuns: SEQUENCES, seed: 11 },
    );
    console.log(
      `worker fuzz: ${SEQUENCES} sequences, ${counts.messages} actions, ${counts.configures} configures, ${counts.junk} junk messages, ${counts.errors} typed errors, ${counts.progress} progress messages delivered, ${counts.trainedCards} cards checked with losses`,
    );
    expect(counts.configures).toBeGreaterThan(SEQUENCES);
    expect(counts.progress).toBeGreaterThan(SEQUENCES);
    expect(counts.trainedCards).toBeGreaterThan(SEQUENCES / 2);
  }, 300_000);
});
