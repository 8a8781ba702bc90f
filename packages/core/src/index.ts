/**
 * The kernels of vgp: one `Backend` interface declaring every kernel, implemented by `WasmBackend`
 * (AssemblyScript compiled to WebAssembly SIMD) and `TsBackend` (plain TypeScript, the reference).
 * Start with {@link createBackend}.
 *
 * @packageDocumentation
 */
export * from './backend.js';
export type { BackendKind, BackendOptions } from './create-backend.js';
export { createBackend } from './create-backend.js';
export * from './errors.js';
export { TsBackend, type TsBackendOptions } from './ts-backend.js';
export { WasmBackend, type WasmBackendOptions, type WasmBuild } from './wasm-backend.js';
export { adoptCompiledWasm, type CompiledWasm, compiledWasm } from './wasm-loader.js';
