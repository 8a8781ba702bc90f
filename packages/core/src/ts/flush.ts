import { F32_MIN_NORMAL, type Floats } from '../backend.js';

/**
 * The f32 backends' flush to zero (see `Backend`): every element whose magnitude is below float32's
 * smallest normal becomes +0. TsBackend runs it over a kernel's outputs after the kernel has stored
 * them (so rounded to f32), which is what the WASM kernels do as they store.
 */
export function flushSubnormals(x: Floats): void {
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]) < F32_MIN_NORMAL) x[i] = 0;
  }
}
