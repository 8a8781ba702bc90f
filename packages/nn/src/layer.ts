import { ShapeError } from '@vgp/core';
import type { Param, Shape, Tensor } from './tensor.js';
import { shapeString } from './tensor.js';

export interface ForwardOptions {
  /** Training mode: batch norm uses batch statistics, dropout drops. */
  training: boolean;
}

/**
 * A layer computes `forward` and its own explicit `backward` (no autograd tape). Containers compose
 * children. A layer owns the tensors it returns and reuses their buffers while the batch shape stays
 * the same, so a steady-state training step allocates no backend memory.
 *
 * After a step, `output` is the last forward result and `inputGrad` the last backward result
 * (dL/dx, the backward signal at this layer's input boundary), which the diagnostics read.
 */
export abstract class Layer {
  output: Tensor | null = null;
  inputGrad: Tensor | null = null;

  constructor(readonly name: string) {}

  abstract forward(x: Tensor, opts: ForwardOptions): Tensor;
  /** Given dL/dy for the last forward's output, writes parameter gradients (overwriting) and returns dL/dx. */
  abstract backward(dy: Tensor): Tensor;

  /** Trainable parameters of this layer and its children. */
  params(): Param[] {
    return [];
  }

  /** Direct children (containers); leaves have none. */
  children(): Layer[] {
    return [];
  }

  /** Frees every buffer the layer owns. */
  abstract dispose(): void;

  /** Throws a `ShapeError` naming this layer unless `actual` equals `expected` (-1 in expected matches any size). */
  protected checkShape(what: string, actual: Shape, expected: Shape): void {
    const ok = actual.length === expected.length && expected.every((d, i) => d === -1 || d === actual[i]);
    if (!ok) {
      const want = shapeString(expected).replaceAll('-1', '*');
      throw new ShapeError(`${this.name}: ${what} has shape ${shapeString(actual)}, expected ${want}`);
    }
  }
}
