// A pool thread: loads the WASM backend once, then runs the jobs the pool sends it, one at a time.
import { parentPort } from 'node:worker_threads';
import { type JobMessage, runJob, threadBackend } from './job-runner.js';

if (!parentPort) throw new Error('pool-worker.js runs as a worker thread of the sweep pool');
const port = parentPort;

// Load the WASM backend before the first job arrives; every job on this thread then runs on it.
await threadBackend('wasm');

port.on('message', async (job: JobMessage) => {
  port.postMessage(await runJob(job));
});
