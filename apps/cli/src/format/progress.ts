import { SingleBar } from 'cli-progress';
import type { Io } from '../io.js';

/** A progress bar over all steps of all runs, on stderr; a no-op when stderr is not a terminal or output is JSON. */
export interface Progress {
  start(run: number, label: string): void;
  step(): void;
  stop(): void;
}

export function makeProgress(io: Io, enabled: boolean, totalSteps: number, runs: number): Progress {
  if (!enabled || !io.isTTY || !io.progressStream) return { start() {}, step() {}, stop() {} };
  const bar = new SingleBar({
    stream: io.progressStream,
    format: ' {bar} {percentage}% | run {run}/{runs} {label} | step {value}/{total} | {eta_formatted} left',
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 200,
  });
  let done = 0;
  let shown = 0;
  bar.start(totalSteps, 0, { run: 1, runs, label: '' });
  return {
    start(run, label) {
      bar.update(done, { run: run + 1, runs, label });
    },
    step() {
      done++;
      // Redraw at most ~200 times per bar: drawing every step would cost more than a small step.
      if (done - shown >= Math.max(1, totalSteps / 200)) {
        shown = done;
        bar.update(done);
      }
    },
    stop() {
      bar.stop();
    },
  };
}
