/**
 * What a `GradientMonitor` records. Every record is a plain object of numbers, strings and arrays, so
 * it can be posted from a Web Worker, written as JSON and read back by `diagnose` unchanged.
 * Non-finite numbers (a loss that became NaN) are kept as numbers here; `experiments/serialize.ts`
 * encodes them as the strings "NaN", "Infinity", "-Infinity" in JSON.
 */

/** Statistics of one trainable parameter at one step. */
export interface ParamStats {
  /** The parameter's name, e.g. `dense3.weight`. */
  name: string;
  /** Name of the leaf layer that owns it. */
  layer: string;
  /** `weight` (multiplies the input), `recurrent` (multiplies the previous hidden state), `bias`, `gain`, `shift`, ... */
  role: string;
  /** Shape of the value, e.g. `[in, out]` for a Dense weight. */
  shape: number[];
  /** ||dL/dW||_2 over the whole parameter. */
  gradNorm: number;
  /** ||dL/dW||_2 / sqrt(size): comparable between parameters of different sizes. */
  gradRms: number;
  /** ||W||_2. */
  weightNorm: number;
  /** ||W_after - W_before|| / ||W_before|| for this step's optimizer update; null when no update was seen. */
  updateRatio: number | null;
  /**
   * Fraction of entries with |w| below `NEAR_ZERO_WEIGHT`, for weight matrices on every
   * `NEAR_ZERO_EVERY`-th record (weights drift to zero over many steps); null otherwise.
   */
  nearZeroFrac: number | null;
  /** NaN or Infinity entries in the value plus in the gradient. */
  nonFinite: number;
}

/** Statistics of one layer (a node of the model tree) at one step. */
export interface LayerStats {
  /** The layer's name. */
  name: string;
  /** Its type: `Dense`, `Activation`, `BatchNorm`, `LayerNorm`, `Dropout`, `Residual`, `Sequential`, `RNN`, `LSTM`, `GRU`, ... */
  type: string;
  /** The activation function for `Activation` layers (and the cell nonlinearity of a plain RNN), else null. */
  activation: string | null;
  /** 0 for the model's direct children (the depth boundaries), 1 for their children, ... */
  level: number;
  /**
   * ||dL/dh||_2 at the layer's input boundary (the backward signal): measured at the model-level
   * boundaries where a hidden state enters a layer (not inside blocks, not at an activation's input,
   * which is the same signal one elementwise factor later); null elsewhere and before the first backward.
   */
  gradIn: number | null;
  /** Mean and standard deviation of the layer's last output (over at most 32 examples of the batch). */
  actMean: number | null;
  /** Standard deviation of the layer's last output (see `actMean`). */
  actStd: number | null;
  /** Fraction of saturated outputs (sigmoid < 0.01 or > 0.99, |tanh| > 0.99); null for other kinds. */
  saturatedFrac: number | null;
  /** Fraction of units (columns) that are zero on the whole batch, for ReLU outputs; null for other kinds. */
  deadFrac: number | null;
  /** NaN or Infinity entries in the output plus in the input gradient. */
  nonFinite: number;
  /** ||dL/dh_t||_2 for t = 1..T (recurrent layers only). */
  timeGradNorms?: number[];
}

/** Everything recorded at one training step. */
export interface GradientRecord {
  /** The step number the training loop passed to `record` (the `Trainer` counts updates from 1). */
  step: number;
  /** The step's training loss. */
  loss: number;
  /** The task's metric (accuracy for classification), or null. */
  metric: number | null;
  /** ||g||_2 over all parameters together, as the optimizer saw them. */
  gradNormTotal: number;
  /** Global gradient norm before clipping, when clipping by norm was applied; else null. */
  preClipNorm: number | null;
  /** Statistics of every trainable parameter, in model order. */
  params: ParamStats[];
  /** Statistics of every layer, in forward order (containers before their children). */
  layers: LayerStats[];
  /**
   * Histograms of log10|g| of every weight and recurrent matrix's gradient, in model order, on every
   * `histogramEvery`-th record of a `GradientMonitor` (the first one included); absent on the others.
   */
  gradHistograms?: GradHistogram[];
}

/**
 * How the entries of one weight gradient spread over orders of magnitude, as TensorBoard's and W&B's
 * histograms draw them over training: `counts[i]` entries have log10|g| in
 * [minExp + i * width, minExp + (i + 1) * width), width = (maxExp - minExp) / counts.length. Bin 0 also
 * holds every smaller magnitude (exact zeros included), the last bin every larger one; NaN and
 * Infinity are not counted (`ParamStats.nonFinite` counts them).
 */
export interface GradHistogram {
  /** The parameter's name, e.g. `dense3.weight`. */
  name: string;
  /** Name of the leaf layer that owns it. */
  layer: string;
  /** `weight` or `recurrent`. */
  role: string;
  /** log10 of the lower edge of bin 0. */
  minExp: number;
  /** log10 of the upper edge of the last bin. */
  maxExp: number;
  /** Entries per bin (they sum to the finite entries of the gradient). */
  counts: number[];
}

/** Facts about a run that diagnosis needs besides the records. */
export interface HistoryMeta {
  /** The loss a perfect model reaches (0 for MSE and cross-entropy on separable data). */
  lossFloor?: number;
  /** The loss of the best constant prediction (e.g. ln(classes) for cross-entropy): "not learning" level. */
  chanceLoss?: number;
  /** A label for reports. */
  label?: string;
}

/** The records of one run, in step order. */
export interface History {
  /** Facts about the task that diagnosis uses. */
  meta: HistoryMeta;
  /** One record per recorded step, oldest first. */
  records: GradientRecord[];
}
