import { type Backend, type Buf, ConfigError } from '@vgp/core';
import type { Layer } from '../layer.js';
import { RecurrentLayer } from '../layers/recurrent/recurrent-layer.js';
import type { Param, Tensor } from '../tensor.js';
import type { Optimizer } from '../training/optimizer.js';
import { GRAD_HIST_BINS, gradHistograms, HISTOGRAM_EVERY } from './grad-histogram.js';
import { type WalkedLayer, walkLayers } from './layer-walk.js';
import { LAYER_COL, PARAM_COL, RECORD_COL, RecordLog } from './record-log.js';
import { historyOf } from './record-range.js';
import type { GradientRecord, History, HistoryMeta } from './records.js';
import { NEAR_ZERO_EVERY, NEAR_ZERO_WEIGHT } from './thresholds.js';

/** Options of a {@link GradientMonitor}: how often to record, how much to keep, and what it may use. */
export interface MonitorOptions {
  /** Record every `every`-th step (default 1: every step). Steps in between cost one weight copy at most. */
  every?: number;
  /** Keep at most this many records in `history` (oldest dropped); default unlimited. */
  maxRecords?: number;
  /** Facts about the task that `diagnose` uses (loss floor, chance loss). */
  meta?: HistoryMeta;
  /**
   * The optimizer that updates the model, when known. It lets the monitor measure update ratios without
   * a weight copy: plain SGD moves W by exactly lr * g, momentum SGD by lr * v. Without it (or for
   * other rules) the monitor keeps one copy buffer per weight matrix.
   */
  optimizer?: Optimizer;
  /**
   * Take histograms of log10|g| of every weight gradient on every n-th record, the first included
   * (default `HISTOGRAM_EVERY`); 0 takes none.
   */
  histogramEvery?: number;
}

/** How a weight matrix's update norm ||W_after - W_before|| is measured. */
type UpdateMode = 'sgd' | 'velocity' | 'snapshot';

interface Tracked {
  param: Param;
  layer: string;
  /** Weight and recurrent matrices get every statistic; biases and norm gains/shifts only their norms. */
  matrix: boolean;
  /** 'snapshot' mode: the copy of W from before the step being recorded. */
  before: Buf | null;
  /** 'velocity' mode: the optimizer's momentum buffer v, whose lr * v is the update. */
  velocity: Buf | null;
}

/** What the training loop knows about a step and the model does not. */
export interface StepInfo {
  /** The step's training loss. */
  loss: number;
  /** The task's metric at this step (accuracy for classification), if measured. */
  metric?: number | null;
  /** The global gradient norm before clipping by norm (what `clipGradNorm` returns), when clipping ran. */
  preClipNorm?: number | null;
}

/**
 * Watches a model's gradients while it trains. Call `record(step, info)` once after every optimizer
 * step, in step order; every `every`-th call returns (and keeps) a `GradientRecord`, the others return null.
 *
 * All reductions run in backend kernels, one pass per buffer: `paramStats` reads a parameter's
 * weights, gradient and copy together, `moments` an activation's sum, squares and saturation. The
 * update ratio ||W_after - W_before|| / ||W_after|| needs no copy when the monitor knows the optimizer
 * and it is plain SGD (the update is lr * g) or momentum SGD (lr * v). Otherwise the monitor holds one
 * copy buffer per weight matrix, allocated here once: it copies the weights after the step *before* a
 * recorded one and subtracts them from the weights after the recorded step. Either way a steady-state
 * step allocates no backend memory, and steps that are not recorded (nor followed by one) cost nothing.
 */
export class GradientMonitor {
  /** Every `every`-th `record` call takes a record. */
  readonly every: number;
  /** Every `histogramEvery`-th record carries `gradHistograms` (0: none). */
  readonly histogramEvery: number;
  /**
   * The records taken so far (at most `maxRecords`, oldest dropped first). `history.records` is read
   * from the monitor's `RecordLog` whenever it is read: it always holds every record taken.
   */
  readonly history: History;
  /** The records' numbers, as diagnosis reads them; `history.records` makes the records from it. */
  readonly log: RecordLog;
  private readonly backend: Backend;
  private readonly walked: WalkedLayer[];
  /** The layers that get a `LayerStats` (all but a wrapper that owns parameters directly). */
  private readonly layers: WalkedLayer[];
  private readonly params: Tracked[];
  private readonly mode: UpdateMode;
  private readonly optimizer: Optimizer | null;
  /** Whether the copy buffers hold the weights from just before the next `record` call's step. */
  private snapshotFresh = true;
  /** The results of one `paramStats` or `moments` call (reused: recording allocates no arrays). */
  private readonly out = new Float64Array(4);
  /** Each parameter's ||g||^2 of the record being taken, summed in parameter order afterwards. */
  private readonly gradSqs: Float64Array;
  /** Each layer's last activation mean: the shift of its next `moments` (see `layerStats`). */
  private readonly actShift: Float64Array;
  /** Each layer's view of the first SAMPLE_ROWS rows of its output, and the buffer it views (kept: a view a record was garbage). */
  private readonly samples: Array<{ of: Buf; view: Buf } | undefined> = [];
  /** The bins of one gradient histogram (one buffer, filled and read per weight matrix). */
  private readonly bins: Buf | null;
  private disposed = false;
  private measured = 0;

  constructor(
    /** The model watched. */
    readonly model: Layer,
    opts: MonitorOptions = {},
  ) {
    const every = opts.every ?? 1;
    if (!(Number.isInteger(every) && every >= 1)) {
      throw new ConfigError(
        `GradientMonitor: every must be an integer >= 1 (record every n-th step), got ${every}`,
      );
    }
    const maxRecords = opts.maxRecords ?? Number.POSITIVE_INFINITY;
    if (!(maxRecords === Number.POSITIVE_INFINITY || (Number.isInteger(maxRecords) && maxRecords >= 1))) {
      throw new ConfigError(
        `GradientMonitor: maxRecords must be an integer >= 1 (or omitted: keep every record), got ${maxRecords}`,
      );
    }
    const histogramEvery = opts.histogramEvery ?? HISTOGRAM_EVERY;
    if (!(Number.isInteger(histogramEvery) && histogramEvery >= 0)) {
      throw new ConfigError(
        `GradientMonitor: histogramEvery must be an integer >= 0 (0: no gradient histograms), got ${histogramEvery}`,
      );
    }
    this.every = every;
    this.histogramEvery = histogramEvery;
    this.backend = model.backend;
    this.walked = walkLayers(model);
    this.layers = this.walked.filter((w) => w.level >= 0);
    this.optimizer = opts.optimizer ?? null;
    const o = this.optimizer;
    this.mode =
      o?.kind === 'sgd' && o.weightDecay === 0 ? 'sgd' : o?.kind === 'momentum' ? 'velocity' : 'snapshot';
    this.params = this.walked.flatMap((w) =>
      w.ownParams.map((param) => {
        const matrix = param.role === 'weight' || param.role === 'recurrent';
        return {
          param,
          layer: w.layer.name,
          matrix,
          before: matrix && this.mode === 'snapshot' ? this.backend.alloc(param.value.size) : null,
          velocity: matrix && this.mode === 'velocity' ? (o?.stateOf(param)[0] ?? null) : null,
        };
      }),
    );
    // The weights as they are now are the "before" of the first step recorded.
    for (const p of this.params) if (p.before) this.backend.copy(p.param.value.buf, p.before);
    this.gradSqs = new Float64Array(this.params.length);
    this.bins = histogramEvery > 0 ? this.backend.alloc(GRAD_HIST_BINS) : null;
    this.actShift = new Float64Array(this.layers.length);
    this.log = new RecordLog(
      this.params.map(({ param, layer }) => ({
        name: param.name,
        layer,
        role: param.role,
        shape: [...param.value.shape],
      })),
      this.layers.map(({ layer, type, activation, level }) => ({
        name: layer.name,
        type,
        activation,
        level,
      })),
      { ...opts.meta },
      maxRecords,
    );
    this.history = historyOf(this.log);
  }

  /** Sets the metric of the latest record (measured after it, e.g. a held-out accuracy). */
  setMetric(metric: number | null): void {
    if (this.log.length === 0) throw new ConfigError('GradientMonitor: setMetric() before any record');
    this.log.setMetric(this.log.length - 1, metric);
  }

  /** Whether a call for `step` will produce a record. */
  records(step: number): boolean {
    return step % this.every === 0;
  }

  /**
   * Call after the optimizer step of `step` (0-based). When this step is sampled, takes its record into
   * `log` and returns it as a `GradientRecord` (made for the caller: see `take` to skip that).
   */
  record(step: number, info: StepInfo): GradientRecord | null {
    return this.take(step, info) ? this.log.last() : null;
  }

  /**
   * `record` without making the `GradientRecord`: the numbers go into `log` only, and the return says
   * whether this step was sampled. What a training loop that reads the log later calls.
   */
  take(step: number, info: StepInfo): boolean {
    if (this.disposed)
      throw new ConfigError('GradientMonitor: record() or take() after dispose(); create a new monitor');
    const sampled = this.records(step);
    // A measure with fresh copies also refreshes them (paramStats copies W as it reads it).
    const copied = sampled && this.snapshotFresh;
    if (sampled) {
      this.log.append();
      this.measure(step, info);
    }
    // Keep a copy of the weights only when the next step is recorded: that copy is its "before".
    this.snapshotFresh = this.records(step + 1);
    if (this.snapshotFresh && !copied)
      for (const p of this.params) if (p.before) this.backend.copy(p.param.value.buf, p.before);
    return sampled;
  }

  /** Fills the log's newest row with this step's numbers. */
  private measure(step: number, info: StepInfo): void {
    const b = this.backend;
    const log = this.log;
    const out = this.out;
    let totalSq = 0;
    const lr = this.optimizer?.lr ?? Number.NaN;
    const histograms = this.histogramEvery > 0 && this.measured % this.histogramEvery === 0;
    const countZeros = this.measured++ % NEAR_ZERO_EVERY === 0;
    // Last parameter first: the optimizer updated them in order, so the last ones are still in cache.
    for (let i = this.params.length - 1; i >= 0; i--) {
      const { param, matrix, before, velocity } = this.params[i] as Tracked;
      const size = param.value.size;
      // One pass: ||W||^2, ||g||^2, ||W - before||^2 (refreshing the copy), near-zero weights.
      const prev = before && this.snapshotFresh ? before : null;
      b.paramStats(param.value.buf, param.grad.buf, prev, matrix && countZeros ? NEAR_ZERO_WEIGHT : 0, out);
      const weightSq = out[0];
      const gradSq = out[1];
      const diffSq = out[2];
      const nearZero = out[3];
      this.gradSqs[i] = gradSq;
      let updateSq = Number.NaN;
      if (matrix && this.mode === 'sgd') updateSq = lr * lr * gradSq;
      else if (velocity) {
        b.moments(velocity, 0, null, out);
        updateSq = lr * lr * out[1];
      } else if (prev) updateSq = diffSq;
      const o = log.param(i);
      log.set(o + PARAM_COL.gradNorm, Math.sqrt(gradSq));
      log.set(o + PARAM_COL.gradRms, Math.sqrt(gradSq / size));
      log.set(o + PARAM_COL.weightNorm, Math.sqrt(weightSq));
      // Relative to W after the step; null for a zero matrix, for vectors, or with no update seen.
      log.set(
        o + PARAM_COL.updateRatio,
        Number.isNaN(updateSq) || !(weightSq > 0) ? null : Math.sqrt(updateSq / weightSq),
      );
      // Biases start at zero: a near-zero count says nothing about them.
      log.set(o + PARAM_COL.nearZeroFrac, matrix && countZeros ? nearZero / size : null);
      log.set(
        o + PARAM_COL.nonFinite,
        nonFinite(b, param.grad, gradSq) + nonFinite(b, param.value, weightSq),
      );
    }
    // In parameter order, as clipGradNorm adds them: on the TS backend, whose paramStats and sumSquares
    // sum alike, the total is then its pre-clip norm bit for bit (WASM: to ~1e-7, f32 block sums).
    for (const sq of this.gradSqs) totalSq += sq;
    for (let j = 0; j < this.layers.length; j++) this.layerStats(j);
    log.set(RECORD_COL.step, step);
    log.set(RECORD_COL.loss, info.loss);
    log.set(RECORD_COL.metric, info.metric ?? null);
    log.set(RECORD_COL.gradNormTotal, Math.sqrt(totalSq));
    log.set(RECORD_COL.preClipNorm, info.preClipNorm ?? null);
    if (histograms) {
      const matrices = this.params.filter((p) => p.matrix);
      log.setGradHistograms(gradHistograms(this.backend, this.bins as Buf, matrices));
    }
  }

  /** Fills layer `index`'s columns of the log's newest row. */
  private layerStats(index: number): void {
    const { layer, level, type, activation } = this.layers[index] as WalkedLayer;
    const b = this.backend;
    const out = layer.output;
    const grad = layer.inputGrad;
    const log = this.log;
    const o = log.layer(index);
    const boundary = level === 0 && type !== 'Activation' && type !== 'Dropout';
    let gradIn: number | null = null;
    let bad = 0;
    if (grad && boundary) {
      b.moments(grad.buf, 0, null, this.out);
      const gradSq = this.out[1];
      gradIn = Math.sqrt(gradSq);
      bad = nonFinite(b, grad, gradSq);
    }
    let actMean: number | null = null;
    let actStd: number | null = null;
    let saturatedFrac: number | null = null;
    let deadFrac: number | null = null;
    // A Dense output is the next layer's input and a container's is its last child's: measuring them
    // again would double the cost for no new fact.
    if (out && out.size > 0 && !SKIP_OUTPUT.has(type)) {
      const cols = out.shape[out.shape.length - 1] ?? 1;
      // Mean, std and saturation of a [batch, units] output from its first SAMPLE_ROWS examples:
      // batches are shuffled, so they are a random sample, and the three passes cost half as much at
      // batch 64. Dead units need every example (zero on the whole batch), and sequences every step.
      const rows = out.rank === 2 ? Math.min(out.shape[0] ?? 0, SAMPLE_ROWS) : out.size / cols;
      const sample = rows * cols === out.size ? out.buf : this.sampleOf(index, out.buf, rows * cols);
      const n = sample.length;
      const saturating = activation === 'sigmoid' || activation === 'tanh' ? activation : null;
      // One pass: sums of x - c and (x - c)^2 and the saturated count, with c this layer's last mean.
      // Var = E[(x-c)^2] - E[x-c]^2 keeps the spread when it is small beside |mean - c|, and the mean
      // moves little from record to record; when c was far off (the first record), measure again
      // around the mean just found.
      let shift = this.actShift[index] as number;
      b.moments(sample, shift, saturating, this.out);
      let d = this.out[0] / n;
      let v = this.out[1] / n - d * d;
      if (d * d > SHIFT_FAR * v && Number.isFinite(d)) {
        shift += d;
        b.moments(sample, shift, saturating, this.out);
        d = this.out[0] / n;
        v = this.out[1] / n - d * d;
      }
      const sq = this.out[1];
      const saturated = this.out[2];
      const mean = shift + d;
      this.actShift[index] = Number.isFinite(mean) ? mean : 0;
      actMean = mean;
      // Clamp the round-off below zero.
      actStd = Math.sqrt(Math.max(0, v));
      bad += Number.isFinite(sq) ? 0 : b.countNonFinite(sample);
      if (saturating) {
        saturatedFrac = saturated / n;
      } else if (activation === 'relu') {
        deadFrac = b.countDeadUnits(out.buf, out.size / cols, cols) / cols;
      }
    }
    log.set(o + LAYER_COL.gradIn, gradIn);
    log.set(o + LAYER_COL.actMean, actMean);
    log.set(o + LAYER_COL.actStd, actStd);
    log.set(o + LAYER_COL.saturatedFrac, saturatedFrac);
    log.set(o + LAYER_COL.deadFrac, deadFrac);
    log.set(o + LAYER_COL.nonFinite, bad);
    if (layer instanceof RecurrentLayer && layer.timeGradNorms.length > 0)
      log.setTimeGradNorms(index, Array.from(layer.timeGradNorms));
  }

  /** The view of `buf`'s first `length` floats that layer `index` measures, made once while `buf` stays the same. */
  private sampleOf(index: number, buf: Buf, length: number): Buf {
    const s = this.samples[index];
    if (s !== undefined && s.of === buf && s.view.length === length) return s.view;
    const view = this.backend.view(buf, 0, length);
    this.samples[index] = { of: buf, view };
    return view;
  }

  /** Frees the copy buffers. The model is untouched. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.params) if (p.before) this.backend.free(p.before);
    if (this.bins) this.backend.free(this.bins);
  }
}

const SKIP_OUTPUT = new Set(['Dense', 'Dropout', 'Sequential']);

/**
 * An activation's moments are measured again around the mean when the shift was off by more than
 * sqrt(SHIFT_FAR) standard deviations: the variance then cancels at most 3 of the ~7 digits the f32
 * block sums carry, leaving the std good to ~1e-4.
 */
const SHIFT_FAR = 1e3;

/** Activation statistics use at most this many examples of a batch (see `layerStats`). */
export const SAMPLE_ROWS = 32;

/** NaN/Inf count of a tensor, given its sum of squares: a finite sum of squares proves there are none, saving a pass. */
function nonFinite(b: Backend, t: Tensor, sumSq: number): number {
  return Number.isFinite(sumSq) ? 0 : b.countNonFinite(t.buf);
}
