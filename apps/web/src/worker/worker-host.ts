/**
 * The training worker's protocol, apart from `self`: it checks every page message, builds the runs
 * of a comparison, trains them with the Scheduler and answers with messages stamped with their
 * generation. The worker file only wires it to `self`, a MessageChannel and the real backends, so
 * this class runs in Node too (tests drive it with random message sequences).
 */
import { type Backend, ConfigError, VgpError } from '@vgp/core';
import type { ExperimentConfig, TaskData } from '@vgp/nn';
import { toExperimentConfig } from '../state/experiment-config.js';
import type { PlaygroundState, RunSpec, SharedSettings } from '../state/state.js';
import type { YourData } from '../state/your-data.js';
import type { FromWorker, RunExport, RunUpdate, ToWorker } from './protocol.js';
import { Scheduler, type Steppable } from './scheduler.js';

/** What the host needs from one run (RunSession in the worker). */
export interface HostedRun extends Steppable {
  takeUpdate(final: boolean, budget: number): RunUpdate;
  exportRun(): RunExport;
  dispose(): void;
  network: { setOpen(open: boolean): void };
}

/** Everything outside the protocol: where messages go, time, deferral, backends, data and runs. */
export interface HostDeps {
  post(msg: FromWorker): void;
  now(): number;
  /** Runs `fn` after `ms` (0: after pending messages). */
  defer(fn: () => void, ms: number): void;
  backend(kind: 'wasm' | 'ts'): Promise<Backend>;
  loadTask(task: ExperimentConfig['task'], seed: number): Promise<TaskData>;
  createRun(
    index: number,
    spec: RunSpec,
    config: ExperimentConfig,
    shared: SharedSettings,
    data: TaskData,
    backend: Backend,
  ): HostedRun;
}

/** Runs in a comparison at most (a baseline and its variants): `only` indexes one of them. */
const MAX_RUNS = 16;

/** Steps per `step` message at most: a bigger count is a bug or a tampered message, not a request. */
export const MAX_STEP_COUNT = 100_000;

type Message = Record<string, unknown>;

function finite(m: Message, key: string, min: number, max: number): number {
  const v = m[key];
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max)) {
    throw new ConfigError(
      `worker message '${String(m.type)}': ${key} must be a number in [${min}, ${max}], got ${String(v)}`,
    );
  }
  return v;
}

/** `only`: ascending run indices, at least one, each an integer below MAX_RUNS. */
function checkOnly(only: unknown): void {
  const ok =
    Array.isArray(only) &&
    only.length > 0 &&
    only.every(
      (i, k) => Number.isInteger(i) && i >= 0 && i < MAX_RUNS && (k === 0 || i > (only[k - 1] as number)),
    );
  if (!ok) {
    throw new ConfigError(
      `worker message 'configure': only must be ascending run indices (integers 0..${MAX_RUNS - 1}), got ${JSON.stringify(only)}`,
    );
  }
}

/** Checks a message from the page; a `ConfigError` names what is wrong with it. */
export function checkMessage(raw: unknown): ToWorker {
  if (raw === null || typeof raw !== 'object')
    throw new ConfigError(`worker message must be an object, got ${String(raw)}`);
  const m = raw as Message;
  switch (m.type) {
    case 'configure':
      finite(m, 'generation', 1, Number.MAX_SAFE_INTEGER);
      if (m.state === null || typeof m.state !== 'object')
        throw new ConfigError("worker message 'configure': state must be an object");
      if (m.only !== undefined) checkOnly(m.only);
      break;
    case 'play':
    case 'pause':
      break;
    case 'step':
      if (!Number.isInteger(finite(m, 'count', 1, MAX_STEP_COUNT)))
        throw new ConfigError(`worker message 'step': count must be an integer, got ${String(m.count)}`);
      break;
    case 'speed':
      finite(m, 'stepsPerSecond', 0, Number.POSITIVE_INFINITY - 1);
      break;
    case 'export':
      finite(m, 'requestId', 0, Number.MAX_SAFE_INTEGER);
      break;
    case 'network':
      if (typeof m.open !== 'boolean')
        throw new ConfigError("worker message 'network': open must be true or false");
      break;
    default:
      throw new ConfigError(`unknown worker message type '${String(m.type)}'`);
  }
  return m as unknown as ToWorker;
}

/**
 * The runs of a state and their configs. The page only sends states its own code built (parsed from
 * the URL or edited in the form), so a state that breaks the conversion is a protocol error, reported
 * as a ConfigError rather than whatever it tripped over.
 */
function configsOf(state: PlaygroundState): { specs: RunSpec[]; configs: ExperimentConfig[] } {
  try {
    const specs = [state.baseline, ...state.variants];
    return { specs, configs: specs.map((r) => toExperimentConfig(r, state.shared)) };
  } catch (e) {
    if (e instanceof VgpError) throw e;
    throw new ConfigError(
      `worker message 'configure': state is not a playground state (${(e as Error).message})`,
    );
  }
}

export class WorkerHost {
  /** The generation of the runs held now: the last configure's (0 before any). */
  generation = 0;
  runs: HostedRun[] = [];
  private backend: Backend | null = null;
  private state: PlaygroundState | null = null;
  private networkOpen = false;
  /** Messages are handled one at a time: configure awaits the backend, the rest must wait for it. */
  private queue: Promise<void> = Promise.resolve();
  readonly scheduler: Scheduler;

  constructor(private readonly deps: HostDeps) {
    this.scheduler = new Scheduler({
      now: deps.now,
      defer: (fn, ms) =>
        deps.defer(() => {
          try {
            fn();
          } catch (e) {
            this.fail(e);
          }
        }, ms),
      report: (playing) => this.report(playing, !playing),
    });
  }

  /** Resolves when every message received so far has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** One message from the page. Never throws: a bad message is answered with an `error` message. */
  handle(raw: unknown): void {
    let msg: ToWorker;
    try {
      msg = checkMessage(raw);
    } catch (e) {
      this.fail(e);
      return;
    }
    if (msg.type === 'network') {
      this.networkOpen = msg.open;
      for (const r of this.runs) r.network.setOpen(msg.open);
      return;
    }
    this.queue = this.queue
      .then(async () => {
        switch (msg.type) {
          case 'configure':
            return this.configure(msg.generation, msg.state, msg.csv ?? null, msg.only);
          case 'export':
            return this.send({
              type: 'export',
              requestId: msg.requestId,
              runs: this.runs.map((r) => r.exportRun()),
            });
          case 'play':
            return this.scheduler.play();
          case 'pause':
            return this.scheduler.pause();
          case 'step':
            return this.scheduler.stepBy(msg.count);
          case 'speed':
            return this.scheduler.setSpeed(msg.stepsPerSecond);
        }
      })
      .catch((e) => this.fail(e));
  }

  private send(
    msg: FromWorker extends infer M ? (M extends unknown ? Omit<M, 'generation'> : never) : never,
  ): void {
    this.deps.post({ ...msg, generation: this.generation } as FromWorker);
  }

  private report(playing: boolean, final: boolean): void {
    const budget = this.state?.shared.steps ?? Number.POSITIVE_INFINITY;
    try {
      const runs = this.runs.map((s) => s.takeUpdate(final, budget));
      this.send({ type: 'progress', playing, runs });
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown, run?: number): void {
    this.scheduler.halt();
    const kind = e instanceof Error ? e.name : 'Error';
    const message =
      e instanceof VgpError ? e.message : `${kind}: ${e instanceof Error ? e.message : String(e)}`;
    this.send({ type: 'error', kind, message, ...(run === undefined ? {} : { run }) });
  }

  private disposeRuns(): void {
    for (const r of this.runs) r.dispose();
    this.runs = [];
    this.scheduler.setRuns([], 0);
  }

  private async configure(
    generation: number,
    next: PlaygroundState,
    csv: YourData | null,
    only?: number[],
  ): Promise<void> {
    // From here on every message is about the new runs, including those that fail to build.
    this.generation = generation;
    this.disposeRuns();
    this.state = null;
    const { specs, configs } = configsOf(next);
    const last = only?.at(-1);
    if (last !== undefined && last >= specs.length) {
      throw new ConfigError(
        `worker message 'configure': only names run ${last}, but the state has ${specs.length} runs`,
      );
    }
    const kind = next.shared.backend === 'ts' ? 'ts' : 'wasm';
    if (!this.backend || this.backend.name !== kind) {
      this.backend = await this.deps.backend(kind);
      const detail =
        this.backend.name === 'wasm'
          ? `WASM SIMD backend (${(this.backend as Backend & { build?: string }).build ?? 'release'} build)`
          : 'TypeScript backend (f32)';
      this.send({ type: 'ready', backend: this.backend.name, detail });
    }
    if (next.shared.task === 'csv') {
      // The rows come with the message (the page never stores them); a reopened link has none yet.
      if (!csv) {
        const name = next.shared.csvName ? ` '${next.shared.csvName}' again` : ' a CSV file';
        this.send({ type: 'status', detail: `Your data: load${name} under Shared settings to train` });
        return;
      }
      for (const c of configs) if (c.task.kind === 'csv') c.task.text = csv.text;
    }
    // One data set for every run: same task, same seed (as `compare` does).
    if (next.shared.task === 'mnist') this.send({ type: 'status', detail: 'loading the MNIST digits…' });
    const data = await this.deps.loadTask((configs[0] as ExperimentConfig).task, next.shared.seed);
    // A newer configure may have arrived while the data loaded; it is queued after this one, so the
    // runs built here are replaced at once, but they must never be reported under its generation.
    const runs: HostedRun[] = [];
    for (const [i, spec] of specs.entries()) {
      if (only !== undefined && !only.includes(i)) continue;
      try {
        runs.push(
          this.deps.createRun(i, spec, configs[i] as ExperimentConfig, next.shared, data, this.backend),
        );
      } catch (e) {
        for (const r of runs) r.dispose();
        this.fail(e, i);
        return;
      }
    }
    for (const r of runs) r.network.setOpen(this.networkOpen);
    this.runs = runs;
    this.state = next;
    this.scheduler.setRuns(runs, next.shared.steps);
    this.send({ type: 'status', detail: '' });
    this.report(false, true);
  }
}
