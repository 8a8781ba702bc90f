import { ConfigError } from '@vgp/core';
import type { ForwardOptions, LayerOptions } from '../layer.js';
import { Layer } from '../layer.js';
import type { Tensor } from '../tensor.js';

/** Runs `layers` in order forward and in reverse backward. Each child checks its own input shape. */
export class Sequential extends Layer {
  /** The children, in forward order. */
  readonly layers: readonly Layer[];

  constructor(layers: readonly Layer[], opts: LayerOptions) {
    super('sequential', opts);
    if (layers.length === 0) throw new ConfigError(`${this.name}: needs at least one layer`);
    for (const l of layers) {
      if (l.backend !== this.backend) {
        throw new ConfigError(
          `${this.name}: layer ${l.name} is on another backend; build every layer on the same one`,
        );
      }
    }
    this.layers = [...layers];
  }

  override children(): Layer[] {
    return [...this.layers];
  }

  override inFeatures(): number | null {
    // Width-preserving layers before the first fixed-width one do not change the width it sees.
    for (const l of this.layers) {
      const f = l.inFeatures();
      if (f !== null) return f;
    }
    return null;
  }

  override outFeatures(inFeatures: number): number {
    return this.layers.reduce((f, l) => l.outFeatures(f), inFeatures);
  }

  /** Feeds `x` through every layer in order; the result is the last layer's output. */
  forward(x: Tensor, opts: ForwardOptions): Tensor {
    let h = x;
    for (const l of this.layers) h = l.forward(h, opts);
    this.output = h;
    return h;
  }

  backward(dy: Tensor): Tensor {
    this.checkGrad(dy);
    let g = dy;
    for (let i = this.layers.length - 1; i >= 0; i--) g = this.layers[i].backward(g);
    this.inputGrad = g;
    return g;
  }
}
