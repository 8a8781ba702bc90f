// A baseline @vgp/core: another commit's build of the kernels, raced against this checkout's in one
// process. Comparing two builds from two processes on a shared 2-core VM mixes the change under test
// with the machine's drift (the same case moves by 3-10% between runs here); interleaved rounds in one
// process put both builds seconds apart under the same load. scripts/build-baseline.sh builds one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend } from '@vgp/core';

/** What a suite needs of a baseline core: its own `createBackend`, loaded from its own dist/. */
export interface BaselineCore {
  /** The directory given with --baseline (a built packages/core: dist/ and build/*.wasm). */
  dir: string;
  createBackend(kind: 'wasm', options: { wasmBuild: 'simd' | 'relaxed' }): Promise<Backend>;
}

/** Loads the baseline core in `dir`, or says what to build when it is not there. */
export async function loadBaselineCore(dir: string): Promise<BaselineCore> {
  const root = path.resolve(dir);
  const entry = path.join(root, 'dist', 'index.js');
  const binary = path.join(root, 'build', 'release.wasm');
  if (!existsSync(entry) || !existsSync(binary)) {
    throw new Error(
      `--baseline ${dir}: no built @vgp/core there (need dist/index.js and build/release.wasm); ` +
        'build one with `apps/bench/scripts/build-baseline.sh <commit> <dir>`',
    );
  }
  const mod = (await import(pathToFileURL(entry).href)) as Partial<BaselineCore>;
  if (typeof mod.createBackend !== 'function') {
    throw new Error(`--baseline ${dir}: dist/index.js exports no createBackend; is it @vgp/core?`);
  }
  return { dir: root, createBackend: mod.createBackend.bind(mod) };
}
