import { ConfigError, VgpError } from './errors.js';
import type { WasmExports } from './wasm-exports.js';

/**
 * Which binary to load: 'simd' is the plain-SIMD release build, 'relaxed' adds relaxed SIMD
 * (`f32x4.relaxed_madd`), 'debug' keeps assertions on; 'auto' takes 'relaxed' when the engine
 * validates it, else 'simd'.
 */
export type WasmBuild = 'auto' | 'simd' | 'relaxed' | 'debug';

/** A loaded module: its exports, the linear memory it imports, and which binary it is. */
export interface LoadedWasm {
  exports: WasmExports;
  memory: WebAssembly.Memory;
  build: ConcreteBuild;
}

/** wasm32 addresses at most 2^16 pages of 64 KiB = 4 GiB. */
export const WASM_PAGE_BYTES = 65536;
export const WASM32_MAX_PAGES = 65536;
/** Start with 1 MiB so small models never grow; the module itself needs one page. */
const INITIAL_PAGES = 16;

// Each URL is a literal `new URL('...', import.meta.url)` so that Vite emits the binary as an asset
// and Node resolves it next to dist/ (or src/ under vitest): both sit one level below build/.
function binaryUrl(build: ConcreteBuild): URL {
  switch (build) {
    case 'simd':
      return new URL('../build/release.wasm', import.meta.url);
    case 'relaxed':
      return new URL('../build/relaxed.wasm', import.meta.url);
    case 'debug':
      return new URL('../build/debug.wasm', import.meta.url);
  }
}

async function fetchBytes(url: URL): Promise<ArrayBuffer> {
  if (url.protocol === 'file:') {
    // Imported lazily so browser bundles never touch node:fs.
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(url).catch((e: unknown) => {
      throw new VgpError(
        `cannot read ${url.pathname} (${String(e)}); run \`npm run build -w @vgp/core\` first`,
      );
    });
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  const res = await fetch(url).catch((e: unknown) => {
    throw new VgpError(`cannot fetch ${url.href} (${String(e)}); check the network connection and try again`);
  });
  if (!res.ok)
    throw new VgpError(`cannot fetch ${url.href} (HTTP ${res.status}); check that the .wasm is served`);
  return res.arrayBuffer();
}

/** Whether this engine accepts the relaxed-SIMD binary (Chromium does; Node 20 only with a V8 flag). */
export async function relaxedSimdSupported(): Promise<boolean> {
  return WebAssembly.validate(await fetchBytes(binaryUrl('relaxed')));
}

type ConcreteBuild = Exclude<WasmBuild, 'auto'>;

/**
 * Compiled modules by requested build: fetching, validating and compiling happen once per page or
 * process, and every backend instantiates the same module (V8 then shares its optimized code).
 */
const compiledModules = new Map<WasmBuild, Promise<{ module: WebAssembly.Module; build: ConcreteBuild }>>();

function compile(build: WasmBuild): Promise<{ module: WebAssembly.Module; build: ConcreteBuild }> {
  let entry = compiledModules.get(build);
  if (entry === undefined) {
    entry = pickAndCompile(build);
    compiledModules.set(build, entry);
    entry.catch(() => compiledModules.delete(build)); // a failed fetch may succeed later
  }
  return entry;
}

async function pickAndCompile(
  build: WasmBuild,
): Promise<{ module: WebAssembly.Module; build: ConcreteBuild }> {
  let chosen: ConcreteBuild = build === 'auto' ? 'relaxed' : build;
  let bytes = await fetchBytes(binaryUrl(chosen));
  if (build === 'auto' && !WebAssembly.validate(bytes)) {
    chosen = 'simd';
    bytes = await fetchBytes(binaryUrl(chosen));
  }
  if (!WebAssembly.validate(bytes)) {
    throw new ConfigError(
      `this engine rejects the '${chosen}' wasm build (it needs SIMD${chosen === 'relaxed' ? ' and relaxed SIMD' : ''}); use 'auto'`,
    );
  }
  return { module: await WebAssembly.compile(bytes), build: chosen };
}

/**
 * A compiled binary that can cross to another thread: `WebAssembly.Module` is structured-cloneable, so
 * it travels in `postMessage` or a Node Worker's `workerData`, and every thread that instantiates it
 * shares one copy of its machine code (including the optimized code V8 tiers up to while any of them
 * runs it). `requested` is the build that was asked for ('auto' included), `build` the one it became.
 */
export interface CompiledWasm {
  module: WebAssembly.Module;
  requested: WasmBuild;
  build: 'simd' | 'relaxed' | 'debug';
}

const BUILDS: readonly WasmBuild[] = ['auto', 'simd', 'relaxed', 'debug'];

function checkBuild(build: unknown): asserts build is WasmBuild {
  if (!BUILDS.includes(build as WasmBuild)) {
    throw new ConfigError(`unknown wasm build '${String(build)}'; use 'auto', 'simd', 'relaxed' or 'debug'`);
  }
}

/**
 * The compiled module of a build (compiled once per process or page), to post to worker threads:
 * a worker that passes it to {@link adoptCompiledWasm} neither reads nor compiles the binary again,
 * and shares the optimized code with every other thread that runs it.
 */
export async function compiledWasm(build: WasmBuild = 'auto'): Promise<CompiledWasm> {
  checkBuild(build);
  const { module, build: chosen } = await compile(build);
  return { module, requested: build, build: chosen };
}

/**
 * Makes this thread's backends instantiate `compiled` (from {@link compiledWasm} in another thread)
 * for its build and for the build it was requested as. Throws `ConfigError` if it is not one.
 */
export function adoptCompiledWasm(compiled: CompiledWasm): void {
  if (
    compiled === null ||
    typeof compiled !== 'object' ||
    !(compiled.module instanceof WebAssembly.Module) ||
    !['simd', 'relaxed', 'debug'].includes(compiled.build)
  ) {
    throw new ConfigError(
      'adoptCompiledWasm takes what compiledWasm() returned: { module, requested, build }',
    );
  }
  checkBuild(compiled.requested);
  const entry = Promise.resolve({ module: compiled.module, build: compiled.build });
  compiledModules.set(compiled.build, entry);
  compiledModules.set(compiled.requested, entry);
}

/** Picks, compiles (once) and instantiates a build. `maxPages` caps the linear memory (default: all of wasm32). */
export async function loadWasm(build: WasmBuild, maxPages = WASM32_MAX_PAGES): Promise<LoadedWasm> {
  checkBuild(build);
  if (!Number.isInteger(maxPages) || maxPages < INITIAL_PAGES || maxPages > WASM32_MAX_PAGES) {
    throw new ConfigError(`maxMemoryBytes must be a multiple of 64 KiB between 1 MiB and 4 GiB`);
  }
  const { module, build: chosen } = await compile(build);
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: maxPages });
  // The raw exports, called directly: the AssemblyScript loader's wrappers take a rest array and
  // spread it on every call (no kernel has optional arguments, so they bought nothing), which was the
  // largest share of a small training step's garbage.
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory,
      // The only aborts the release builds keep come from the allocator (block too large);
      // debug builds also abort on failed kernel assertions, which must not read as OOM.
      abort(msg: number, file: number, line: number, col: number) {
        const where = readAsString(memory, file);
        throw new WasmAbort(`${readAsString(memory, msg)} at ${where}:${line}:${col}`, where);
      },
    },
  });
  return { exports: instance.exports as unknown as WasmExports, memory, build: chosen };
}

/** Raised by the module's `abort` import; the backend turns it into a typed error. */
export class WasmAbort extends Error {
  override name = 'WasmAbort';
  constructor(
    message: string,
    /** The AssemblyScript source file that aborted (e.g. `~lib/rt/tlsf.ts` for the allocator). */
    readonly file: string,
  ) {
    super(message);
  }
}

/** Decodes an AssemblyScript string (UTF-16, byte length stored just before it) for abort messages. */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return '?';
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0] ?? 0;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}
