import { type Backend, ShapeError, VgpError } from '@vgp/core';
import type { Param, Shape } from './tensor.js';
import { shapeSize, shapeString, Tensor } from './tensor.js';

/** Options of every `forward` call. */
export interface ForwardOptions {
  /** Training mode: batch norm uses batch statistics, dropout drops. */
  training: boolean;
}

/** What every layer constructor takes. */
export interface LayerOptions {
  /** The backend that holds the layer's parameters and buffers; inputs must live on it too. */
  backend: Backend;
  /** Overrides the generated name (e.g. to keep parameter names stable across processes). */
  name?: string;
}

/** A named tensor that is not trained but belongs to the model's state (e.g. batch norm running statistics). */
export interface NamedTensor {
  /** `<layer>.<tensor>`, e.g. `batchNorm1.runningMean`. */
  name: string;
  /** The tensor itself (owned by its layer). */
  value: Tensor;
}

const nameCounters = new Map<string, number>();

/**
 * `prefix` followed by a per-prefix counter: `dense1`, `dense2`, `sigmoid1`, ... Counters are global to the
 * process (as Keras does), so names are unique among the layers created; `resetLayerNames` restarts them.
 */
export function layerName(prefix: string, given?: string): string {
  if (given !== undefined) return given;
  const n = (nameCounters.get(prefix) ?? 0) + 1;
  nameCounters.set(prefix, n);
  return `${prefix}${n}`;
}

/** Restarts the name counters, so that a model built again gets the same layer and parameter names. */
export function resetLayerNames(): void {
  nameCounters.clear();
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
  /** The last forward result (owned by the layer), or null before the first forward. */
  output: Tensor | null = null;
  /**
   * The last backward result, dL/dx at this layer's input (owned by the layer), or null before the first
   * backward.
   */
  inputGrad: Tensor | null = null;
  /** Unique name (`dense1`, ...), the prefix of its parameters' names. */
  readonly name: string;
  /** The backend holding the layer's parameters and buffers. */
  readonly backend: Backend;
  /** Parameters created by this layer itself (children's are collected by `params`). */
  protected readonly ownParams: Param[] = [];
  private readonly scratchTensors = new Map<string, Tensor>();

  constructor(prefix: string, opts: LayerOptions) {
    this.name = layerName(prefix, opts.name);
    this.backend = opts.backend;
  }

  /**
   * Computes the output for `x` (`[batch, features]`, or `[time, batch, features]` for sequences) and
   * keeps what `backward` needs. The result is owned by the layer (also in `output`) and is
   * overwritten by the next call. Throws `ShapeError` for an input the layer cannot take.
   */
  abstract forward(x: Tensor, opts: ForwardOptions): Tensor;
  /** Given dL/dy for the last forward's output, writes parameter gradients (overwriting) and returns dL/dx. */
  abstract backward(dy: Tensor): Tensor;

  /**
   * The feature width this layer outputs for inputs `inFeatures` wide. Width-preserving layers return it
   * unchanged; layers with a fixed input width throw a `ShapeError` when it does not match.
   */
  outFeatures(inFeatures: number): number {
    return inFeatures;
  }

  /** The input width this layer requires, or null if it takes any width. */
  inFeatures(): number | null {
    return null;
  }

  /** Trainable parameters of this layer and its children. */
  params(): Param[] {
    return [...this.ownParams, ...this.children().flatMap((c) => c.params())];
  }

  /** Non-trained state saved with the weights (PyTorch's "buffers"), of this layer and its children. */
  buffers(): NamedTensor[] {
    return this.children().flatMap((c) => c.buffers());
  }

  /** Direct children (containers); leaves have none. */
  children(): Layer[] {
    return [];
  }

  /** Frees every buffer the layer owns, its parameters and its children's. Do not use it afterwards. */
  dispose(): void {
    for (const t of this.scratchTensors.values()) t.dispose();
    this.scratchTensors.clear();
    for (const p of this.ownParams) p.dispose();
    for (const c of this.children()) c.dispose();
    this.output = null;
    this.inputGrad = null;
  }

  /**
   * `scratch(slot, like with its last dimension replaced by last)`, building that shape only when the
   * slot does not hold it already (layers call this on every forward; the arrays were garbage).
   */
  protected scratchAs(slot: string, like: Shape, last: number): Tensor {
    const old = this.scratchTensors.get(slot);
    if (old !== undefined && old.shape.length === like.length && old.shape[like.length - 1] === last) {
      let same = true;
      for (let i = 0; i < like.length - 1; i++) same &&= old.shape[i] === like[i];
      if (same) return old;
    }
    return this.scratch(slot, [...like.slice(0, -1), last]);
  }

  /**
   * A layer-owned tensor for `slot` with this shape. The buffer is reused while the size stays the same and
   * reallocated (the old one freed) when it changes, so repeated calls at one batch size allocate nothing.
   */
  protected scratch(slot: string, shape: Shape): Tensor {
    const old = this.scratchTensors.get(slot);
    if (old !== undefined && sameShape(old.shape, shape)) return old;
    let t: Tensor;
    if (old !== undefined && old.size === shapeSize(shape)) {
      t = new Tensor(this.backend, [...shape], old.buf);
    } else {
      old?.dispose();
      t = Tensor.zeros(this.backend, [...shape]);
    }
    this.scratchTensors.set(slot, t);
    return t;
  }

  /** Throws a `ShapeError` naming this layer unless `actual` equals `expected` (-1 in expected matches any size). */
  protected checkShape(what: string, actual: Shape, expected: Shape): void {
    // A loop, not every() with a closure: this runs for every layer on every step.
    let ok = actual.length === expected.length;
    for (let i = 0; ok && i < expected.length; i++) ok = expected[i] === -1 || expected[i] === actual[i];
    if (!ok) {
      const want = shapeString(expected).replaceAll('-1', '*');
      throw new ShapeError(`${this.name}: ${what} has shape ${shapeString(actual)}, expected ${want}`);
    }
  }

  /**
   * Checks a `[batch, features]` or `[time, batch, features]` input (features = -1 for any width) on this
   * layer's backend and returns its row count (all leading dimensions multiplied).
   */
  protected checkRows(x: Tensor, features: number): number {
    this.checkBackend(x);
    const f = features === -1 ? '*' : String(features);
    if (x.rank !== 2 && x.rank !== 3) {
      throw new ShapeError(
        `${this.name}: input has shape ${shapeString(x.shape)} (rank ${x.rank}), expected [batch, ${f}] or [time, batch, ${f}]`,
      );
    }
    if (features !== -1 && x.shape[x.rank - 1] !== features) {
      const want = x.rank === 2 ? `[*, ${f}]` : `[*, *, ${f}]`;
      throw new ShapeError(`${this.name}: input has shape ${shapeString(x.shape)}, expected ${want}`);
    }
    if (x.size === 0)
      throw new ShapeError(`${this.name}: input ${shapeString(x.shape)} is empty; give at least one row`);
    return x.size / x.shape[x.rank - 1];
  }

  /** Checks that `dy` matches the last forward's output and returns that output. */
  protected checkGrad(dy: Tensor): Tensor {
    if (this.output === null)
      throw new VgpError(`${this.name}: backward called before forward; run forward first`);
    this.checkBackend(dy);
    this.checkShape('output gradient', dy.shape, this.output.shape);
    return this.output;
  }

  /** Throws a `VgpError` naming this layer unless `t` lives on the layer's backend. */
  protected checkBackend(t: Tensor): void {
    if (t.backend !== this.backend) {
      throw new VgpError(
        `${this.name}: tensor lives on another backend (${t.backend.name}) than the layer (${this.backend.name}); create it on the layer's backend`,
      );
    }
  }
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
