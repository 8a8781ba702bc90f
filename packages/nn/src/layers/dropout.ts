import { ConfigError } from '@vgp/core';
import type { ForwardOptions, LayerOptions } from '../layer.js';
import { Layer } from '../layer.js';
import type { Tensor } from '../tensor.js';

/** Options of a {@link Dropout} layer. */
export interface DropoutOptions extends LayerOptions {
  /** Seed of the first training forward's mask; every training forward then moves to the next seed. */
  seed: number;
}

/**
 * Inverted dropout (Srivastava et al. 2014): in training each element is zeroed with probability p and the
 * survivors scaled by 1/(1-p), so inference is the identity. Masks come from `dropoutUniform(seed, i)`, so
 * both backends drop the same elements, and a run is reproducible from the seed. `seed` is public: set it
 * back to replay a mask (the gradient check does).
 */
export class Dropout extends Layer {
  /** Seed of the next training forward's mask (advanced after each). */
  seed: number;
  private trained = false;

  constructor(
    /** Drop probability in [0, 1). */
    readonly p: number,
    opts: DropoutOptions,
  ) {
    super('dropout', opts);
    if (!(p >= 0 && p < 1)) throw new ConfigError(`${this.name}: p must be in [0, 1), got ${p}`);
    if (!Number.isInteger(opts.seed))
      throw new ConfigError(`${this.name}: seed must be an integer, got ${opts.seed}`);
    this.seed = opts.seed >>> 0;
  }

  /**
   * Training: drops with probability `p`, scales survivors by 1/(1-p), then advances `seed`.
   * Inference: the input itself is returned (no copy).
   */
  forward(x: Tensor, opts: ForwardOptions): Tensor {
    this.checkRows(x, -1);
    this.trained = opts.training;
    if (!opts.training) {
      this.output = x;
      return x;
    }
    const y = this.scratch('y', x.shape);
    this.backend.dropoutForward(x.buf, this.p, this.seed, y.buf, this.scratch('mask', x.shape).buf);
    this.seed = nextSeed(this.seed);
    this.output = y;
    return y;
  }

  backward(dy: Tensor): Tensor {
    this.checkGrad(dy);
    if (!this.trained) {
      this.inputGrad = dy;
      return dy;
    }
    const dx = this.scratch('dx', dy.shape);
    this.backend.mul(dy.buf, this.scratch('mask', dy.shape).buf, dx.buf);
    this.inputGrad = dx;
    return dx;
  }
}

/**
 * The seed after `s`: a hash (mulberry32's output mix) rather than s + 1 so that consecutive masks are
 * unrelated; `dropoutUniform` steps by the golden ratio per element, so a seed step of that constant would
 * only shift the previous mask by one element.
 */
function nextSeed(s: number): number {
  let h = (s + 0x6d2b79f5) >>> 0;
  h = Math.imul(h ^ (h >>> 15), h | 1);
  h ^= h + Math.imul(h ^ (h >>> 7), h | 61);
  return (h ^ (h >>> 14)) >>> 0;
}
