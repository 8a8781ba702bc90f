import { describe, expect, it } from 'vitest';
import { Dense, gradcheckLayer, Rng, relativeError, Tensor } from '../../src/index.js';
import { awayFromZero, backends, uniform } from './helpers.js';

/** A Dense whose weight gradient is off by 0.1%: the check must notice. */
class SlightlyWrongDense extends Dense {
  override backward(dy: Tensor): Tensor {
    const dx = super.backward(dy);
    this.backend.scale(this.weight.grad.buf, 1.001);
    return dx;
  }
}

describe('gradcheck', () => {
  it('uses the symmetric relative error with a floor', () => {
    expect(relativeError(1, 1)).toBe(0);
    expect(relativeError(1, 3)).toBeCloseTo(0.5, 15);
    expect(relativeError(1e-9, 2e-9)).toBeCloseTo(1e-5, 15);
    expect(relativeError(0, 0)).toBe(0);
  });

  it('finds a gradient that is 0.1% off and names where', async () => {
    const { ts64 } = await backends();
    const rng = new Rng(1);
    const layer = new SlightlyWrongDense(3, 2, { backend: ts64, rng });
    const x = Tensor.from(ts64, [4, 3], awayFromZero(rng, 12));
    const r = gradcheckLayer(layer, x, uniform(rng, 8));
    expect(r.checked).toBe(6 + 2 + 12);
    expect(r.maxRelError).toBeGreaterThan(4e-4);
    expect(r.worst.name).toBe(`${layer.name}.weight`);
    layer.dispose();
    x.dispose();
  });
});
