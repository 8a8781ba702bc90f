// What a result means depends on where it was measured: record the machine, the engine, the
// features and how busy the machine was, next to every result file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { createBackend } from '@vgp/core';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  v8: string;
  /** V8 flags this process was started with (the relaxed variant needs one on Node 20). */
  execArgv: string[];
  wasmSimd: boolean;
  /** Whether this engine, as started, validates the relaxed-SIMD build. */
  wasmRelaxedSimd: boolean;
  /** 1-minute load average when the run started; above ~0.5 on 2 cores other work was competing. */
  loadAverageStart: number;
  loadAverageEnd?: number;
  packages: Record<string, string>;
  date: string;
}

/** Whether the engine accepts a build of @vgp/core (the loader throws ConfigError when it does not). */
export async function engineAccepts(build: 'simd' | 'relaxed'): Promise<boolean> {
  try {
    await createBackend('wasm', { wasmBuild: build });
    return true;
  } catch {
    return false;
  }
}

function versionOf(pkg: string): string {
  try {
    const require = createRequire(import.meta.url);
    const file = require.resolve(`${pkg}/package.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export async function machineInfo(): Promise<MachineInfo> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    execArgv: process.execArgv,
    wasmSimd: await engineAccepts('simd'),
    wasmRelaxedSimd: await engineAccepts('relaxed'),
    loadAverageStart: os.loadavg()[0],
    packages: Object.fromEntries(
      ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu'].map((p) => [
        p,
        versionOf(p),
      ]),
    ),
    date: new Date().toISOString(),
  };
}

export function describeMachine(m: MachineInfo): string {
  const load =
    m.loadAverageEnd === undefined
      ? ''
      : `, load ${m.loadAverageStart.toFixed(2)} -> ${m.loadAverageEnd.toFixed(2)}`;
  return (
    `${m.cpu}, ${m.cores} cores, Node ${m.node} (V8 ${m.v8})${m.execArgv.length ? ` ${m.execArgv.join(' ')}` : ''}, ` +
    `wasm SIMD ${m.wasmSimd ? 'yes' : 'no'}, relaxed SIMD ${m.wasmRelaxedSimd ? 'yes' : 'no'}${load}`
  );
}
