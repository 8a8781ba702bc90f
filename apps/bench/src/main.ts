// `npm run bench -- [suite...] [--quick] [--no-peers] [--no-relaxed] [--rounds N] [--baseline DIR] [--out DIR]`
// Runs the named suites (all by default), prints markdown to stdout and writes bench-results/*.json.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BaselineCore, loadBaselineCore } from './baseline.js';
import { FULL, type MeasureOptions, QUICK } from './harness.js';
import { describeMachine, engineAccepts, machineInfo } from './machine.js';
import type { SuiteContext } from './suite.js';
import { SUITES } from './suites/index.js';

const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';
const REEXEC_ENV = 'VGP_BENCH_REEXEC';
/** apps/bench/dist/main.js -> the repository root's bench-results/. */
const DEFAULT_OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bench-results');

const USAGE = `usage: npm run bench -- [suite...] [options]

suites: ${SUITES.map((s) => `\n  ${s.name.padEnd(8)} ${s.description}`).join('')}

options:
  --quick        one small case per suite (CI smoke test; says nothing about speed)
  --no-peers     skip TensorFlow.js
  --no-relaxed   do not restart Node with ${RELAXED_FLAG} to measure the relaxed-SIMD build
  --rounds N     interleaved timed rounds per case (default ${FULL.rounds}, quick ${QUICK.rounds})
  --clock C      'wall' (default) or 'cpu': this process's CPU time, which leaves out time spent
                 waiting for a core on a shared machine (both are recorded in the JSON either way)
  --baseline DIR another commit's @vgp/core, built by apps/bench/scripts/build-baseline.sh, raced
                 against this one in the same rounds (train suite: baseline-wasm-* contestants and
                 this/baseline ratios)
  --out DIR      where to write JSON (default: <repo>/bench-results, quick: <repo>/bench-results/quick)
  --help`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      'no-peers': { type: 'boolean', default: false },
      'no-relaxed': { type: 'boolean', default: false },
      rounds: { type: 'string' },
      clock: { type: 'string', default: 'wall' },
      out: { type: 'string' },
      baseline: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const unknown = positionals.filter((p) => !SUITES.some((s) => s.name === p));
  if (unknown.length > 0) {
    console.error(
      `unknown suite '${unknown.join("', '")}'; choose from ${SUITES.map((s) => s.name).join(', ')}`,
    );
    return 2;
  }
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1)) {
    console.error(`--rounds must be a positive integer, got '${values.rounds}'`);
    return 2;
  }

  const clock: MeasureOptions['clock'] = values.clock === 'cpu' ? 'cpu' : 'wall';
  if (values.clock !== clock) {
    console.error(`--clock must be 'wall' or 'cpu', got '${values.clock}'`);
    return 2;
  }

  // Node 20 validates relaxed SIMD only behind a V8 flag: restart once with it, so the relaxed
  // build is measured in the same process, interleaved with everything else. The plain-SIMD build
  // compiles to the same code with or without the flag.
  if (!values['no-relaxed'] && !process.env[REEXEC_ENV] && !(await engineAccepts('relaxed'))) {
    const args = [RELAXED_FLAG, ...process.execArgv, ...process.argv.slice(1)];
    const child = spawnSync(process.execPath, args, {
      stdio: 'inherit',
      env: { ...process.env, [REEXEC_ENV]: '1' },
    });
    return child.status ?? 1;
  }

  let baseline: BaselineCore | undefined;
  if (values.baseline !== undefined) {
    try {
      baseline = await loadBaselineCore(values.baseline);
    } catch (e) {
      console.error(e instanceof Error ? e.message : String(e));
      return 2;
    }
  }

  const machine = await machineInfo();
  const measure: MeasureOptions = { ...(values.quick ? QUICK : FULL), ...(rounds ? { rounds } : {}), clock };
  const ctx: SuiteContext = {
    quick: values.quick,
    measure,
    relaxed: machine.wasmRelaxedSimd,
    peers: !values['no-peers'],
    machine,
    ...(baseline === undefined ? {} : { baseline }),
    log: (line) => console.error(line),
  };
  const outDir = path.resolve(values.out ?? (values.quick ? path.join(DEFAULT_OUT, 'quick') : DEFAULT_OUT));
  const chosen = positionals.length > 0 ? SUITES.filter((s) => positionals.includes(s.name)) : SUITES;
  // Before the suites, not after: a folder that cannot be made would lose minutes of measurements.
  try {
    mkdirSync(outDir, { recursive: true });
    accessSync(outDir, constants.W_OK);
  } catch (e) {
    console.error(
      `--out ${outDir}: ${e instanceof Error ? e.message : e}; choose a folder bench can write to`,
    );
    return 2;
  }

  console.error(`vgp bench${values.quick ? ' (quick)' : ''}: ${describeMachine(machine)}`);
  const sections: string[] = [];
  const files: Record<string, unknown> = {};
  for (const suite of chosen) {
    const result = await suite.run(ctx);
    sections.push(result.markdown);
    Object.assign(files, result.files);
  }
  machine.loadAverageEnd = os.loadavg()[0];

  console.log(`# vgp benchmarks${values.quick ? ' (quick mode: harness check, not a measurement)' : ''}\n`);
  console.log(`Machine: ${describeMachine(machine)}; ${machine.date}\n`);
  console.log(sections.join('\n'));
  for (const [name, value] of Object.entries(files)) {
    writeFileSync(path.join(outDir, name), `${JSON.stringify(value, null, 2)}\n`);
  }
  console.error(`wrote ${Object.keys(files).join(', ')} to ${outDir}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  },
);
