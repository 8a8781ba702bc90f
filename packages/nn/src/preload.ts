// Kept apart from libraries.ts so the public types never name papaparse's (a consumer need not have
// @types/papaparse).
import { loadMatrix, loadPapa } from './libraries.js';

/**
 * Starts loading both now. For a page that must keep working once the network is gone: the CSV reader
 * and the spectrum then never wait on a fetch.
 */
export async function preloadLibraries(): Promise<void> {
  await Promise.all([loadPapa(), loadMatrix()]);
}
