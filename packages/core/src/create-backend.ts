import type { Backend, Precision } from './backend.js';
import { ConfigError } from './errors.js';
import { TsBackend } from './ts-backend.js';
import { WasmBackend, type WasmBuild } from './wasm-backend.js';

export type BackendKind = 'wasm' | 'ts';

export interface BackendOptions {
  /** TS backend only: 'f64' for exact gradient checks. Default 'f32'. */
  precision?: Precision;
  /**
   * WASM backend only: which binary to load. 'auto' (default) takes the relaxed-SIMD build when the
   * engine validates it, else plain SIMD; 'debug' has assertions on (used by tests).
   */
  wasmBuild?: WasmBuild;
}

/** Creates a backend by name; the nn layer never needs to know which one it got. */
export async function createBackend(kind: BackendKind, options: BackendOptions = {}): Promise<Backend> {
  if (kind === 'ts') return new TsBackend({ precision: options.precision ?? 'f32' });
  if (kind === 'wasm') {
    if (options.precision !== undefined && options.precision !== 'f32') {
      throw new ConfigError(`the wasm backend computes in f32 only; drop precision '${options.precision}' or use 'ts'`);
    }
    return WasmBackend.create({ build: options.wasmBuild ?? 'auto' });
  }
  throw new ConfigError(`unknown backend '${String(kind)}'; use 'wasm' or 'ts'`);
}
