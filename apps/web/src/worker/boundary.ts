/**
 * The decision boundary of a 2-D classifier: the model's class-1 probability on a grid over the
 * data's extent, computed in inference mode in chunks of the training batch size (so the layers
 * keep their buffers), plus a sample of the training points.
 */

import type { Dataset, Model } from '@vgp/nn';
import { Tensor } from '@vgp/nn';
import type { BoundaryView } from './protocol.js';

export const GRID = 32;
const POINTS = 160;

export function boundaryView(model: Model, data: Dataset, batch: number): BoundaryView {
  const n = data.xShape[0] as number;
  let [x0, x1, y0, y1] = [
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  for (let i = 0; i < n; i++) {
    const x = data.x[2 * i] as number;
    const y = data.x[2 * i + 1] as number;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const pad = 0.1 * Math.max(x1 - x0, y1 - y0);
  const extent: [number, number, number, number] = [x0 - pad, x1 + pad, y0 - pad, y1 + pad];
  const cells = GRID * GRID;
  const grid = new Array<number>(cells).fill(0.5);
  const input = Tensor.zeros(model.backend, [batch, 2]);
  const stage = new Float32Array(batch * 2);
  try {
    for (let start = 0; start < cells; start += batch) {
      for (let j = 0; j < batch; j++) {
        const c = Math.min(start + j, cells - 1);
        const row = Math.floor(c / GRID);
        const col = c % GRID;
        stage[2 * j] = extent[0] + ((col + 0.5) / GRID) * (extent[1] - extent[0]);
        stage[2 * j + 1] = extent[3] - ((row + 0.5) / GRID) * (extent[3] - extent[2]);
      }
      model.backend.write(input.buf, stage);
      const out = model.forward(input, { training: false }).read();
      const width = out.length / batch;
      for (let j = 0; j < batch && start + j < cells; j++) {
        grid[start + j] =
          width === 1
            ? sigmoid(out[j] as number)
            : softmax2(out[j * width] as number, out[j * width + 1] as number);
      }
    }
  } finally {
    input.dispose();
  }
  const step = Math.max(1, Math.floor(n / POINTS));
  const points: Array<[number, number, number]> = [];
  for (let i = 0; i < n && points.length < POINTS; i += step) {
    points.push([data.x[2 * i] as number, data.x[2 * i + 1] as number, data.y[i] as number]);
  }
  return { size: GRID, extent, grid, points };
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** P(class 1) from two logits, stably. */
function softmax2(a: number, b: number): number {
  return sigmoid(b - a);
}
