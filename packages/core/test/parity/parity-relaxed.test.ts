import v8 from 'node:v8';
import { expect, it } from 'vitest';
import { WasmBackend } from '../../src/wasm-backend.js';
import { parityFor } from './run-parity.js';

// The playground runs the relaxed-SIMD build (Chromium validates it), so its numbers answer to the
// same table. Node 20 validates relaxed SIMD only behind this V8 flag; vitest runs each test file in
// its own process, so the flag stays in this file and cannot change which build 'auto' picks elsewhere.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const relaxed = async () => WasmBackend.create({ build: 'relaxed' });

it('loads the relaxed-SIMD binary itself, not a fallback', async () => {
  expect((await relaxed()).build).toBe('relaxed');
});

parityFor([{ label: 'wasm relaxed', make: relaxed }]);
