import { ConfigError, type Floats, ShapeError } from '@vgp/core';
import type { Layer } from '../layer.js';
import { LOSSES, type LossName } from '../layers/losses/index.js';
import { type Dataset, gatherInto, sampleCount, validateDataset } from '../tasks/dataset.js';
import { Tensor } from '../tensor.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Default: softmaxCrossEntropy for labels with a multi-output model, bceWithLogits for labels with one output, else mse. */
  loss?: LossName;
  /** Samples per forward pass (default 256, or fewer if the data has fewer). */
  batchSize?: number;
}

/** The scores {@link evaluate} returns. */
export interface Evaluation {
  /** Mean loss per sample (per element for mse and bce, per row for softmax cross-entropy), as the training loss. */
  loss: number;
  /** Fraction of correct predictions (per time step for per-step labels); only for data with class labels. */
  accuracy?: number;
  /** Number of samples scored (every sample of the dataset, none dropped). */
  samples: number;
}

/**
 * Runs the model in inference mode over every sample and scores it. The last batch is padded to the
 * batch size (padding rows ignored), so the model sees one shape throughout and allocates nothing new
 * after the first batch. Scores are computed here in float64 from the outputs, per row.
 */
export function evaluate(model: Layer, data: Dataset, opts: EvaluateOptions = {}): Evaluation {
  validateDataset(data);
  const n = sampleCount(data);
  const b = Math.min(opts.batchSize ?? 256, n);
  if (!(Number.isInteger(b) && b >= 1))
    throw new ConfigError(`evaluate: batchSize must be a positive integer, got ${b}`);
  const seq = data.xShape.length === 3;
  const xShape = [...data.xShape];
  xShape[seq ? 1 : 0] = b;
  const x = Tensor.zeros(model.backend, xShape);
  const xStage = new Float32Array(x.size);
  const yPer = data.y.length / n;
  const yStage = new Float32Array(yPer * b);
  const index = new Int32Array(b);
  let loss: LossName | undefined = opts.loss;
  if (loss !== undefined && !(LOSSES as readonly string[]).includes(loss)) {
    throw new ConfigError(`unknown loss '${loss}'; use one of ${LOSSES.join(', ')}`);
  }
  const acc: Score = { lossSum: 0, lossCount: 0, correct: 0, judged: 0 };
  try {
    for (let start = 0; start < n; start += b) {
      const real = Math.min(b, n - start);
      // Pad with copies of the last sample; their outputs are skipped below.
      for (let j = 0; j < b; j++) index[j] = start + Math.min(j, real - 1);
      gatherInto(data.x, data.xShape, index, xStage);
      gatherInto(data.y, data.yShape, index, yStage);
      model.backend.write(x.buf, xStage);
      const out = model.forward(x, { training: false });
      const width = out.shape[out.rank - 1];
      const rowsPerSample = out.size / width / b;
      loss ??= data.classes === undefined ? 'mse' : width === 1 ? 'bceWithLogits' : 'softmaxCrossEntropy';
      const targetWidth = loss === 'softmaxCrossEntropy' && data.classes !== undefined ? 1 : width;
      if (yStage.length !== b * rowsPerSample * targetWidth) {
        throw new ShapeError(
          `evaluate: the model outputs [${out.shape.join(', ')}] but '${data.name}' has targets [${data.yShape.join(', ')}]; match the model's output to the task`,
        );
      }
      const o = out.read();
      // Rows are time-major for sequences ([T, b, width]): row r belongs to sample r % b.
      for (let r = 0; r < b * rowsPerSample; r++) {
        if (r % b >= real) continue;
        scoreRow(acc, loss, o, r, width, yStage, data.classes);
      }
    }
  } finally {
    x.dispose();
  }
  const result: Evaluation = { loss: acc.lossSum / acc.lossCount, samples: n };
  if (data.classes !== undefined) result.accuracy = acc.correct / acc.judged;
  return result;
}

/** What `evaluate` adds up over the rows (one object per call: an object per row was garbage). */
interface Score {
  lossSum: number;
  lossCount: number;
  correct: number;
  judged: number;
}

/** Adds output row r's loss (summed over its elements), element count and, when judged, correctness to `acc`. */
function scoreRow(
  acc: Score,
  loss: LossName,
  o: Floats,
  r: number,
  width: number,
  y: Float32Array,
  classes: number | undefined,
): void {
  const at = r * width;
  if (loss === 'softmaxCrossEntropy') {
    let max = Number.NEGATIVE_INFINITY;
    let arg = 0;
    for (let c = 0; c < width; c++) {
      // Not `[max, arg] = [v, c]`: that builds an array and runs its iterator for every class.
      const v = o[at + c] as number;
      if (v > max) {
        max = v;
        arg = c;
      }
    }
    let z = 0;
    for (let c = 0; c < width; c++) z += Math.exp(o[at + c] - max);
    const logZ = max + Math.log(z);
    if (classes !== undefined) {
      const label = y[r];
      add(acc, logZ - o[at + label], 1, arg === label);
      return;
    }
    let l = 0;
    for (let c = 0; c < width; c++) l -= y[at + c] * (o[at + c] - logZ);
    add(acc, l, 1, null);
    return;
  }
  let l = 0;
  for (let c = 0; c < width; c++) {
    const p = o[at + c];
    const t = y[at + c];
    // BCE on logits in its stable form: max(z, 0) - z t + log(1 + e^-|z|).
    l += loss === 'mse' ? (p - t) ** 2 : Math.max(p, 0) - p * t + Math.log1p(Math.exp(-Math.abs(p)));
  }
  const correct =
    classes !== undefined && width === 1 ? (o[at] > (loss === 'mse' ? 0.5 : 0) ? 1 : 0) === y[r] : null;
  add(acc, l, width, correct);
}

function add(acc: Score, loss: number, count: number, correct: boolean | null): void {
  acc.lossSum += loss;
  acc.lossCount += count;
  if (correct !== null) {
    acc.correct += correct ? 1 : 0;
    acc.judged++;
  }
}
