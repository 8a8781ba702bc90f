import { describe, expect, it } from 'vitest';
import { GRU, LSTM, type RecurrentLayer, RNN, Rng, Tensor } from '../../src/index.js';
import { backends, scaledDiff, uniform } from './helpers.js';
import { type RefCell, reference } from './recurrent-reference.js';

/** Agreement of two f64 computations of the same math: only rounding separates them. */
const TOL = 1e-10;

describe('recurrent layers against an independent implementation', () => {
  for (const cell of ['tanh', 'relu', 'lstm', 'gru'] as RefCell[]) {
    for (const last of [false, true]) {
      it(`${cell}${last ? ', last state only' : ''}: outputs, every gradient and ||dL/dh_t|| agree`, async () => {
        const { ts64 } = await backends();
        const rng = new Rng(cell.length + (last ? 10 : 0));
        const [T, B, I, H] = [6, 3, 4, 5];
        const opts = { backend: ts64, rng, returnSequences: !last };
        const layer: RecurrentLayer =
          cell === 'lstm'
            ? new LSTM(I, H, opts)
            : cell === 'gru'
              ? new GRU(I, H, opts)
              : new RNN(I, H, { ...opts, activation: cell });
        const G = layer.gateCount;
        const bih = uniform(rng, G * H, -0.5, 0.5);
        const bhh = cell === 'gru' ? uniform(rng, G * H, -0.5, 0.5) : new Float64Array(G * H);
        const [biasIh, biasHh] =
          cell === 'gru' ? [(layer as GRU).biasIh, (layer as GRU).biasHh] : [(layer as LSTM).bias, null];
        ts64.write(biasIh.value.buf, bih);
        if (biasHh !== null) ts64.write(biasHh.value.buf, bhh);
        const xData = uniform(rng, T * B * I, -1.5, 1.5);
        const x = Tensor.from(ts64, [T, B, I], xData);
        const y = layer.forward(x, { training: true });
        const dyData = uniform(rng, y.size);
        const dy = Tensor.from(ts64, y.shape, dyData);
        const dx = layer.backward(dy);
        const weights = {
          wih: Float64Array.from(layer.weightIh.value.read()),
          whh: Float64Array.from(layer.weightHh.value.read()),
          bih,
          bhh,
        };
        const ref = reference(cell, xData, { T, B, I, H }, weights, dyData, last);
        const hs = last ? ref.hs.subarray((T - 1) * B * H) : ref.hs;
        expect(scaledDiff(y.read(), hs)).toBeLessThan(TOL);
        expect(scaledDiff(dx.read(), ref.dx)).toBeLessThan(TOL);
        expect(scaledDiff(layer.weightIh.grad.read(), ref.dwih)).toBeLessThan(TOL);
        expect(scaledDiff(layer.weightHh.grad.read(), ref.dwhh)).toBeLessThan(TOL);
        expect(scaledDiff(biasIh.grad.read(), ref.dbih)).toBeLessThan(TOL);
        if (biasHh !== null) expect(scaledDiff(biasHh.grad.read(), ref.dbhh)).toBeLessThan(TOL);
        expect(layer.timeGradNorms.length).toBe(T);
        expect(scaledDiff(layer.timeGradNorms, ref.norms)).toBeLessThan(TOL);
        if (last) expect(layer.timeGradNorms[T - 1]).toBeCloseTo(Math.hypot(...dyData), 12);
        layer.dispose();
        x.dispose();
        dy.dispose();
      });
    }
  }
});
