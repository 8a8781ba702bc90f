import { SingleBar } from 'cli-progress';
import type { Io } from '../io.js';

/** Jobs done out of the sweep's total, with an ETA; a no-op off a terminal. */
export interface JobProgress {
  /** One more job finished (`failed` counts it apart). */
  tick(failed: boolean): void;
  stop(): void;
}

/** `skipped` jobs were finished by an earlier run: they count as done but not toward the ETA's rate. */
export function makeJobProgress(io: Io, enabled: boolean, total: number, skipped: number): JobProgress {
  if (!enabled || !io.isTTY || !io.progressStream) return { tick() {}, stop() {} };
  const bar = new SingleBar({
    stream: io.progressStream,
    format: ' {bar} {value}/{total} jobs{failures} | {eta_formatted} left',
    hideCursor: true,
    clearOnComplete: true,
    // The ETA follows the recent rate of jobs: a window of 20 finished jobs smooths uneven job sizes.
    etaBuffer: 20,
  });
  let failures = 0;
  bar.start(total, skipped, { failures: '' });
  return {
    tick(failed) {
      if (failed) failures++;
      bar.increment(1, { failures: failures > 0 ? ` (${failures} failed)` : '' });
    },
    stop() {
      bar.stop();
    },
  };
}
