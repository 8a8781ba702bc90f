// The WASM module's exports: numbers only (pointers, sizes, scalars) cross the ABI.
// Each kernel's export has the same name as its `Backend` method.
export * from './memory';
export * from './gemm';
