import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/create-backend.js';
import { ConfigError } from '../src/errors.js';
import { WasmBackend } from '../src/wasm-backend.js';

const bytes = (name: string) => readFile(new URL(`../build/${name}.wasm`, import.meta.url));

describe('WasmBackend loader', () => {
  it("'auto' takes relaxed SIMD exactly when this engine validates it, else plain SIMD", async () => {
    const relaxedOk = WebAssembly.validate(await bytes('relaxed'));
    const be = await WasmBackend.create({ build: 'auto' });
    expect(be.build).toBe(relaxedOk ? 'relaxed' : 'simd');
    const viaFactory = await createBackend('wasm');
    expect((viaFactory as WasmBackend).build).toBe(be.build);
  });

  it('the plain SIMD and debug builds validate everywhere; relaxed differs from release', async () => {
    expect(WebAssembly.validate(await bytes('release'))).toBe(true);
    expect(WebAssembly.validate(await bytes('debug'))).toBe(true);
    // The relaxed build is not a copy of release: it carries relaxed_madd in gemm.
    expect(Buffer.compare(await bytes('relaxed'), await bytes('release'))).not.toBe(0);
  });

  it('loads the build it is asked for and says which', async () => {
    expect((await WasmBackend.create({ build: 'simd' })).build).toBe('simd');
    expect((await WasmBackend.create({ build: 'debug' })).build).toBe('debug');
    if (WebAssembly.validate(await bytes('relaxed'))) {
      expect((await WasmBackend.create({ build: 'relaxed' })).build).toBe('relaxed');
    } else {
      await expect(WasmBackend.create({ build: 'relaxed' })).rejects.toThrow(ConfigError);
    }
  });

  it('rejects unknown builds and bad memory caps with ConfigError', async () => {
    await expect(WasmBackend.create({ build: 'fast' as never })).rejects.toThrow(ConfigError);
    await expect(WasmBackend.create({ maxMemoryBytes: 1000 })).rejects.toThrow(ConfigError);
    await expect(WasmBackend.create({ maxMemoryBytes: 2 ** 33 })).rejects.toThrow(ConfigError);
    await expect(createBackend('wasm', { precision: 'f64' })).rejects.toThrow(ConfigError);
  });

  it('reports the linear memory size as memoryBytes', async () => {
    const be = await WasmBackend.create({ build: 'simd' });
    const start = be.memoryBytes();
    expect(start % 65536).toBe(0); // whole wasm pages
    expect(start).toBeGreaterThanOrEqual(2 ** 20);
    be.alloc(4 * 2 ** 20); // 16 MiB more than the heap holds: the memory grows by at least that
    expect(be.memoryBytes() % 65536).toBe(0);
    expect(be.memoryBytes()).toBeGreaterThanOrEqual(start + 16 * 2 ** 20);
    expect(be.name).toBe('wasm');
    expect(be.precision).toBe('f32');
  });
});
