// What a benchmark suite is. A suite is one file under src/suites/ plus one line in
// src/suites/index.ts; main.ts knows nothing about any particular suite.

import type { BaselineCore } from './baseline.js';
import type { MeasureOptions } from './harness.js';
import type { MachineInfo } from './machine.js';

export interface SuiteContext {
  /** One small case of each kind: keeps the harness working in CI, says nothing about speed. */
  quick: boolean;
  measure: MeasureOptions;
  /** Whether this engine runs the relaxed-SIMD build (Node 20 needs --experimental-wasm-relaxed-simd). */
  relaxed: boolean;
  /** Skip TensorFlow.js peers (faster runs while iterating on vgp itself). */
  peers: boolean;
  machine: MachineInfo;
  /** Another build of @vgp/core to race against this one (--baseline DIR); suites that time kernels use it. */
  baseline?: BaselineCore;
  /** Progress lines go to stderr, so stdout stays a clean markdown report. */
  log(line: string): void;
}

export interface SuiteResult {
  /** Markdown sections for stdout. */
  markdown: string;
  /** Files to write into bench-results/, by name (e.g. 'gemm.json'), as JSON values. */
  files: Record<string, unknown>;
}

export interface Suite {
  name: string;
  description: string;
  run(ctx: SuiteContext): Promise<SuiteResult>;
}
