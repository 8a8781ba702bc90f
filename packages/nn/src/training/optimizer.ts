import { type Backend, type Buf, ConfigError } from '@vgp/core';
import type { Param } from '../tensor.js';

/**
 * The one general optimizer (after tinygrad's `nn/optim.py`): it owns the parameter list, the per-
 * parameter state buffers (allocated once, here, so an update allocates nothing), the update count and
 * the current learning rate. A rule (`SGD`, `Momentum`, `RMSprop`, `Adam`, ...) only says how many state
 * buffers it needs and which fused backend kernel applies one update to one parameter.
 *
 * Gradients are read from `param.grad` as the last backward pass wrote them; layers overwrite (never
 * accumulate) them, so there is no `zeroGrad`.
 */
export abstract class Optimizer {
  /** The learning rate the next `step()` uses; `fit` sets it from the schedule before each update. */
  lr: number;
  /** Number of updates applied so far (Adam's bias correction uses it, counting from 1). */
  steps = 0;
  /** The backend of every parameter (one per optimizer). */
  readonly backend: Backend;
  private readonly state: Buf[][];
  private disposed = false;

  constructor(
    /** The rule's name (`'sgd'`, `'adam'`, ...), used in error messages. */
    readonly kind: string,
    /** The parameters this optimizer updates. */
    readonly params: readonly Param[],
    /** The learning rate given at construction; schedules scale from it. */
    readonly baseLr: number,
    /** Weight decay (L2, or decoupled for AdamW), >= 0. */
    readonly weightDecay: number,
    slots: number,
  ) {
    if (params.length === 0) {
      throw new ConfigError(`${kind}: no parameters to optimize; build the model before its optimizer`);
    }
    checkRange(kind, 'lr', baseLr, 0, Number.POSITIVE_INFINITY, '[0, inf), e.g. 0.01');
    checkRange(kind, 'weightDecay', weightDecay, 0, Number.POSITIVE_INFINITY, '[0, inf), e.g. 1e-4');
    this.lr = baseLr;
    this.backend = params[0].value.backend;
    for (const p of params) {
      if (p.value.backend !== this.backend) {
        throw new ConfigError(
          `${kind}: param '${p.name}' lives on another backend; use one backend per model`,
        );
      }
    }
    // Momentum/moment buffers start at zero, as PyTorch's lazily created state does.
    this.state = params.map((p) => Array.from({ length: slots }, () => this.backend.alloc(p.value.size)));
  }

  /** Applies one update to every parameter with the current `lr`. */
  step(): void {
    if (this.disposed) throw new ConfigError(`${this.kind}: step() after dispose(); create a new optimizer`);
    if (!(Number.isFinite(this.lr) && this.lr >= 0)) {
      throw new ConfigError(
        `${this.kind}: lr must be a finite number >= 0, got ${this.lr}; check the schedule`,
      );
    }
    this.steps++;
    for (let i = 0; i < this.params.length; i++) this.update(this.params[i], this.state[i]);
  }

  /** The state buffers of one parameter (e.g. Adam's m and v), for diagnostics and tests. */
  stateOf(param: Param): readonly Buf[] {
    const i = this.params.indexOf(param);
    if (i < 0)
      throw new ConfigError(`${this.kind}: param '${param.name}' is not optimized by this optimizer`);
    return this.state[i];
  }

  /** Frees the state buffers (not the parameters). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const bufs of this.state) for (const b of bufs) this.backend.free(b);
  }

  /** One fused update of `p.value` from `p.grad` and the rule's state buffers. */
  protected abstract update(p: Param, state: Buf[]): void;
}

/** Throws a `ConfigError` naming `field` unless `lo <= v < hi` (or `<= hi` when `hiInclusive`). */
export function checkRange(
  owner: string,
  field: string,
  v: number,
  lo: number,
  hi: number,
  range: string,
  hiInclusive = false,
): void {
  const ok = typeof v === 'number' && v >= lo && (hiInclusive ? v <= hi : v < hi);
  if (!ok) throw new ConfigError(`${owner}: ${field} must be in ${range}, got ${v}`);
}
