import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../src/create-backend.js';
import { ConfigError } from '../src/errors.js';
import { WasmBackend } from '../src/wasm-backend.js';
import { adoptCompiledWasm, compiledWasm } from '../src/wasm-loader.js';

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

describe('compiled modules shared with worker threads', () => {
  it('a worker that adopts the compiled module trains on it without the binary on disk', async () => {
    const compiled = await compiledWasm('simd');
    expect(compiled.build).toBe('simd');
    expect(compiled.requested).toBe('simd');
    // The worker runs a copy of core's built dist (test depends on build) in a folder with no build/,
    // so a backend can only come from the adopted module; without it, loading fails.
    const root = mkdtempSync(path.join(tmpdir(), 'vgp-adopt-'));
    cpSync(fileURLToPath(new URL('../dist', import.meta.url)), path.join(root, 'dist'), { recursive: true });
    symlinkSync(
      fileURLToPath(new URL('../../../node_modules', import.meta.url)),
      path.join(root, 'node_modules'),
    );
    const dist = pathToFileURL(path.join(root, 'dist', 'index.js')).href;
    const script = `import { workerData, parentPort } from 'node:worker_threads';
      const core = await import(workerData.dist);
      if (workerData.compiled) core.adoptCompiledWasm(workerData.compiled);
      try {
        const be = await core.createBackend('wasm', { wasmBuild: 'simd' });
        const a = be.alloc(4);
        be.write(a, [1, 2, 3, 4]);
        const c = be.alloc(1);
        be.gemm(false, false, 1, 1, 4, 1, a, a, 0, c);
        parentPort.postMessage({ build: be.build, dot: be.read(c)[0] });
      } catch (e) {
        parentPort.postMessage({ error: e.message });
      }`;
    const run = async (workerData: Record<string, unknown>) => {
      const worker = new Worker(script, { eval: true, workerData });
      try {
        return await new Promise((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
      } finally {
        await worker.terminate();
      }
    };
    try {
      expect(await run({ dist, compiled })).toEqual({ build: 'simd', dot: 30 });
      expect(await run({ dist })).toEqual({ error: expect.stringMatching(/cannot read .*release\.wasm/) });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses what is not a compiled module with ConfigError', () => {
    const empty = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    expect(() => adoptCompiledWasm({} as never)).toThrow(ConfigError);
    expect(() => adoptCompiledWasm(null as never)).toThrow(/compiledWasm\(\)/);
    expect(() => adoptCompiledWasm({ module: empty, requested: 'fast' as never, build: 'simd' })).toThrow(
      ConfigError,
    );
  });
});
