// A pool thread: instantiates the WASM module the pool compiled (workerData.wasm), then runs the jobs
// the pool sends it, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { adoptCompiledWasm } from '@vgp/core';
import { type JobMessage, runJob, threadBackend } from './job-runner.js';

if (!parentPort) throw new Error('pool-worker.js runs as a worker thread of the sweep pool');
const port = parentPort;

// Instantiate the shared module before the first job arrives; every job on this thread then runs on it.
adoptCompiledWasm(workerData.wasm);
await threadBackend('wasm');

port.on('message', async (job: JobMessage) => {
  port.postMessage(await runJob(job));
});
