/**
 * One run of a comparison inside the worker: a @vgp/nn model, its Trainer and GradientMonitor, and
 * what the page needs from them, gathered into `RunUpdate`s. Diagnosis and the decision boundary
 * are recomputed on a timer, not every step, so they cost little next to training.
 */
import type { Backend } from '@vgp/core';
import {
  applyRemedies,
  buildModel,
  depthFlow,
  diagnose,
  type ExperimentConfig,
  evaluate,
  GradientMonitor,
  type History,
  type Model,
  modelSpecFor,
  type TaskData,
  Trainer,
} from '@vgp/nn';
import { PLANE_TASKS } from '../state/options.js';
import type { RunSpec, SharedSettings } from '../state/state.js';
import { boundaryView } from './boundary.js';
import type { RunExport, RunUpdate } from './protocol.js';
import { gainView, layerRows, verdictViews } from './views.js';

/** Accuracy on the task's held-out test set, every EVAL_EVERY steps (and at step 1). */
const EVAL_EVERY = 20;
/** The monitor keeps this many records: diagnose looks at a recent window only. */
const MAX_RECORDS = 400;
const DIAGNOSE_MS = 500;
const BOUNDARY_MS = 800;
/** Steps/s is measured over this sliding window. */
const RATE_WINDOW_MS = 1000;

export class RunSession {
  step = 0;
  stopped = false;
  private readonly model: Model;
  private readonly trainer: Trainer;
  private readonly monitor: GradientMonitor;
  private layerNames: string[] = [];
  private sentNames = false;
  private metric = Number.NaN;
  private latest: History['records'][number] | null = null;
  private out = { steps: [] as number[], loss: [] as number[], metric: [] as number[] };
  private heat = { columns: [] as number[][], steps: [] as number[] };
  private all: RunExport['records'] = [];
  private times: number[] = [];
  private lastDiagnose = Number.NEGATIVE_INFINITY;
  private lastBoundary = Number.NEGATIVE_INFINITY;

  /**
   * Builds the run exactly as `runExperiment` would from the same config (remedies applied, widths
   * from the task, same seeds), so the page and `vgp run` agree on what a config does.
   */
  constructor(
    readonly index: number,
    readonly spec: RunSpec,
    readonly config: ExperimentConfig,
    private readonly shared: SharedSettings,
    private readonly data: TaskData,
    backend: Backend,
    private readonly now: () => number,
  ) {
    const effective = applyRemedies(config);
    this.model = buildModel(modelSpecFor(config, data), { backend, seed: config.seed });
    this.trainer = new Trainer(this.model, data.train, {
      optimizer: effective.optimizer,
      loss: data.loss,
      batchSize: config.batchSize,
      seed: config.seed,
      ...(effective.clip ? { clip: effective.clip } : {}),
      ...(effective.schedule ? { schedule: effective.schedule } : {}),
    });
    const meta = { lossFloor: data.lossFloor, chanceLoss: data.chanceLoss, label: spec.label };
    this.monitor = new GradientMonitor(this.model, { maxRecords: MAX_RECORDS, meta });
  }

  trainStep(): void {
    const r = this.trainer.step();
    this.step = r.step;
    if (this.step % EVAL_EVERY === 0 || this.step === 1) {
      const opts = { loss: this.data.loss, batchSize: this.shared.batchSize };
      this.metric = evaluate(this.model, this.data.test, opts).accuracy ?? Number.NaN;
    }
    // 1-based like runExperiment, so the histories of the page and the CLI line up.
    const rec = this.monitor.record(r.step, {
      loss: r.loss,
      metric: this.metric,
      preClipNorm: r.gradNorm ?? null,
    });
    const rows = rec ? layerRows(rec) : null;
    if (rec && rows) {
      this.latest = rec;
      if (this.layerNames.length === 0) this.layerNames = rows.names;
      this.heat.columns.push(rows.gradNorms);
      this.heat.steps.push(r.step);
    }
    this.out.steps.push(r.step);
    this.out.loss.push(r.loss);
    this.out.metric.push(this.metric);
    this.all.push({ step: r.step, loss: r.loss, metric: this.metric, gradNorms: rows?.gradNorms ?? [] });
    this.times.push(this.now());
    if (!Number.isFinite(r.loss)) this.stopped = true;
  }

  /** What changed since the last call; `final` forces the slow views (verdicts, boundary). */
  takeUpdate(final: boolean, budget: number): RunUpdate {
    const now = this.now();
    while (this.times.length > 0 && (this.times[0] as number) < now - RATE_WINDOW_MS) this.times.shift();
    const rows = this.latest ? layerRows(this.latest) : null;
    const update: RunUpdate = {
      index: this.index,
      step: this.step,
      stepsPerSecond: this.times.length / (RATE_WINDOW_MS / 1000),
      ...this.out,
      gradNorms: rows?.gradNorms ?? [],
      heatColumns: this.heat.columns,
      heatSteps: this.heat.steps,
      saturation: rows?.saturation ?? [],
      dead: rows?.dead ?? [],
      ...(rows?.timeNorms ? { timeNorms: rows.timeNorms } : {}),
    };
    if (!this.sentNames && this.layerNames.length > 0) {
      update.layerNames = this.layerNames;
      this.sentNames = true;
    }
    const history = this.monitor.history;
    if (history.records.length > 0 && (final || now - this.lastDiagnose >= DIAGNOSE_MS)) {
      this.lastDiagnose = now;
      update.verdicts = verdictViews(diagnose(history), this.layerNames);
      update.gain = gainView(depthFlow(history));
    }
    if (
      PLANE_TASKS.includes(this.shared.task) &&
      (final || now - this.lastBoundary >= BOUNDARY_MS) &&
      !this.stopped
    ) {
      this.lastBoundary = now;
      update.boundary = boundaryView(this.model, this.data.train, this.shared.batchSize);
    }
    if (this.stopped) update.finished = 'diverged';
    else if (this.step >= budget) update.finished = 'budget';
    this.out = { steps: [], loss: [], metric: [] };
    this.heat = { columns: [], steps: [] };
    return update;
  }

  exportRun(): RunExport {
    const history = this.monitor.history;
    const flow = history.records.length > 0 ? depthFlow(history) : null;
    return {
      label: this.spec.label,
      spec: this.spec,
      config: this.config,
      layerNames: this.layerNames,
      records: this.all,
      verdicts: history.records.length > 0 ? verdictViews(diagnose(history), this.layerNames) : [],
      gain: gainView(flow) ?? null,
    };
  }

  dispose(): void {
    this.monitor.dispose();
    this.trainer.dispose();
    this.model.dispose();
  }
}
