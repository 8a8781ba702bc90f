import { Worker } from 'node:worker_threads';
import { type CompiledWasm, compiledWasm } from '@vgp/core';
import { type JobMessage, WORKER_NAME } from './job-runner.js';
import { failedResult, type JobResult } from './results.js';

interface Slot {
  worker: Worker;
  job: { msg: JobMessage; resolve: (r: JobResult) => void; reject: (e: Error) => void } | null;
  /** The grid points (`JobMessage.group`) this thread has run jobs of. */
  groups: Set<string>;
}

/** Thrown by pending `run` calls when the pool is closed before their job finished. */
export class PoolClosedError extends Error {
  constructor() {
    super('the sweep pool was closed before this job finished');
    this.name = 'PoolClosedError';
  }
}

/**
 * A fixed number of `worker_threads`, each running one job at a time. The WASM module is compiled once,
 * here, and posted to every thread, so the threads share its machine code, including the optimized
 * code V8 tiers up to while any of them runs (compiled per thread, each paid its own tier-up: the first
 * job on each of two threads ran ~35% slower than the rest). Jobs queue in the order given, but a free
 * thread takes the next job of a grid point it has run before, else of one no thread has run yet: V8
 * compiles the training code per thread, and every other net a thread meets (another layer class, say)
 * sends that code back to be compiled again. A thread that dies fails its job alone and is replaced.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: NonNullable<Slot['job']>[] = [];
  private closed = false;
  private dispatching = false;

  private constructor(
    readonly size: number,
    private readonly wasm: CompiledWasm,
  ) {}

  /** Compiles the WASM module and starts all `size` threads at once (they load @vgp/nn meanwhile). */
  static async start(size: number): Promise<WorkerPool> {
    const pool = new WorkerPool(size, await compiledWasm());
    while (pool.slots.length < size) pool.spawn();
    return pool;
  }

  /** Runs `msg` on the next free thread; resolves with its result line (a `failed` one if it threw). */
  run(msg: JobMessage): Promise<JobResult> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    return new Promise((resolve, reject) => {
      this.queue.push({ msg, resolve, reject });
      // Hand jobs out once the caller has queued all it queues at once, so that a thread can choose.
      if (!this.dispatching) {
        this.dispatching = true;
        queueMicrotask(() => {
          this.dispatching = false;
          if (!this.closed) this.dispatch();
        });
      }
    });
  }

  /** Stops every thread; jobs in flight or queued reject with `PoolClosedError`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job?.reject(new PoolClosedError());
    const slots = this.slots.splice(0);
    for (const s of slots) s.job?.reject(new PoolClosedError());
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const [job] = this.queue.splice(this.pick(slot), 1);
      if (!job) return;
      slot.job = job;
      slot.groups.add(job.msg.group);
      slot.worker.postMessage(job.msg);
    }
  }

  /** Where in the queue `slot`'s next job is: one of its own grid points, else an untouched one, else the first. */
  private pick(slot: Slot): number {
    const own = this.queue.findIndex((j) => slot.groups.has(j.msg.group));
    if (own >= 0) return own;
    const fresh = this.queue.findIndex((j) => !this.slots.some((s) => s.groups.has(j.msg.group)));
    return Math.max(fresh, 0);
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./pool-worker.js', import.meta.url), {
      workerData: { wasm: this.wasm },
    });
    const slot: Slot = { worker, job: null, groups: new Set() };
    worker.on('message', (r: JobResult) => {
      const job = slot.job;
      slot.job = null;
      job?.resolve(r);
      this.dispatch();
    });
    // A thread that throws outside a job (out of memory, a crash while loading) takes only its job down.
    const died = (why: string) => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      const job = slot.job;
      slot.job = null;
      job?.resolve(failedResult(job.msg, why, WORKER_NAME));
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (e) => died(`the worker thread failed: ${e.message}`));
    worker.on('exit', (code) => died(`the worker thread exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }
}
