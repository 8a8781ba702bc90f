/**
 * Every step's loss, metric and per-layer gradient norms, kept for the export in growable typed
 * columns: one object and one array a step, kept for the whole run, were the worker's largest
 * long-lived garbage (each survived young-generation collections and was copied by them).
 */
export interface LoggedStep {
  step: number;
  loss: number;
  metric: number;
  gradNorms: number[];
}

export class StepLog {
  private length = 0;
  private steps = new Float64Array(1024);
  private loss = new Float64Array(1024);
  private metric = new Float64Array(1024);
  /** `width` norms a step, row-major (allocated at the first step with a record); `recorded` says which rows hold some. */
  private norms = new Float64Array(0);
  private recorded = new Uint8Array(1024);
  /** Gradient norms a step (the layers with a weight matrix), known from the first record; -1 before. */
  private width = -1;

  get size(): number {
    return this.length;
  }

  /** Appends a step with its `norms` (the layers' gradient norms; empty for a step without a record). */
  push(step: number, loss: number, metric: number, norms: ArrayLike<number>): void {
    if (norms.length > 0 && norms.length !== this.width) {
      if (this.width !== -1) {
        throw new Error(`StepLog: ${norms.length} gradient norms at step ${step}, ${this.width} before`);
      }
      this.width = norms.length;
      this.norms = new Float64Array(this.steps.length * this.width);
    }
    if (this.length === this.steps.length) this.grow();
    const i = this.length++;
    this.steps[i] = step;
    this.loss[i] = loss;
    this.metric[i] = metric;
    this.recorded[i] = norms.length > 0 ? 1 : 0;
    if (norms.length > 0) this.norms.set(norms, i * this.width);
  }

  /** The steps as plain records (the export's format): `gradNorms` is empty for a step without a record. */
  toRecords(): LoggedStep[] {
    const out: LoggedStep[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const base = i * this.width;
      out[i] = {
        step: this.steps[i] as number,
        loss: this.loss[i] as number,
        metric: this.metric[i] as number,
        gradNorms: this.recorded[i] === 1 ? Array.from(this.norms.subarray(base, base + this.width)) : [],
      };
    }
    return out;
  }

  private grow(): void {
    const n = this.steps.length * 2;
    const bigger = <T extends Float64Array | Uint8Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.steps = bigger(this.steps, n);
    this.loss = bigger(this.loss, n);
    this.metric = bigger(this.metric, n);
    this.recorded = bigger(this.recorded, n);
    this.norms = bigger(this.norms, n * Math.max(0, this.width));
  }
}
