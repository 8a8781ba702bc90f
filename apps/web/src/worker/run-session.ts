/**
 * One run of a comparison inside the worker: a @vgp/nn `ExperimentRun` (the same object `vgp run` and
 * `runExperiment` drive, so the page cannot wire a model differently) and what the page needs from it,
 * gathered into `RunUpdate`s. Diagnosis and the decision boundary are recomputed on a timer, not every
 * step, so they cost little next to training.
 */
import type { Backend } from '@vgp/core';
import { type ExperimentConfig, ExperimentRun, PARAM_COL, type TaskData } from '@vgp/nn';
import { PLANE_TASKS } from '../state/options.js';
import type { RunSpec, SharedSettings } from '../state/state.js';
import { keepStride, MAX_CURVE_POINTS, MAX_HEAT_COLUMNS, smoothStep } from '../views/thinning.js';
import { boundaryView } from './boundary.js';
import { NetworkSampler } from './network-data.js';
import type { RunExport, RunUpdate } from './protocol.js';
import { StepLog } from './step-log.js';
import { gainView, histogramUpdate, layerRows, verdictViews, weightIndices } from './views.js';

/** Accuracy on the task's held-out test set, every EVAL_EVERY steps (and at step 1). */
const EVAL_EVERY = 20;
/** The monitor keeps this many records: diagnose looks at a recent window only. */
const MAX_RECORDS = 400;
const DIAGNOSE_MS = 500;
const BOUNDARY_MS = 800;
/** The norms of a step without a record. */
const NO_NORMS = new Float64Array(0);
/** Steps/s is measured over this sliding window. */
const RATE_WINDOW_MS = 1000;

export class RunSession {
  step = 0;
  stopped = false;
  private readonly run: ExperimentRun;
  /** Samples the units for the network view while the page shows it. */
  readonly network: NetworkSampler;
  private layerNames: string[] = [];
  private sentNames = false;
  private out = {
    steps: [] as number[],
    loss: [] as number[],
    lossSmooth: [] as number[],
    metric: [] as number[],
  };
  /** The last step's loss, moving average and metric (plain fields: set every step, read per update). */
  private lastLoss = Number.NaN;
  private lastSmooth: number | undefined;
  private lastMetric = Number.NaN;
  private heat = { columns: [] as number[][], steps: [] as number[] };
  /** Gradient histograms taken since the last update. */
  private hists: Parameters<typeof histogramUpdate>[0] = [];
  /** Every step, for the export. */
  private readonly log = new StepLog();
  /** Where each weight layer's matrix sits in a record's params (from the first record), and this step's norms. */
  private weights: number[] | null = null;
  private norms = new Float64Array(0);
  private times: number[] = [];
  private lastDiagnose = Number.NEGATIVE_INFINITY;
  private lastBoundary = Number.NEGATIVE_INFINITY;

  /** The run as `runExperiment` builds it from the same config (remedies applied, widths from the task, same seeds). */
  constructor(
    readonly index: number,
    readonly spec: RunSpec,
    readonly config: ExperimentConfig,
    private readonly shared: SharedSettings,
    private readonly data: TaskData,
    backend: Backend,
    private readonly now: () => number,
  ) {
    this.run = ExperimentRun.build(config, data, backend, {
      maxRecords: MAX_RECORDS,
      metricEvery: EVAL_EVERY,
      metricAtFirstStep: true,
    });
    const plane = PLANE_TASKS.includes(shared.task) ? { data: data.train, batch: shared.batchSize } : null;
    this.network = new NetworkSampler(this.run.model, now, plane);
  }

  trainStep(): void {
    this.network.beforeStep();
    // The capture reads this step's activations before a held-out check can overwrite them.
    const { step, loss, recorded } = this.run.step((s) => this.network.afterStep(s));
    this.step = step;
    // Per step only the weight layers' gradient norms are read, from the log where the monitor wrote
    // them (layerRows, per update, reads the newest record whole).
    let norms: Float64Array = NO_NORMS;
    if (recorded) {
      const log = this.run.log;
      const last = log.length - 1;
      if (this.weights === null) {
        const first = log.at(last);
        this.weights = weightIndices(first);
        this.norms = new Float64Array(this.weights.length);
        this.layerNames = layerRows(first).names;
      }
      norms = this.norms;
      for (let k = 0; k < this.weights.length; k++) {
        norms[k] = log.get(last, log.param(this.weights[k] as number) + PARAM_COL.gradNorm) ?? Number.NaN;
      }
      if (step % keepStride(step, MAX_HEAT_COLUMNS) === 0) {
        this.heat.columns.push(Array.from(norms));
        this.heat.steps.push(step);
      }
      const hists = log.gradHistograms(last);
      if (hists) this.hists.push({ step, hists });
    }
    const metric = this.run.latestMetric;
    const lossSmooth = smoothStep(this.lastSmooth, loss);
    this.lastLoss = loss;
    this.lastSmooth = lossSmooth;
    this.lastMetric = metric;
    if (step % keepStride(step, MAX_CURVE_POINTS) === 0) {
      this.out.steps.push(step);
      this.out.loss.push(loss);
      this.out.lossSmooth.push(lossSmooth);
      this.out.metric.push(metric);
    }
    this.log.push(step, loss, metric, norms);
    this.times.push(this.now());
    if (!Number.isFinite(loss)) this.stopped = true;
  }

  /** What changed since the last call; `final` forces the slow views (verdicts, boundary). */
  takeUpdate(final: boolean, budget: number): RunUpdate {
    const now = this.now();
    while (this.times.length > 0 && (this.times[0] as number) < now - RATE_WINDOW_MS) this.times.shift();
    const latest = this.run.lastRecord();
    const rows = latest ? layerRows(latest) : null;
    const update: RunUpdate = {
      index: this.index,
      step: this.step,
      stepsPerSecond: this.times.length / (RATE_WINDOW_MS / 1000),
      ...this.out,
      latest:
        this.lastSmooth === undefined
          ? null
          : { loss: this.lastLoss, lossSmooth: this.lastSmooth, metric: this.lastMetric },
      gradNorms: rows?.gradNorms ?? [],
      heatColumns: this.heat.columns,
      heatSteps: this.heat.steps,
      saturation: rows?.saturation ?? [],
      dead: rows?.dead ?? [],
      ...(rows?.timeNorms ? { timeNorms: rows.timeNorms } : {}),
    };
    // Before the boundary: both run forward passes, and the sample must be taken first.
    const network = this.network.take();
    if (network) update.network = network;
    if (!this.sentNames && this.layerNames.length > 0) {
      update.layerNames = this.layerNames;
      this.sentNames = true;
    }
    if (this.run.log.length > 0 && (final || now - this.lastDiagnose >= DIAGNOSE_MS)) {
      this.lastDiagnose = now;
      // One measurement: the verdicts and the gain card read the same figures `vgp` prints.
      const m = this.run.measures();
      update.verdicts = verdictViews(this.run.verdicts(m), this.layerNames);
      update.gain = gainView(m.depth);
    }
    if (
      PLANE_TASKS.includes(this.shared.task) &&
      (final || now - this.lastBoundary >= BOUNDARY_MS) &&
      !this.stopped
    ) {
      this.lastBoundary = now;
      update.boundary = boundaryView(this.run.model, this.data.train, this.shared.batchSize);
    }
    if (this.stopped) update.finished = 'diverged';
    else if (this.step >= budget) update.finished = 'budget';
    this.out = { steps: [], loss: [], lossSmooth: [], metric: [] };
    this.heat = { columns: [], steps: [] };
    const histograms = histogramUpdate(this.hists);
    if (histograms) update.histograms = histograms;
    this.hists = [];
    return update;
  }

  exportRun(): RunExport {
    const recorded = this.run.log.length > 0;
    const m = recorded ? this.run.measures() : null;
    return {
      label: this.spec.label,
      spec: this.spec,
      config: this.config,
      layerNames: this.layerNames,
      records: this.log.toRecords(),
      verdicts: m ? verdictViews(this.run.verdicts(m), this.layerNames) : [],
      gain: gainView(m?.depth ?? null) ?? null,
      history: this.run.history(),
    };
  }

  dispose(): void {
    this.network.dispose();
    this.run.dispose();
  }
}
