// A pool thread: loads the WASM backend once, then runs the jobs the pool sends it, one at a time.
import { parentPort } from 'node:worker_threads';
import { createBackend } from '@vgp/core';
import { type JobMessage, runJob } from './job-runner.js';

if (!parentPort) throw new Error('pool-worker.js runs as a worker thread of the sweep pool');
const port = parentPort;

// Compiling the module is the slow part of loading the backend, and it is cached per thread: every
// job's backend then instantiates the module this thread already compiled.
(await createBackend('wasm')).dispose();

port.on('message', async (job: JobMessage) => {
  port.postMessage(await runJob(job));
});
