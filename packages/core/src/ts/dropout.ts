import { dropoutUniform, type Floats } from '../backend.js';

export function dropoutForward(x: Floats, p: number, seed: number, y: Floats, mask: Floats): void {
  // Inverted dropout: kept units are scaled by 1/(1-p) so the expected activation is unchanged.
  const keep = 1 / (1 - p);
  for (let i = 0; i < x.length; i++) {
    const m = dropoutUniform(seed, i) >= p ? keep : 0;
    mask[i] = m;
    y[i] = x[i] * m;
  }
}
