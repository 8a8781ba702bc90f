import type { Backend, Precision } from './backend.js';
import { ConfigError } from './errors.js';
import { TsBackend } from './ts-backend.js';
import { WasmBackend, type WasmBuild } from './wasm-backend.js';

/** Which implementation `createBackend` returns: `'wasm'` (WebAssembly SIMD, f32) or `'ts'` (plain TypeScript). */
export type BackendKind = 'wasm' | 'ts';

/** Options of {@link createBackend}; each applies to one kind of backend and is an error on the other. */
export interface BackendOptions {
  /** TS backend only: 'f64' for exact gradient checks. Default 'f32'. */
  precision?: Precision;
  /**
   * WASM backend only: which binary to load. 'auto' (default) takes the relaxed-SIMD build when the
   * engine validates it, else plain SIMD; 'debug' has assertions on (used by tests).
   */
  wasmBuild?: WasmBuild;
  /**
   * Store results below float32's smallest normal (2^-126 ~ 1.18e-38) as zero in the kernels that
   * produce gradients and states (listed in `Backend`'s documentation): default true for 'wasm' and
   * for 'ts' in 'f32', which then agree. False keeps IEEE subnormals, for experiments that want them,
   * at the price of x86's slow path once gradients vanish. float64 never flushes, so `true` with
   * precision 'f64' is a `ConfigError`.
   */
  flushSubnormals?: boolean;
}

/**
 * Creates a backend by name; the nn layer never needs to know which one it got.
 *
 * The WASM backend loads its binary from `@vgp/core`'s `build/` folder (read from disk in Node, fetched
 * in the browser, where bundlers such as Vite emit it with the build). Throws `ConfigError` for an
 * unknown kind or an option the kind does not take.
 *
 * @example
 * ```ts
 * const backend = await createBackend('wasm');
 * const exact = await createBackend('ts', { precision: 'f64' });
 * ```
 */
export async function createBackend(kind: BackendKind, options: BackendOptions = {}): Promise<Backend> {
  const flush = options.flushSubnormals;
  if (flush !== undefined && typeof flush !== 'boolean') {
    throw new ConfigError(`flushSubnormals must be true or false, got ${String(flush)}`);
  }
  if (kind === 'ts') {
    return new TsBackend({ precision: options.precision ?? 'f32', flushSubnormals: flush });
  }
  if (kind === 'wasm') {
    if (options.precision !== undefined && options.precision !== 'f32') {
      throw new ConfigError(
        `the wasm backend computes in f32 only; drop precision '${options.precision}' or use 'ts'`,
      );
    }
    return WasmBackend.create({ build: options.wasmBuild ?? 'auto', flushSubnormals: flush ?? true });
  }
  throw new ConfigError(`unknown backend '${String(kind)}'; use 'wasm' or 'ts'`);
}
