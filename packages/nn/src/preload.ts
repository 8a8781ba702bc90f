// Kept apart from libraries.ts so the public types never name papaparse's (a consumer need not have
// @types/papaparse).
import { loadMatrix, loadPapa } from './libraries.js';

/** The libraries that load on first use: the CSV reader (papaparse) and the SVD (ml-matrix). */
export type LazyLibrary = 'csv' | 'svd';

/**
 * Starts loading `which` now (both by default). For a page or worker that must keep working once the
 * network is gone: the CSV reader and the spectrum then never wait on a fetch.
 */
export async function preloadLibraries(which: readonly LazyLibrary[] = ['csv', 'svd']): Promise<void> {
  await Promise.all(which.map((w) => (w === 'csv' ? loadPapa() : loadMatrix())));
}
