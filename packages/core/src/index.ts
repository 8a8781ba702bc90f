export * from './backend.js';
export * from './errors.js';
export { TsBackend } from './ts-backend.js';
export { WasmBackend } from './wasm-backend.js';
export { createBackend } from './create-backend.js';
export type { BackendKind, BackendOptions } from './create-backend.js';
