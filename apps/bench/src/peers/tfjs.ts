// TensorFlow.js, the peer a user would otherwise pick, set up for a fair single-thread comparison
// in Node: the WASM backend loads its SIMD binary from node_modules with threads off (vgp is
// single-threaded), and the CPU backend is plain JS. Both are loaded on first use only, so suites
// that skip peers never pay for them.
import { createRequire } from 'node:module';
import path from 'node:path';

export type TfjsBackendName = 'wasm' | 'cpu';
type Tf = typeof import('@tensorflow/tfjs-core');

let loaded: Promise<Tf> | undefined;

async function load(): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The .wasm binaries sit next to the package's entry point; Emscripten reads a plain path with fs in Node.
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  wasm.setWasmPaths(`${dir}${path.sep}`);
  // Single thread: the threaded binary would use worker threads, which vgp does not.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // PROD silences the "install tfjs-node" banner; it does not change any kernel.
  tf.env().set('PROD', true);
  return tf;
}

/** tfjs-core with `backend` active; resolves once that backend is initialised. */
export async function tfjsWith(backend: TfjsBackendName): Promise<Tf> {
  loaded ??= load();
  const tf = await loaded;
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) {
    throw new Error(`tfjs backend '${backend}' failed to initialise`);
  }
  return tf;
}

/** What the tfjs WASM backend runs with, for the results file. */
export async function tfjsWasmFeatures(): Promise<{ simd: boolean; threads: boolean }> {
  const tf = await tfjsWith('wasm');
  return {
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
  };
}
