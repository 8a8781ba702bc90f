import { type Backend, type Buf, ConfigError } from '@vgp/core';
import type { Layer } from '../layer.js';
import { RecurrentLayer } from '../layers/recurrent/recurrent-layer.js';
import type { Param, Tensor } from '../tensor.js';
import { type WalkedLayer, walkLayers } from './layer-walk.js';
import type { GradientRecord, History, HistoryMeta, LayerStats, ParamStats } from './records.js';
import { NEAR_ZERO_WEIGHT } from './thresholds.js';

export interface MonitorOptions {
  /** Record every `every`-th step (default 1: every step). Steps in between cost one weight copy at most. */
  every?: number;
  /** Keep at most this many records in `history` (oldest dropped); default unlimited. */
  maxRecords?: number;
  /** Facts about the task that `diagnose` uses (loss floor, chance loss). */
  meta?: HistoryMeta;
}

/** What the training loop knows about a step and the model does not. */
export interface StepInfo {
  loss: number;
  metric?: number | null;
  /** The global gradient norm before clipping by norm (what `clipGradNorm` returns), when clipping ran. */
  preClipNorm?: number | null;
}

/**
 * Watches a model's gradients while it trains. Call `record(step, info)` once after every optimizer
 * step, in step order; every `every`-th call returns (and keeps) a `GradientRecord`, the others return null.
 *
 * All reductions run in backend kernels (`sumSquares`, `countNearZero`, `countSaturated`, ...). For the
 * update ratio ||W_after - W_before|| / ||W|| the monitor holds one copy buffer per parameter, allocated
 * here once: it copies the weights after the step *before* a recorded one and subtracts them from the
 * weights after the recorded step. So a steady-state step allocates no backend memory, and steps that
 * are not recorded and not followed by a recorded one cost nothing.
 */
export class GradientMonitor {
  readonly every: number;
  readonly history: History;
  private readonly backend: Backend;
  private readonly walked: WalkedLayer[];
  private readonly params: { param: Param; layer: string; before: Buf }[];
  private readonly maxRecords: number;
  /** Whether the copy buffers hold the weights from just before the next `record` call's step. */
  private snapshotFresh = true;
  private disposed = false;

  constructor(
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
    if (!(maxRecords >= 1))
      throw new ConfigError(`GradientMonitor: maxRecords must be >= 1, got ${maxRecords}`);
    this.every = every;
    this.maxRecords = maxRecords;
    this.backend = model.backend;
    this.walked = walkLayers(model);
    this.params = this.walked.flatMap((w) =>
      w.ownParams.map((param) => ({
        param,
        layer: w.layer.name,
        before: this.backend.alloc(param.value.size),
      })),
    );
    // The weights as they are now are the "before" of the first step recorded.
    for (const p of this.params) this.backend.copy(p.param.value.buf, p.before);
    this.history = { meta: { ...opts.meta }, records: [] };
  }

  /** Whether a call for `step` will produce a record. */
  records(step: number): boolean {
    return step % this.every === 0;
  }

  /** Call after the optimizer step of `step` (0-based). Returns the record when this step is sampled. */
  record(step: number, info: StepInfo): GradientRecord | null {
    if (this.disposed)
      throw new ConfigError('GradientMonitor: record() after dispose(); create a new monitor');
    let rec: GradientRecord | null = null;
    if (this.records(step)) {
      rec = this.measure(step, info);
      this.history.records.push(rec);
      if (this.history.records.length > this.maxRecords) this.history.records.shift();
    }
    // Keep a copy of the weights only when the next step is recorded: that copy is its "before".
    this.snapshotFresh = this.records(step + 1);
    if (this.snapshotFresh) for (const p of this.params) this.backend.copy(p.param.value.buf, p.before);
    return rec;
  }

  private measure(step: number, info: StepInfo): GradientRecord {
    const b = this.backend;
    let totalSq = 0;
    const params: ParamStats[] = this.params.map(({ param, layer, before }) => {
      const size = param.value.size;
      const gradSq = b.sumSquares(param.grad.buf);
      const weightSq = b.sumSquares(param.value.buf);
      totalSq += gradSq;
      let updateRatio: number | null = null;
      if (this.snapshotFresh) {
        b.axpby(1, param.value.buf, -1, before);
        // A zero tensor (a fresh bias) has no relative update: null, not Infinity.
        updateRatio = weightSq > 0 ? Math.sqrt(b.sumSquares(before) / weightSq) : null;
      }
      return {
        name: param.name,
        layer,
        role: param.role,
        shape: [...param.value.shape],
        gradNorm: Math.sqrt(gradSq),
        gradRms: Math.sqrt(gradSq / size),
        weightNorm: Math.sqrt(weightSq),
        updateRatio,
        nearZeroFrac: b.countNearZero(param.value.buf, NEAR_ZERO_WEIGHT) / size,
        nonFinite: nonFinite(b, param.grad, gradSq) + nonFinite(b, param.value, weightSq),
      };
    });
    const layers = this.walked.filter((w) => w.level >= 0).map((w) => this.layerStats(w));
    return {
      step,
      loss: info.loss,
      metric: info.metric ?? null,
      gradNormTotal: Math.sqrt(totalSq),
      preClipNorm: info.preClipNorm ?? null,
      params,
      layers,
    };
  }

  private layerStats({ layer, level, type, activation }: WalkedLayer): LayerStats {
    const b = this.backend;
    const out = layer.output;
    const grad = layer.inputGrad;
    const gradSq = grad ? b.sumSquares(grad.buf) : Number.NaN;
    const stats: LayerStats = {
      name: layer.name,
      type,
      activation,
      level,
      gradIn: grad ? Math.sqrt(gradSq) : null,
      actMean: null,
      actStd: null,
      saturatedFrac: null,
      deadFrac: null,
      nonFinite: grad ? nonFinite(b, grad, gradSq) : 0,
    };
    if (out && out.size > 0) {
      const n = out.size;
      const sum = b.sum(out.buf);
      const sq = b.sumSquares(out.buf);
      const mean = sum / n;
      stats.actMean = mean;
      // Var = E[x^2] - E[x]^2 in float64 sums; clamp the round-off below zero.
      stats.actStd = Math.sqrt(Math.max(0, sq / n - mean * mean));
      stats.nonFinite += nonFinite(b, out, sq);
      if (activation === 'sigmoid' || activation === 'tanh') {
        stats.saturatedFrac = b.countSaturated(activation, out.buf) / n;
      } else if (activation === 'relu') {
        const cols = out.shape[out.shape.length - 1] ?? 1;
        stats.deadFrac = b.countDeadUnits(out.buf, n / cols, cols) / cols;
      }
    }
    if (layer instanceof RecurrentLayer && layer.timeGradNorms.length > 0)
      stats.timeGradNorms = Array.from(layer.timeGradNorms);
    return stats;
  }

  /** Frees the copy buffers. The model is untouched. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.params) this.backend.free(p.before);
  }
}

/** NaN/Inf count of a tensor, given its sum of squares: a finite sum of squares proves there are none, saving a pass. */
function nonFinite(b: Backend, t: Tensor, sumSq: number): number {
  return Number.isFinite(sumSq) ? 0 : b.countNonFinite(t.buf);
}
