// sweep: what the sweep pool's threads buy. The same sweep of 8 equal jobs (one config, 8 seeds) runs
// as `vgp sweep --jobs 1` and `vgp sweep --jobs 2`, each into a fresh output directory, in interleaved
// rounds; the figure is the median over rounds of the per-round wall-time ratio jobs 2 / jobs 1.
// Issue 12's target on a 2-core machine: at most 0.6. Each timing is the whole command, as a user
// waits for it: Node's start, loading the backend on each thread, the jobs, the aggregation.
// Writes sweep.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../harness.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';

/** apps/bench/dist/suites/sweep.js -> apps/cli/bin/vgp.js */
const VGP_BIN = fileURLToPath(new URL('../../../cli/bin/vgp.js', import.meta.url));
const JOBS = 8;
const THREADS = [1, 2] as const;

/**
 * One job is about a second of training on a quiet core (1000 steps of a 20x64 ReLU MLP: ~1.2 s on this
 * 2-core EPYC; quick: a fraction, only the harness is checked). Shorter jobs measure thread start-up
 * (importing @vgp/nn and compiling the WASM module, ~0.5 s of CPU per thread) more than the pool.
 */
function spec(quick: boolean) {
  return {
    name: 'bench-sweep',
    base: {
      task: { kind: 'moons', n: 512, noise: 0.1 },
      model: { kind: 'mlp', depth: 20, width: 64, activation: 'relu', init: 'heNormal' },
      optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 },
      batchSize: 64,
      steps: quick ? 20 : 1000,
      seed: 1,
      backend: 'wasm',
    },
    axes: { seed: `1..${JOBS}` },
  };
}

/** Wall seconds of one `vgp sweep` into a fresh directory. */
function timeSweep(specFile: string, threads: number, work: string): Promise<number> {
  const dir = mkdtempSync(path.join(work, `j${threads}-`));
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [VGP_BIN, 'sweep', '-c', specFile, '--jobs', String(threads), '-d', dir, '--json', '--no-progress'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    child.on('exit', (code) => {
      const s = (performance.now() - start) / 1000;
      rmSync(dir, { recursive: true, force: true });
      if (code === 0) resolve(s);
      else reject(new Error(`vgp sweep --jobs ${threads} exited with ${code}: ${err}`));
    });
  });
}

export const sweepSuite: Suite = {
  name: 'sweep',
  description: `vgp sweep of ${JOBS} equal jobs: --jobs 2 vs --jobs 1 wall time (target <= 0.6x on 2 cores)`,
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    if (!existsSync(VGP_BIN) || !existsSync(new URL('../../../cli/dist/main.js', import.meta.url))) {
      throw new Error('the sweep suite runs the built CLI: build apps/cli first (npm run build)');
    }
    const work = mkdtempSync(path.join(os.tmpdir(), 'vgp-bench-sweep-'));
    const specFile = path.join(work, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec(ctx.quick)));
    const rounds = ctx.measure.rounds;
    const seconds: Record<number, number[]> = { 1: [], 2: [] };
    const ratios: number[] = [];
    try {
      for (let r = 0; r < rounds; r++) {
        // Alternate which goes first, so neither always meets the same phase of the machine's load.
        const order = r % 2 === 0 ? THREADS : [...THREADS].reverse();
        for (const t of order) {
          const s = await timeSweep(specFile, t, work);
          seconds[t]?.push(s);
          ctx.log(`sweep: round ${r + 1}/${rounds}, --jobs ${t}: ${s.toFixed(2)} s`);
        }
        ratios.push((seconds[2]?.[r] as number) / (seconds[1]?.[r] as number));
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const ratio = median(ratios);
    const s1 = median(seconds[1] ?? []);
    const s2 = median(seconds[2] ?? []);
    const markdown = [
      `## sweep: ${JOBS} equal jobs on the worker-thread pool`,
      '',
      `${spec(ctx.quick).base.steps} steps of a 20x64 ReLU MLP per job; ${rounds} interleaved rounds; ${os.availableParallelism()} cores.`,
      '',
      '| --jobs 1 (s) | --jobs 2 (s) | jobs 2 / jobs 1 | target |',
      '|---:|---:|---:|---:|',
      `| ${s1.toFixed(2)} | ${s2.toFixed(2)} | ${ratio.toFixed(2)}x | <= 0.6x |`,
      '',
    ].join('\n');
    return {
      markdown,
      files: {
        'sweep.json': {
          jobs: JOBS,
          steps: spec(ctx.quick).base.steps,
          rounds,
          seconds,
          ratios,
          ratio,
          cores: os.availableParallelism(),
        },
      },
    };
  },
};
