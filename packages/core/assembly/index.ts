// The WASM module's exports: numbers only (pointers, sizes, scalars) cross the ABI.
export * from './gemm';
