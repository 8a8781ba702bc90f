// The WASM module's exports: numbers only (pointers, sizes, scalars) cross the ABI.
// Each kernel's export has the same name as its `Backend` method.

export * from './activations';
export * from './batch-norm';
export * from './dropout';
export * from './elementwise';
export { setFlushSubnormals } from './flush';
export * from './gemm';
export * from './gru-cell';
export * from './layer-norm';
export * from './log-histogram';
export * from './losses';
export * from './lstm-cell';
export * from './memory';
export * from './optimizers';
export * from './reductions';
export * from './softmax';
export * from './stats';
