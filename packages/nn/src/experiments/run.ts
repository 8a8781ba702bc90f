import type { DepthFlow, TimeFlow } from '../diagnostics/flow.js';
import type { GradientRecord, History } from '../diagnostics/records.js';
import type { Verdict } from '../diagnostics/verdict.js';
import type { ExperimentConfig } from './config.js';
import { ExperimentRun } from './experiment-run.js';
import type { TaskData } from './task-data.js';

/** Options of {@link runExperiment}: cancellation, progress callbacks and prebuilt data. */
export interface RunOptions {
  /** Stops the run between steps; the result then has `summary.cancelled` and the steps done so far. */
  signal?: AbortSignal;
  /** Every record the monitor takes, as it is taken (a worker posts these; the CLI draws a progress bar). */
  onRecord?: (record: GradientRecord) => void;
  /** After every step, with the 1-based step number and its loss. */
  onStep?: (step: number, loss: number) => void;
  /** Data already built for this config's task and seed (a comparison builds it once for all variants). */
  data?: TaskData;
}

/**
 * The numbers of a run at a glance, for tables, verdicts, JSON and the page. Every figure about the
 * history is taken from one `measureRun` of it (see `RunMeasures`), the same one the verdicts read.
 */
export interface RunSummary {
  /** The config's `steps`. */
  requestedSteps: number;
  /** Steps actually run: fewer when cancelled or when the loss stopped being finite. */
  steps: number;
  /** Whether `signal` aborted the run. */
  cancelled: boolean;
  /** The first step whose training loss was not finite (training stops there), else null. */
  nonFiniteAt: number | null;
  /** The first recorded step whose gradient norm was not finite, else null (usually the step before `nonFiniteAt`). */
  nonFiniteGradientAt: number | null;
  /** Median training loss over the last 10% of the recorded steps (NaN once the loss went non-finite). */
  finalLoss: number;
  /** Lowest finite training loss of any step (NaN if none was finite). */
  minLoss: number;
  /** Loss on the task's held-out data after training. */
  testLoss: number;
  /** Accuracy on the held-out data, for classification tasks; else null. */
  testAccuracy: number | null;
  /** The first/last weight-gradient RMS ratio over the analysis window (null below 3 weight layers). */
  firstLastRatio: number | null;
  /** ||dL/dh|| at the first weight layer over that at the last, over the analysis window (null below 3 weight layers). */
  signalRatio: number | null;
  /**
   * ||dL/dh_1|| / ||dL/dh_T|| of the first recurrent layer at the first record. Gated cells start small
   * (an LSTM's forget gates near 0.73 pass 0.73^49 ~ 2e-7 over 50 steps) and learn to carry the gradient;
   * a tanh RNN does not. Null for models without recurrence.
   */
  timeRatioStart: number | null;
  /** The same ratio over the analysis window (the one the vanishing verdict judges); null without recurrence. */
  timeRatio: number | null;
  /** The analysis window in words, e.g. "over the last half of the recorded steps (steps 151-300)". */
  window: string;
  /** Time spent in training steps (monitoring and periodic accuracy checks included), in milliseconds. */
  wallMs: number;
  /** Training throughput: steps / (wallMs / 1000). */
  stepsPerSec: number;
}

/** Everything a run produced: configs, losses, the recorded history, the diagnosis and a summary. */
export interface RunResult {
  /** The config's label, or `'run'`. */
  label: string;
  /** The config as given, and as run (remedies applied, widths filled in from the task). */
  config: ExperimentConfig;
  /** The config as run: remedies applied and the model spec complete. */
  effective: ExperimentConfig;
  /** The training loss of every step. */
  losses: number[];
  /** The gradient monitor's records. */
  history: History;
  /** What `diagnose` found in the history, most severe first. */
  verdicts: Verdict[];
  /** Gradient flow through depth (null for a model with fewer than 3 weight layers). */
  depth: DepthFlow | null;
  /** Gradient flow through time, one entry per recurrent layer (empty for an mlp). */
  time: TimeFlow[];
  /** The run's key numbers. */
  summary: RunSummary;
}

/** Between event-loop turns a run works this long, so progress bars redraw and aborts arrive. */
const SLICE_MS = 50;

/**
 * Trains one config and records its gradients. Returns when the steps are done, the loss stops being
 * finite, or `signal` aborts. Same config and backend give the same run, bit for bit.
 */
export async function runExperiment(config: ExperimentConfig, opts: RunOptions = {}): Promise<RunResult> {
  const run = await ExperimentRun.create(config, opts.data ? { data: opts.data } : {});
  try {
    let slice = performance.now();
    while (!run.done) {
      if (opts.signal?.aborted) {
        run.cancel();
        break;
      }
      const { step, loss, recorded } = run.step();
      if (recorded && opts.onRecord) opts.onRecord(run.lastRecord() as GradientRecord);
      opts.onStep?.(step, loss);
      if (performance.now() - slice > SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        slice = performance.now();
      }
    }
    return run.result();
  } finally {
    run.dispose();
  }
}
