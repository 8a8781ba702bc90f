// The TensorFlow.js contestant of the train suite: the same model built with tfjs-layers, one step
// being what a tfjs user writes for a custom loop, optimizer.minimize over MSE of model.apply. The
// LSTM uses sigmoid gates (tfjs defaults to hardSigmoid) so it computes what vgp's LSTM computes.
import type { Contestant, Runner } from '../harness.js';
import { type TfjsBackendName, tfjsWith } from '../peers/tfjs.js';

export interface TfjsTrainCase {
  model: string;
  /** Hidden Dense+sigmoid layers and their width, or an LSTM's hidden size. */
  depth?: number;
  width?: number;
  lstmHidden?: number;
  input: number;
  batch: number;
  time?: number;
}

/** Seeded inputs in [-1, 1) so every run trains on the same numbers. */
function filled(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296) * 2 - 1;
  });
}

export function tfjsTrainContestant(id: string, backend: TfjsBackendName, c: TfjsTrainCase): Contestant {
  return {
    id,
    async setup(): Promise<Runner> {
      const tf = await tfjsWith(backend);
      const tfl = await import('@tensorflow/tfjs-layers');
      const model = tfl.sequential();
      if (c.lstmHidden !== undefined) {
        const time = c.time as number;
        // tfjs's orthogonal initializer (its LSTM default) fails in tfjs-layers 4.22 on these backends
        // ("rMat.flatten is not a function"); initial values do not change what a step costs.
        model.add(
          tfl.layers.lstm({
            units: c.lstmHidden,
            recurrentActivation: 'sigmoid',
            recurrentInitializer: 'glorotUniform',
            inputShape: [time, c.input],
          }),
        );
      } else {
        for (let i = 0; i < (c.depth as number); i++) {
          const first = i === 0 ? { inputShape: [c.input] } : {};
          model.add(tfl.layers.dense({ units: c.width as number, activation: 'sigmoid', ...first }));
        }
      }
      model.add(tfl.layers.dense({ units: 1 }));
      // tfjs's recurrent layers take [batch, time, features].
      const xShape = c.time === undefined ? [c.batch, c.input] : [c.batch, c.time, c.input];
      const x = tf.tensor(
        filled(
          xShape.reduce((a, b) => a * b, 1),
          1,
        ),
        xShape,
      );
      const y = tf.tensor(filled(c.batch, 2), [c.batch, 1]);
      const optimizer = tf.train.sgd(0.01);
      const step = (): number => {
        const cost = optimizer.minimize(() => {
          const pred = model.apply(x, { training: true }) as typeof y;
          return tf.losses.meanSquaredError(y, pred) as import('@tensorflow/tfjs-core').Scalar;
        }, true);
        const value = cost?.dataSync()[0] ?? Number.NaN;
        cost?.dispose();
        return value;
      };
      const first = step();
      if (!Number.isFinite(first)) throw new Error(`${id} ${c.model}: first loss is ${first}`);
      return {
        // Variables live on the backend that made them: make it the active one before timing.
        before: async () => {
          await tfjsWith(backend);
        },
        run: () => {
          step();
        },
        dispose() {
          x.dispose();
          y.dispose();
          optimizer.dispose();
          model.dispose();
        },
      };
    },
  };
}
