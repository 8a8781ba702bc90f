import { type Backend, createBackend } from '@vgp/core';
import { diagnose } from '../diagnostics/diagnose.js';
import { GradientMonitor } from '../diagnostics/monitor.js';
import type { RecordLog } from '../diagnostics/record-log.js';
import type { GradientRecord, History } from '../diagnostics/records.js';
import { measureRun, type RunMeasures } from '../diagnostics/run-measures.js';
import type { Verdict } from '../diagnostics/verdict.js';
import { buildModel, type Model } from '../training/build-model.js';
import { evaluate } from '../training/evaluate.js';
import type { ModelSpec } from '../training/model-spec.js';
import { Trainer } from '../training/trainer.js';
import { applyRemedies, fitRemedies } from './apply-remedies.js';
import { type ExperimentConfig, validateConfig } from './config.js';
import type { RunResult, RunSummary } from './run.js';
import { loadTask, type TaskData } from './task-data.js';

/** Held-out accuracy is measured this many times per run (classification tasks): a curve, at about 10% extra cost. */
const METRIC_POINTS = 10;

/** Options of {@link ExperimentRun.create}. */
export interface ExperimentRunOptions {
  /** Data already built for this config's task and seed (a comparison builds it once for all variants). */
  data?: TaskData;
  /** A backend to run on, owned by the caller (not disposed with the run); else one is created from the config. */
  backend?: Backend;
  /** The monitor keeps at most this many records (a long-lived page keeps a recent window); default all. */
  maxRecords?: number;
  /** Held-out accuracy every this many steps (classification); default a tenth of the config's steps. */
  metricEvery?: number;
  /** Also measure it at step 1 (a page wants a point at once). */
  metricAtFirstStep?: boolean;
}

/** What one {@link ExperimentRun.step} did. */
export interface RunStep {
  /** The 1-based step number. */
  step: number;
  /** Its training loss. */
  loss: number;
  /** Whether the monitor took a record at this step (`lastRecord()` makes it). */
  recorded: boolean;
}

/** The model spec a config runs: remedies applied, input/output/head taken from the task. */
export function modelSpecFor(config: ExperimentConfig, data: TaskData): ModelSpec {
  const m = applyRemedies(config).model;
  if (m.kind === 'mlp') return { ...m, input: m.input ?? data.input, output: m.output ?? data.output };
  return { ...m, input: m.input ?? data.input, output: m.output ?? data.output, head: m.head ?? data.head };
}

/**
 * One run of an `ExperimentConfig`, built once (data, model, trainer and monitor wired together) and
 * driven step by step: `runExperiment` loops over it, the playground's worker steps it in its own slices.
 * `summary()` and `verdicts()` read one measurement of the history (`measureRun`), so every number any
 * front end shows about the run is the same number. Same config and backend give the same run, bit for bit.
 */
export class ExperimentRun {
  /** The config as run: remedies applied and the model spec complete. */
  readonly effective: ExperimentConfig;
  /** The training loss of every step so far. */
  readonly losses: number[] = [];
  /** Whether a caller stopped the run early (`cancel()`). */
  cancelled = false;
  /** The step whose loss was not finite (the run is then done), else null. */
  nonFiniteAt: number | null = null;
  /** The latest held-out accuracy (NaN before the first measurement or for regression tasks). */
  latestMetric = Number.NaN;
  private wallMs = 0;
  private nextMetric: number;
  private readonly metricEvery: number;
  private disposed = false;

  private constructor(
    /** The config as given. */
    readonly config: ExperimentConfig,
    /** The task's data. */
    readonly data: TaskData,
    readonly backend: Backend,
    private readonly ownsBackend: boolean,
    /** The network being trained. */
    readonly model: Model,
    readonly trainer: Trainer,
    readonly monitor: GradientMonitor,
    opts: ExperimentRunOptions,
  ) {
    this.effective = { ...applyRemedies(config), model: modelSpecFor(config, data) };
    this.metricEvery = opts.metricEvery ?? Math.max(1, Math.ceil(config.steps / METRIC_POINTS));
    this.nextMetric = opts.metricAtFirstStep ? 1 : this.metricEvery;
  }

  /** Validates `config`, loads its task (unless given) and wires model, trainer and monitor. */
  static async create(config: ExperimentConfig, opts: ExperimentRunOptions = {}): Promise<ExperimentRun> {
    validateConfig(config, opts);
    const data = opts.data ?? (await loadTask(config.task, config.seed));
    const backend = opts.backend ?? (await createBackend(config.backend));
    try {
      return ExperimentRun.build(config, data, backend, opts, !opts.backend);
    } catch (e) {
      if (!opts.backend) backend.dispose();
      throw e;
    }
  }

  /**
   * The same, synchronously, on data and a backend the caller has (a worker that loaded them once for
   * several runs). The backend stays the caller's unless `ownsBackend`.
   */
  static build(
    config: ExperimentConfig,
    data: TaskData,
    backend: Backend,
    opts: Omit<ExperimentRunOptions, 'data' | 'backend'> = {},
    ownsBackend = false,
  ): ExperimentRun {
    validateConfig(config, opts);
    const effective = applyRemedies(config);
    const model = buildModel(modelSpecFor(config, data), { backend, seed: config.seed });
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
      ...(opts.maxRecords !== undefined ? { maxRecords: opts.maxRecords } : {}),
    });
    return new ExperimentRun(config, data, backend, ownsBackend, model, trainer, monitor, opts);
  }

  /** The config's label, or `'run'`. */
  get label(): string {
    return this.config.label ?? 'run';
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.losses.length;
  }

  /** True once the config's steps are done, the loss went non-finite, or the run was cancelled. */
  get done(): boolean {
    return this.cancelled || this.nonFiniteAt !== null || this.losses.length >= this.config.steps;
  }

  /** Stops the run: `done` is true from now on and the summary says `cancelled`. */
  cancel(): void {
    this.cancelled = true;
  }

  /**
   * One optimizer step, its record (when the monitor takes one) and, on schedule, the held-out metric.
   * `trained`, if given, runs after the step and its record, while the layers still hold the training
   * batch's activations and gradients: the held-out check that may follow runs the model on other
   * data and overwrites them (a probe of this step's activations, such as a UnitProbe capture, must
   * read them there).
   */
  step(trained?: (step: number) => void): RunStep {
    const start = performance.now();
    const rec = this.trainer.step();
    this.losses.push(rec.loss);
    const recorded = this.monitor.take(rec.step, { loss: rec.loss, preClipNorm: rec.gradNorm ?? null });
    trained?.(rec.step);
    // The metric after the record: evaluating runs the model on other data, which would overwrite the
    // activations the monitor reads. The training batch size keeps every layer's buffers as they are.
    if (recorded && this.data.train.classes !== undefined && rec.step >= this.nextMetric) {
      this.latestMetric =
        evaluate(this.model, this.data.test, { loss: this.data.loss, batchSize: this.config.batchSize })
          .accuracy ?? Number.NaN;
      this.monitor.setMetric(this.latestMetric);
      if (this.nextMetric < this.metricEvery) this.nextMetric = 0;
      while (this.nextMetric <= rec.step) this.nextMetric += this.metricEvery;
    }
    if (!Number.isFinite(rec.loss) && this.nonFiniteAt === null) this.nonFiniteAt = rec.step;
    this.wallMs += performance.now() - start;
    return { step: rec.step, loss: rec.loss, recorded };
  }

  /** The newest record, made from the monitor's log (null before the first). */
  lastRecord(): GradientRecord | null {
    return this.monitor.log.last();
  }

  /** The monitor's records, as diagnosis reads them (`history()` makes them into objects). */
  get log(): RecordLog {
    return this.monitor.log;
  }

  /** The monitor's records so far. */
  history(): History {
    return this.monitor.history;
  }

  /** The one measurement of the history every summary number and verdict message reads. */
  measures(): RunMeasures {
    return measureRun(this.log, { nonFiniteLossAt: this.nonFiniteAt });
  }

  /** What `diagnose` finds, with remedies fitted to this run's effective config (none it already has). */
  verdicts(measures: RunMeasures = this.measures()): Verdict[] {
    return fitRemedies(diagnose(this.log, measures), this.effective);
  }

  /** The run's numbers (evaluates the held-out data once: call it at the end, not every step). */
  summary(measures: RunMeasures = this.measures()): RunSummary {
    const test = evaluate(this.model, this.data.test, { loss: this.data.loss });
    const finite = this.losses.filter((l) => Number.isFinite(l));
    return {
      requestedSteps: this.config.steps,
      steps: this.losses.length,
      cancelled: this.cancelled,
      nonFiniteAt: this.nonFiniteAt,
      nonFiniteGradientAt: measures.nonFiniteGradientAt,
      finalLoss: measures.finalLoss,
      minLoss: finite.length > 0 ? Math.min(...finite) : Number.NaN,
      testLoss: test.loss,
      testAccuracy: test.accuracy ?? null,
      firstLastRatio: measures.depth?.firstLastRatio ?? null,
      signalRatio: measures.depth ? measures.depth.signalRatio : null,
      timeRatioStart: measures.timeRatioStart,
      timeRatio: measures.timeRatio,
      window: measures.windowWords,
      wallMs: this.wallMs,
      stepsPerSec: this.losses.length / (this.wallMs / 1000),
    };
  }

  /** Everything the run produced, as `runExperiment` returns it. */
  result(): RunResult {
    const m = this.measures();
    return {
      label: this.label,
      config: this.config,
      effective: this.effective,
      losses: this.losses,
      history: this.monitor.history,
      verdicts: this.verdicts(m),
      depth: m.depth,
      time: m.time,
      summary: this.summary(m),
    };
  }

  /** Frees the monitor, trainer, model and (when the run created it) the backend. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.monitor.dispose();
    this.trainer.dispose();
    this.model.dispose();
    if (this.ownsBackend) this.backend.dispose();
  }
}
