// gemm: vgp WASM (plain SIMD, relaxed SIMD) vs vgp TS vs tfjs WASM and CPU, every transpose
// combination, square 64..1024 and the MLP shapes of issue 2. Writes gemm.json (vgp only, the
// format of issue 2) and gemm-report.json (machine, peers, pairwise ratios).
import os from 'node:os';
import { type Contestant, type Measurement, measureInterleaved, speedup } from '../harness.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';
import { type GemmCase, gemmInputs, tfjsContestant, vgpContestant } from './gemm-contestants.js';

/** [m, k, n]: square sizes, then the shapes of a Dense layer's forward/backward at batch 64 and 256. */
const FULL_SHAPES: Array<[number, number, number]> = [
  [64, 64, 64],
  [128, 128, 128],
  [256, 256, 256],
  [512, 512, 512],
  [1024, 1024, 1024],
  [64, 256, 256],
  [64, 1024, 1024],
  [256, 512, 512],
];
const QUICK_SHAPES: Array<[number, number, number]> = [[64, 64, 64]];

const TRANSPOSES: Array<[boolean, boolean]> = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

/**
 * The plain-JS contestants (vgp-ts ~1 GFLOPS, tfjs-cpu ~0.7) would take most of the run at 1024^3,
 * so they run up to 512^3 flops and on the one untransposed 1024^3 case.
 */
function slowPathRuns(c: GemmCase): boolean {
  const flops = 2 * c.m * c.n * c.k;
  return flops <= 2 * 512 ** 3 || (c.m === 1024 && c.n === 1024 && c.k === 1024 && !c.transA && !c.transB);
}

const gflops = (c: GemmCase, seconds: number) => (2 * c.m * c.n * c.k) / seconds / 1e9;

/** The ratios issue 6 asks for, each median of round-by-round ratios: [faster, slower]. */
const RATIO_PAIRS: Array<[string, string]> = [
  ['vgp-wasm-simd', 'tfjs-wasm'],
  ['vgp-wasm-relaxed', 'tfjs-wasm'],
  ['vgp-wasm-simd', 'vgp-ts'],
  ['vgp-wasm-simd', 'tfjs-cpu'],
  ['vgp-wasm-relaxed', 'vgp-wasm-simd'],
];

const COLUMNS = ['vgp-wasm-simd', 'vgp-wasm-relaxed', 'vgp-ts', 'tfjs-wasm', 'tfjs-cpu'];

function contestantsFor(c: GemmCase, ctx: SuiteContext): Contestant[] {
  const inputs = gemmInputs(c);
  const list = [vgpContestant('vgp-wasm-simd', 'simd', c, inputs)];
  if (ctx.relaxed) list.push(vgpContestant('vgp-wasm-relaxed', 'relaxed', c, inputs));
  if (ctx.quick || slowPathRuns(c)) list.push(vgpContestant('vgp-ts', 'ts', c, inputs));
  if (ctx.peers) {
    list.push(tfjsContestant('tfjs-wasm', 'wasm', c, inputs));
    if (ctx.quick || slowPathRuns(c)) list.push(tfjsContestant('tfjs-cpu', 'cpu', c, inputs));
  }
  return list;
}

const t = (b: boolean) => (b ? 'T' : 'N');
// Three significant figures at most, two decimals below 10, so 0.04 does not print as 0.0.
const fmt = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2));

export const gemmSuite: Suite = {
  name: 'gemm',
  description: 'C = op(A) op(B): vgp wasm simd/relaxed, vgp ts, tfjs wasm/cpu; all transposes',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const cases: GemmCase[] = [];
    for (const [m, k, n] of ctx.quick ? QUICK_SHAPES : FULL_SHAPES) {
      for (const [transA, transB] of TRANSPOSES) cases.push({ transA, transB, m, n, k });
    }
    const results: Array<Record<string, unknown>> = [];
    const peers: Array<Record<string, unknown>> = [];
    const ratios: Array<Record<string, unknown>> = [];
    // Raw samples and the machine load at each case, so a surprising figure can be judged later.
    const raw: Array<Record<string, unknown>> = [];
    const rows: string[] = [];
    for (const c of cases) {
      const label = `${c.m}x${c.k}x${c.n} ${t(c.transA)}${t(c.transB)}`;
      const ms: Measurement[] = await measureInterleaved(contestantsFor(c, ctx), ctx.measure);
      const shape = { transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k };
      raw.push({ ...shape, loadAverage: Number(os.loadavg()[0].toFixed(2)), measurements: ms });
      const rate = new Map(ms.map((x) => [x.id, gflops(c, x.seconds)]));
      for (const x of ms) {
        const g = Number(gflops(c, x.seconds).toFixed(3));
        if (x.id.startsWith('vgp-wasm-'))
          results.push({ backend: 'wasm', variant: x.id.slice(9), ...shape, gflops: g });
        else if (x.id === 'vgp-ts') results.push({ backend: 'ts', variant: 'scalar', ...shape, gflops: g });
        else peers.push({ peer: x.id, ...shape, gflops: g });
      }
      const caseRatios = RATIO_PAIRS.map(([fast, slow]) => ({ fast, slow, x: speedup(ms, fast, slow) }));
      for (const r of caseRatios) {
        if (r.x !== undefined)
          ratios.push({ ...shape, faster: r.fast, slower: r.slow, speedup: Number(r.x.toFixed(3)) });
      }
      const ratioCells = caseRatios.slice(0, 3).map((r) => fmt(r.x));
      rows.push(
        `| ${label} | ${COLUMNS.map((id) => fmt(rate.get(id))).join(' | ')} | ${ratioCells.join(' | ')} |`,
      );
      ctx.log(`gemm ${label}: ${ms.map((x) => `${x.id} ${fmt(gflops(c, x.seconds))}`).join(', ')} GFLOPS`);
    }
    const header =
      `| m x k x n, op | ${COLUMNS.join(' | ')} | simd/tfjs-wasm | relaxed/tfjs-wasm | simd/ts |\n` +
      `|---|${COLUMNS.map(() => '---:').join('|')}|---:|---:|---:|`;
    const markdown =
      `## gemm (GFLOPS on the ${ctx.measure.clock} clock, median of ${ctx.measure.rounds} interleaved rounds; ratios are medians of per-round ratios)\n\n` +
      `${header}\n${rows.join('\n')}\n\n` +
      `N/T: operand stored as is / transposed. '–': not measured (vgp-ts and tfjs-cpu run up to 512^3 ` +
      `flops plus untransposed 1024^3; relaxed only where the engine validates it; peers off with --no-peers).\n`;
    return {
      markdown,
      files: {
        'gemm.json': results,
        'gemm-report.json': { machine: ctx.machine, measure: ctx.measure, results, peers, ratios, raw },
      },
    };
  },
};
