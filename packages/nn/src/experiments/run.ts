import { createBackend } from '@vgp/core';
import { diagnose } from '../diagnostics/diagnose.js';
import { type DepthFlow, depthFlow, type TimeFlow, timeFlows } from '../diagnostics/flow.js';
import { GradientMonitor } from '../diagnostics/monitor.js';
import type { GradientRecord, History } from '../diagnostics/records.js';
import type { Verdict } from '../diagnostics/verdict.js';
import { median } from '../diagnostics/window.js';
import { buildModel } from '../training/build-model.js';
import { evaluate } from '../training/evaluate.js';
import type { ModelSpec } from '../training/model-spec.js';
import { Trainer } from '../training/trainer.js';
import { applyRemedies } from './apply-remedies.js';
import { type ExperimentConfig, validateConfig } from './config.js';
import { loadTask, type TaskData } from './task-data.js';

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

/** The numbers of a run at a glance, for tables and the CLI's one-line report. */
export interface RunSummary {
  /** The config's `steps`. */
  requestedSteps: number;
  /** Steps actually run: fewer when cancelled or when the loss stopped being finite. */
  steps: number;
  /** Whether `signal` aborted the run. */
  cancelled: boolean;
  /** The step at which the loss stopped being finite (training stops there), else null. */
  nonFiniteAt: number | null;
  /** Median training loss over the last 10% of steps (NaN once it is not finite). */
  finalLoss: number;
  /** Lowest finite training loss of any step (NaN if none was finite). */
  minLoss: number;
  /** Loss on the task's held-out data after training. */
  testLoss: number;
  /** Accuracy on the held-out data, for classification tasks; else null. */
  testAccuracy: number | null;
  /** The first/last weight-gradient ratio over diagnosis's window (null without depth). */
  firstLastRatio: number | null;
  /**
   * ||dL/dh_1|| / ||dL/dh_T|| of the first recurrent layer: at the first record, and at the end of
   * training (median over the last 10% of the records: gated cells learn to hold at very different
   * steps from seed to seed, and what they hold at the end is the point). Gated cells start small (an LSTM's forget gates
   * near 0.73 pass 0.73^49 ~ 2e-7 over 50 steps) and learn to carry the gradient; a tanh RNN does not.
   */
  timeRatioStart: number | null;
  /** The same ratio at the end of training (see `timeRatioStart`); null for models without recurrence. */
  timeRatio: number | null;
  /**
   * Wall-clock time of the training loop in milliseconds, its periodic accuracy checks included, the final
   * evaluation not.
   */
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

/** Held-out accuracy is measured this many times per run (classification tasks): a curve, at about 10% extra cost. */
const METRIC_POINTS = 10;

/** Between event-loop turns a run works this long, so progress bars redraw and aborts arrive. */
const SLICE_MS = 50;

/** The model spec a config runs: remedies applied, input/output/head taken from the task. */
export function modelSpecFor(config: ExperimentConfig, data: TaskData): ModelSpec {
  const m = applyRemedies(config).model;
  if (m.kind === 'mlp') return { ...m, input: m.input ?? data.input, output: m.output ?? data.output };
  return { ...m, input: m.input ?? data.input, output: m.output ?? data.output, head: m.head ?? data.head };
}

/**
 * Trains one config and records its gradients. Returns when the steps are done, the loss stops being
 * finite, or `signal` aborts. Same config and backend give the same run, bit for bit.
 */
export async function runExperiment(config: ExperimentConfig, opts: RunOptions = {}): Promise<RunResult> {
  validateConfig(config);
  const effective = applyRemedies(config);
  const data = opts.data ?? (await loadTask(config.task, config.seed));
  const spec = modelSpecFor(config, data);
  const backend = await createBackend(config.backend);
  const model = buildModel(spec, { backend, seed: config.seed });
  const trainer = new Trainer(model, data.train, {
    optimizer: effective.optimizer,
    loss: data.loss,
    batchSize: config.batchSize,
    clip: effective.clip,
    schedule: effective.schedule,
    seed: config.seed,
  });
  const monitor = new GradientMonitor(model, {
    every: config.monitorEvery ?? 1,
    optimizer: trainer.optimizer,
    meta: { lossFloor: data.lossFloor, chanceLoss: data.chanceLoss, label: config.label },
  });
  const losses: number[] = [];
  const metricEvery = Math.max(1, Math.ceil(config.steps / METRIC_POINTS));
  let nextMetric = metricEvery;
  let nonFiniteAt: number | null = null;
  let cancelled = false;
  const start = performance.now();
  try {
    let slice = performance.now();
    while (losses.length < config.steps) {
      if (opts.signal?.aborted) {
        cancelled = true;
        break;
      }
      const rec = trainer.step();
      losses.push(rec.loss);
      const taken = monitor.record(rec.step, { loss: rec.loss, preClipNorm: rec.gradNorm ?? null });
      // The metric (held-out accuracy) after the record: evaluating runs the model on other data,
      // which would overwrite the activations the monitor reads.
      // The training batch size keeps every layer's buffers the size they already are (no reallocation).
      if (taken && data.train.classes !== undefined && rec.step >= nextMetric) {
        taken.metric =
          evaluate(model, data.test, { loss: data.loss, batchSize: config.batchSize }).accuracy ?? null;
        while (nextMetric <= rec.step) nextMetric += metricEvery;
      }
      if (taken) opts.onRecord?.(taken);
      opts.onStep?.(rec.step, rec.loss);
      if (!Number.isFinite(rec.loss)) {
        nonFiniteAt = rec.step;
        break;
      }
      if (performance.now() - slice > SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        slice = performance.now();
      }
    }
    const wallMs = performance.now() - start;
    const test = evaluate(model, data.test, { loss: data.loss });
    const history = monitor.history;
    const depth = depthFlow(history);
    const time = timeFlows(history);
    const tail = losses.slice(-Math.max(1, Math.floor(losses.length / 10)));
    const finite = losses.filter((l) => Number.isFinite(l));
    // A run that blew up is described by its steps before the blow-up: after it every norm is NaN.
    const finiteRecords = history.records.filter(
      (r) =>
        Number.isFinite(r.loss) &&
        r.layers.every((l) => l.nonFinite === 0) &&
        r.params.every((p) => p.nonFinite === 0),
    );
    return {
      label: config.label ?? 'run',
      config,
      effective: { ...effective, model: spec },
      losses,
      history,
      verdicts: diagnose(history),
      depth,
      time,
      summary: {
        requestedSteps: config.steps,
        steps: losses.length,
        cancelled,
        nonFiniteAt,
        finalLoss: tail.every((l) => Number.isFinite(l)) ? median(tail) : Number.NaN,
        minLoss: finite.length > 0 ? Math.min(...finite) : Number.NaN,
        testLoss: test.loss,
        testAccuracy: test.accuracy ?? null,
        firstLastRatio: depth?.firstLastRatio ?? null,
        timeRatioStart: timeRatioAt(finiteRecords.slice(0, 1)),
        timeRatio: timeRatioAt(finiteRecords.slice(-Math.max(1, Math.floor(finiteRecords.length / 10)))),
        wallMs,
        stepsPerSec: losses.length / (wallMs / 1000),
      },
    };
  } finally {
    monitor.dispose();
    trainer.dispose();
    model.dispose();
    backend.dispose();
  }
}

/** Median over `records` of ||dL/dh_1|| / ||dL/dh_T|| for the first layer that records it; null if none does. */
function timeRatioAt(records: readonly GradientRecord[]): number | null {
  const ratios = records.flatMap((r) => {
    const n = r.layers.find((l) => l.timeGradNorms && l.timeGradNorms.length > 1)?.timeGradNorms;
    return n ? [(n[0] as number) / (n[n.length - 1] as number)] : [];
  });
  return ratios.length > 0 ? median(ratios) : null;
}
