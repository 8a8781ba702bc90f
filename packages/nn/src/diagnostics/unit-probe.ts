import { ConfigError, type Floats } from '@vgp/core';
import type { Layer } from '../layer.js';
import { RecurrentLayer } from '../layers/recurrent/recurrent-layer.js';
import type { Param, Tensor } from '../tensor.js';
import { type UnitLayer, type UnitStage, unitStages } from './unit-layers.js';
import {
  columnMeans,
  columnNorms,
  columnStats,
  edgeNorms,
  topUnits,
  type UnitHistogram,
} from './unit-stats.js';

/** Options of a {@link UnitProbe}. */
export interface UnitProbeOptions {
  /** Neurons picked per column, those with the largest |dL/da| (default 8, what a drawing can show). */
  top?: number;
  /** Histogram bins per unit (default 12; 0 for none, e.g. when a view draws maps instead). */
  bins?: number;
}

/** Edge values between the shown units of two columns, row-major `[from.length, to.length]`. */
export interface UnitEdges {
  from: number[];
  to: number[];
  /** |w| (an LSTM/GRU edge: the norm over its gates' weights). */
  weight: Float64Array;
  /** |dL/dw| of the last backward. */
  grad: Float64Array;
  /** |w_after - w_before| / |w_after| of the step after `arm()`; null when not armed (or w = 0: NaN). */
  update: Float64Array | null;
}

/** One column of neurons at one step. Per-unit arrays have one entry per unit of the column. */
export interface UnitSample extends UnitLayer {
  /** ||dL/da_j||_2 over the batch (and, for a recurrent column seen through `arm`, over time); null when unknown. */
  grad: Float64Array | null;
  /** The mean of `grad` over every unit of the column (not only the shown ones). */
  meanGrad: number | null;
  /** Mean and std of each unit's activation over the batch (null for the input column). */
  actMean: Float64Array | null;
  actStd: Float64Array | null;
  /** Fraction of the batch in the flat tails, per unit (sigmoid/tanh columns only). */
  saturated: Float64Array | null;
  /** 1 for a ReLU unit that is zero on the whole batch (ReLU columns only). */
  dead: Uint8Array | null;
  hist: UnitHistogram | null;
  /** The `top` units with the largest |dL/da|, in unit order. */
  shown: number[];
  /** From the previous column's shown units to these (null for the input). */
  edges: UnitEdges | null;
  /** Recurrent columns: hidden-to-hidden edges among the shown units. */
  recurrentEdges: UnitEdges | null;
  /** Recurrent columns seen through `arm`: per time step t, per unit ||dL/dh_t|| and mean h_t. */
  time: { grad: Float64Array[]; actMean: Float64Array[] } | null;
}

/** What `capture` returns: every column, input first. Plain data: it can be posted from a worker. */
export interface UnitSnapshot {
  layers: UnitSample[];
}

/** Options of one `capture`. */
export interface CaptureOptions {
  /** dL/d(output) of the step (the loss gradient), which no layer keeps; without it the output column has no gradient. */
  outputGrad?: Tensor;
}

/**
 * Per-unit numbers of a network for the network view: |dL/da| per neuron, activation statistics, and
 * |w|, |dL/dw| and the update ratio of the edges between the neurons drawn. It reads the buffers the
 * layers keep after a step (outputs, input gradients, parameters), so it costs nothing until called:
 * a closed view calls nothing. To sample, call `arm()` just before a training step (it copies the
 * weight matrices, for the update ratios, and listens to the recurrent layers' dL/dh_t) and
 * `capture()` just after it, before any other forward pass overwrites the outputs.
 */
export class UnitProbe {
  /** The columns, input first. */
  readonly layers: UnitLayer[];
  private readonly stages: UnitStage[];
  private readonly top: number;
  private readonly bins: number;
  private before: Map<Param, Floats> | null = null;
  private timeGrads = new Map<UnitStage, Float64Array[]>();

  constructor(
    readonly model: Layer,
    opts: UnitProbeOptions = {},
  ) {
    const top = opts.top ?? 8;
    const bins = opts.bins ?? 12;
    if (!(Number.isInteger(top) && top >= 1))
      throw new ConfigError(`UnitProbe: top must be an integer >= 1 (neurons shown per column), got ${top}`);
    if (!(Number.isInteger(bins) && bins >= 0))
      throw new ConfigError(`UnitProbe: bins must be an integer >= 0 (0: no histograms), got ${bins}`);
    this.top = top;
    this.bins = bins;
    this.stages = unitStages(model);
    if (this.stages.length === 0)
      throw new ConfigError(
        `UnitProbe: ${model.name} has no Dense, recurrent or residual layer to draw neurons for`,
      );
    this.layers = this.stages.map((s) => ({ ...s.info }));
  }

  /** Prepares the next step's capture: copies the weights and listens to dL/dh_t of recurrent layers. */
  arm(): void {
    this.disarm();
    this.before = new Map();
    for (const s of this.stages) {
      for (const p of [s.weight, s.recurrent]) if (p) this.before.set(p, p.value.read());
      const layer = s.entry;
      if (layer instanceof RecurrentLayer) {
        const grads: Float64Array[] = [];
        this.timeGrads.set(s, grads);
        layer.onTimeGrad = (t, dh) => {
          grads[t] = columnNorms(dh.read(), dh.size / layer.hidden, layer.hidden);
        };
      }
    }
  }

  /** The per-unit numbers of the last step (see the class comment for when to call it). */
  capture(opts: CaptureOptions = {}): UnitSnapshot {
    const samples: UnitSample[] = [];
    this.stages.forEach((s, i) => {
      const next = this.stages[i + 1];
      const gradT = next ? next.entry?.inputGrad : opts.outputGrad;
      samples.push(this.sample(s, gradT ?? null, samples[i - 1] ?? null));
    });
    this.disarm();
    return { layers: samples };
  }

  /**
   * Runs the model on `x` in inference mode and returns a copy of every column's output (`x` itself
   * for the input), e.g. each neuron's activation over a grid of the input plane. Overwrites the
   * layers' outputs: call it after `capture`.
   */
  activationsAt(x: Tensor): Floats[] {
    this.model.forward(x, { training: false });
    return this.stages.map((s) => (s.exit?.output ?? x).read());
  }

  /** Stops listening to the recurrent layers. The model is untouched. */
  dispose(): void {
    this.disarm();
  }

  private disarm(): void {
    for (const s of this.stages) if (s.entry instanceof RecurrentLayer) s.entry.onTimeGrad = null;
    this.timeGrads = new Map();
    this.before = null;
  }

  private sample(s: UnitStage, gradT: Tensor | null, prev: UnitSample | null): UnitSample {
    const units = s.info.units;
    const times = this.timeGrads.get(s);
    let grad: Float64Array | null = null;
    if (times && times.length > 0) {
      grad = new Float64Array(units);
      for (const g of times) for (let j = 0; j < units; j++) grad[j] = (grad[j] as number) + (g[j] ?? 0) ** 2;
      for (let j = 0; j < units; j++) grad[j] = Math.sqrt(grad[j] as number);
    } else if (gradT) {
      grad = columnNorms(gradT.read(), gradT.size / units, units);
    }
    const out = s.exit?.output ?? null;
    const act = out ? columnStats(out.read(), out.size / units, units, s.info.activation, this.bins) : null;
    const shown = topUnits(grad, units, this.top);
    let time: UnitSample['time'] = null;
    const states = s.entry instanceof RecurrentLayer ? s.entry.states : null;
    if (times && times.length > 0 && states) {
      const [steps = 1, batch = 1] = states.shape;
      const h = states.read();
      const actMean = Array.from({ length: steps }, (_, t) =>
        columnMeans(h, batch, units, t * batch * units),
      );
      time = { grad: times, actMean };
    }
    return {
      ...s.info,
      grad,
      meanGrad: grad ? mean(grad) : null,
      actMean: act?.mean ?? null,
      actStd: act?.std ?? null,
      saturated: act?.saturated ?? null,
      dead: act?.dead ?? null,
      hist: this.bins > 0 ? (act?.hist ?? null) : null,
      shown,
      edges: prev && s.weight ? this.edges(s, s.weight, prev.shown, shown) : null,
      recurrentEdges: s.recurrent ? this.edges(s, s.recurrent, shown, shown) : null,
      time,
    };
  }

  private edges(s: UnitStage, p: Param, from: number[], to: number[]): UnitEdges {
    const units = s.info.units;
    const w = p.value.read();
    const weight = edgeNorms(w, units, s.gates, from, to);
    const grad = edgeNorms(p.grad.read(), units, s.gates, from, to);
    const old = this.before?.get(p);
    let update: Float64Array | null = null;
    if (old) {
      const diff = w.map((v, i) => v - (old[i] as number));
      update = edgeNorms(diff, units, s.gates, from, to).map((d, k) => d / (weight[k] as number));
    }
    return { from, to, weight, grad, update };
  }
}

function mean(xs: Float64Array): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
