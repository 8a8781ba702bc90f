import type { GradientRecord, History, LayerStats, ParamStats } from '../../src/diagnostics/index.js';

/** Options of a synthetic MLP history: Dense/Activation pairs whose gradients scale by `gain` per layer going down. */
export interface MlpHistoryOptions {
  depth?: number;
  width?: number;
  activation?: string;
  /** Per-layer factor of the weight-gradient RMS and of the backward signal (1 = flat). */
  gain?: number;
  /** Per-layer factor of the backward signal ||dL/dh|| alone (default: `gain`). */
  signalGain?: number;
  steps?: number;
  loss?: (step: number) => number;
  gradNorm?: (step: number) => number;
  preClipNorm?: (step: number) => number | null;
  updateRatio?: (layer: number, step: number) => number;
  saturatedFrac?: number;
  deadFrac?: number;
  nearZeroFrac?: number;
  nonFiniteAt?: number;
  chanceLoss?: number;
  /** Std of the i-th activation layer's output. */
  actStd?: (layer: number) => number;
}

function param(
  layer: string,
  role: string,
  shape: number[],
  gradRms: number,
  extra: Partial<ParamStats>,
): ParamStats {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    name: `${layer}.${role}`,
    layer,
    role,
    shape,
    gradNorm: gradRms * Math.sqrt(size),
    gradRms,
    // Glorot-like: std sqrt(1/width) gives weight gain ||W||_F / sqrt(out) = 1 for square layers.
    weightNorm: Math.sqrt(size / (shape[0] ?? 1)),
    updateRatio: 1e-3,
    nearZeroFrac: 0,
    nonFinite: 0,
    ...extra,
  };
}

/** A history of `steps` records of a `depth`-layer MLP (input 2, hidden `width`, output 1). */
export function mlpHistory(o: MlpHistoryOptions = {}): History {
  const depth = o.depth ?? 10;
  const width = o.width ?? 16;
  const act = o.activation ?? 'sigmoid';
  const gain = o.gain ?? 1;
  const records: GradientRecord[] = [];
  for (let step = 0; step < (o.steps ?? 40); step++) {
    const params: ParamStats[] = [];
    const layers: LayerStats[] = [];
    for (let i = 0; i < depth; i++) {
      const shape = [i === 0 ? 2 : width, i === depth - 1 ? 1 : width];
      const down = gain ** (depth - 1 - i);
      const sdown = (o.signalGain ?? gain) ** (depth - 1 - i);
      const bad = o.nonFiniteAt !== undefined && step >= o.nonFiniteAt;
      params.push(
        param(`dense${i}`, 'weight', shape, 0.01 * down, {
          updateRatio: o.updateRatio ? o.updateRatio(i, step) : 1e-3,
          nearZeroFrac: o.nearZeroFrac ?? 0,
          nonFinite: bad ? 3 : 0,
        }),
      );
      params.push(param(`dense${i}`, 'bias', [shape[1] as number], 0.01 * down, {}));
      layers.push(layer(`dense${i}`, 'Dense', null, 0.1 * sdown, {}));
      if (i < depth - 1) {
        const relu = act === 'relu';
        const sat = act === 'sigmoid' || act === 'tanh';
        layers.push(
          layer(`act${i}`, 'Activation', act, 0.1 * sdown, {
            actStd: o.actStd ? o.actStd(i) : 1,
            saturatedFrac: sat ? (o.saturatedFrac ?? 0.05) : null,
            deadFrac: relu ? (o.deadFrac ?? 0.02) : null,
          }),
        );
      }
    }
    const loss =
      o.nonFiniteAt !== undefined && step >= o.nonFiniteAt
        ? Number.NaN
        : (o.loss ?? ((s) => 1 / (1 + s)))(step);
    records.push({
      step,
      loss,
      metric: null,
      gradNormTotal: o.gradNorm ? o.gradNorm(step) : 1,
      preClipNorm: o.preClipNorm ? o.preClipNorm(step) : null,
      params,
      layers,
    });
  }
  return { meta: { lossFloor: 0, chanceLoss: o.chanceLoss }, records };
}

function layer(
  name: string,
  type: string,
  activation: string | null,
  gradIn: number,
  extra: Partial<LayerStats>,
): LayerStats {
  return {
    name,
    type,
    activation,
    level: 0,
    gradIn,
    actMean: 0,
    actStd: 1,
    saturatedFrac: null,
    deadFrac: null,
    nonFinite: 0,
    ...extra,
  };
}

/** An RNN (or LSTM/GRU) history whose ||dL/dh_t|| = perStep^(T - t) for t = 1..T, with a Dense head. */
export function rnnHistory(type: string, perStep: number, T = 50, steps = 20): History {
  const records: GradientRecord[] = [];
  for (let step = 0; step < steps; step++) {
    const timeGradNorms = Array.from({ length: T }, (_, t) => perStep ** (T - 1 - t));
    records.push({
      step,
      loss: 0.17,
      metric: null,
      gradNormTotal: 1,
      preClipNorm: null,
      params: [
        param('rnn', 'weight', [2, 32], 0.01, {}),
        param('rnn', 'recurrent', [32, 32], 0.01, {}),
        param('head', 'weight', [32, 1], 0.1, {}),
      ],
      layers: [
        layer('rnn', type, type === 'RNN' ? 'tanh' : null, 0.01, { timeGradNorms }),
        layer('head', 'Dense', null, 1, {}),
      ],
    });
  }
  return { meta: { lossFloor: 0, chanceLoss: 0.167 }, records };
}
