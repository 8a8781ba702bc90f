import type { Buf } from './backend.js';

/**
 * Allocates, views and frees one buffer of a new backend's memory, so that a buffer's freed flag has
 * changed and its parent field has held a buffer before any kernel call is optimized. V8 compiles a
 * field that has never changed since construction as a constant (and one that only ever held null as
 * null); the first free or view of a run then threw away the optimized code of every kernel wrapper at
 * once: `--trace-deopt` showed gemm, update, moments, paramStats, biasGrad, activationGrad, backward,
 * momentumStep, p and ptr recompiled in the first job of every sweep thread, and none with this.
 */
export function settleBufferShape(memory: {
  alloc(n: number): Buf;
  view(buf: Buf, offset: number, length: number): Buf;
  free(buf: Buf): void;
}): void {
  const first = memory.alloc(1);
  memory.view(first, 0, 1);
  memory.free(first);
}
