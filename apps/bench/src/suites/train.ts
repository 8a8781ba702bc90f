// train: whole training steps (batch assembly, forward, loss, backward, optimizer update) through
// @vgp/nn's Trainer, on the three models of issue 3, against tfjs-layers on tfjs's WASM and CPU
// backends. Writes train.json ({ backend, variant, model, stepsPerSec } for vgp) and
// train-report.json (machine, settings, peers, samples, per-round ratios).
// Before timing, every contestant's first loss is checked against the float64 TS reference on the
// same weights and batch, so a broken backend cannot post a fast time.
import { type Backend, createBackend } from '@vgp/core';
import { buildModel, type Dataset, type ModelSpec, Rng, Trainer } from '@vgp/nn';
import { type Contestant, type Measurement, measureInterleaved, speedup } from '../harness.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';
import { tfjsTrainContestant } from './train-tfjs.js';

type ModelName = 'mlp20x64' | 'mlp20x256' | 'lstm128';

interface TrainCase {
  model: ModelName;
  spec: ModelSpec;
  batch: number;
  /** Sequence length for recurrent models. */
  time?: number;
}

// The models of issue 3 (the tfjs-wasm figures quoted there, ~71 / 5.3 / 2.7 steps/s, are for these).
const CASES: TrainCase[] = [
  {
    model: 'mlp20x64',
    spec: { kind: 'mlp', input: 2, output: 1, depth: 20, width: 64, activation: 'sigmoid' },
    batch: 64,
  },
  {
    model: 'mlp20x256',
    spec: { kind: 'mlp', input: 2, output: 1, depth: 20, width: 256, activation: 'sigmoid' },
    batch: 64,
  },
  {
    model: 'lstm128',
    spec: { kind: 'recurrent', input: 32, output: 1, cell: 'lstm', hidden: 128, layers: 1 },
    batch: 32,
    time: 50,
  },
];

type Kind = 'simd' | 'relaxed' | 'ts';
/** A WASM build of the baseline core (--baseline), raced against this checkout's build of the same name. */
type BaselineKind = 'baseline-simd' | 'baseline-relaxed';

/** Random regression data: 8 batches' worth, so steps cycle through real shuffled batches. */
function dataFor(c: TrainCase): Dataset {
  const rng = new Rng(1).fork(c.model);
  const n = 8 * c.batch;
  const xShape = c.time === undefined ? [n, c.spec.input] : [c.time, n, c.spec.input];
  const x = Float32Array.from({ length: xShape.reduce((a, b) => a * b, 1) }, () => rng.range(-1, 1));
  const y = Float32Array.from({ length: n }, () => rng.range(-1, 1));
  return { name: c.model, x, xShape, y, yShape: [n, 1] };
}

const backends = new Map<Kind | BaselineKind | 'ts64', Promise<Backend>>();
function backendOf(kind: Kind | BaselineKind | 'ts64', ctx?: SuiteContext): Promise<Backend> {
  let b = backends.get(kind);
  if (b === undefined) {
    if (kind === 'ts64') b = createBackend('ts', { precision: 'f64' });
    else if (kind === 'ts') b = createBackend('ts');
    else if (kind === 'simd' || kind === 'relaxed') b = createBackend('wasm', { wasmBuild: kind });
    else {
      const baseline = ctx?.baseline;
      if (baseline === undefined) throw new Error(`${kind} needs --baseline DIR`);
      b = baseline.createBackend('wasm', { wasmBuild: kind === 'baseline-simd' ? 'simd' : 'relaxed' });
    }
    backends.set(kind, b);
  }
  return b;
}

/** A trainer for case `c` on `backend`: SGD (lr 0.01) on MSE, as issue 3 specifies, same seeds everywhere. */
function trainerFor(c: TrainCase, backend: Backend, data: Dataset): Trainer {
  const model = buildModel(c.spec, { backend, seed: 1 });
  return new Trainer(model, data, {
    optimizer: { kind: 'sgd', lr: 0.01 },
    loss: 'mse',
    batchSize: c.batch,
    seed: 1,
  });
}

function vgpContestant(
  id: string,
  kind: Kind | BaselineKind,
  c: TrainCase,
  data: Dataset,
  reference: number,
  ctx?: SuiteContext,
): Contestant {
  return {
    id,
    async setup() {
      const trainer = trainerFor(c, await backendOf(kind, ctx), data);
      const first = trainer.step().loss;
      // f32 against f64 over a whole forward pass: 1e-3 relative is far above rounding, far below a bug.
      if (!(Math.abs(first - reference) <= 1e-3 * Math.abs(reference))) {
        throw new Error(`${id} ${c.model}: first loss ${first}, the f64 reference gives ${reference}`);
      }
      return {
        run: () => {
          trainer.step();
        },
        dispose: () => {
          trainer.model.dispose();
          trainer.dispose();
        },
      };
    },
  };
}

async function referenceLoss(c: TrainCase, data: Dataset): Promise<number> {
  const trainer = trainerFor(c, await backendOf('ts64'), data);
  const loss = trainer.step().loss;
  trainer.model.dispose();
  trainer.dispose();
  return loss;
}

const COLUMNS = ['vgp-wasm-simd', 'vgp-wasm-relaxed', 'vgp-ts', 'tfjs-wasm', 'tfjs-cpu'];

/** Ratios issue 6 asks for, each the median of per-round ratios: [faster, slower]. */
const RATIO_PAIRS: Array<[string, string]> = [
  ['vgp-wasm-simd', 'tfjs-wasm'],
  ['vgp-wasm-relaxed', 'tfjs-wasm'],
  ['vgp-wasm-simd', 'vgp-ts'],
  ['vgp-wasm-simd', 'tfjs-cpu'],
  // With --baseline: this checkout's build over the baseline's (below 1 = this one is slower).
  ['vgp-wasm-simd', 'baseline-wasm-simd'],
  ['vgp-wasm-relaxed', 'baseline-wasm-relaxed'],
];

function contestantsFor(c: TrainCase, ctx: SuiteContext, data: Dataset, reference: number): Contestant[] {
  const list = [vgpContestant('vgp-wasm-simd', 'simd', c, data, reference)];
  if (ctx.relaxed) list.push(vgpContestant('vgp-wasm-relaxed', 'relaxed', c, data, reference));
  list.push(vgpContestant('vgp-ts', 'ts', c, data, reference));
  if (ctx.baseline !== undefined) {
    list.push(vgpContestant('baseline-wasm-simd', 'baseline-simd', c, data, reference, ctx));
    if (ctx.relaxed) {
      list.push(vgpContestant('baseline-wasm-relaxed', 'baseline-relaxed', c, data, reference, ctx));
    }
  }
  if (ctx.peers) {
    const spec = c.spec;
    const peer =
      spec.kind === 'mlp'
        ? { model: c.model, depth: spec.depth, width: spec.width, input: spec.input, batch: c.batch }
        : { model: c.model, lstmHidden: spec.hidden, input: spec.input, batch: c.batch, time: c.time };
    list.push(tfjsTrainContestant('tfjs-wasm', 'wasm', peer), tfjsTrainContestant('tfjs-cpu', 'cpu', peer));
  }
  return list;
}

const fmt = (x: number | undefined, digits = 1) => (x === undefined ? '–' : x.toFixed(digits));

export const trainSuite: Suite = {
  name: 'train',
  description:
    'training steps/s: mlp20x64, mlp20x256 (sigmoid, SGD), lstm128 (T=50); vgp wasm/ts, tfjs wasm/cpu',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const results: Array<{ backend: 'wasm' | 'ts'; variant: string; model: ModelName; stepsPerSec: number }> =
      [];
    const ratios: Array<Record<string, unknown>> = [];
    const peers: Array<Record<string, unknown>> = [];
    const samples: Array<Record<string, unknown>> = [];
    const rows: string[] = [];
    const baselineRows: string[] = [];
    // Quick mode (CI) keeps the harness honest on the smallest model only.
    for (const c of ctx.quick ? CASES.slice(0, 1) : CASES) {
      const data = dataFor(c);
      const reference = await referenceLoss(c, data);
      const ms: Measurement[] = await measureInterleaved(
        contestantsFor(c, ctx, data, reference),
        ctx.measure,
      );
      const rate = new Map(ms.map((m) => [m.id, 1 / m.seconds]));
      for (const m of ms) {
        samples.push({ model: c.model, id: m.id, secondsPerStep: m.samples, reps: m.reps });
        if (m.id.startsWith('baseline-')) continue; // reported as ratios to this build, below
        if (m.id.startsWith('tfjs-')) {
          peers.push({ peer: m.id, model: c.model, stepsPerSec: Number((1 / m.seconds).toFixed(2)) });
          continue;
        }
        const wasm = m.id.startsWith('vgp-wasm-');
        results.push({
          backend: wasm ? 'wasm' : 'ts',
          variant: wasm ? m.id.slice(9) : 'scalar',
          model: c.model,
          stepsPerSec: Number((1 / m.seconds).toFixed(2)),
        });
      }
      const caseRatios = RATIO_PAIRS.map(([fast, slow]) => ({ fast, slow, x: speedup(ms, fast, slow) }));
      for (const r of caseRatios) {
        if (r.x !== undefined) {
          ratios.push({ model: c.model, faster: r.fast, slower: r.slow, speedup: Number(r.x.toFixed(3)) });
        }
      }
      const cells = caseRatios.slice(0, 3).map((r) => fmt(r.x));
      rows.push(
        `| ${c.model} | ${COLUMNS.map((id) => fmt(rate.get(id))).join(' | ')} | ${cells.join(' | ')} |`,
      );
      if (ctx.baseline !== undefined) {
        const cell = (id: string, x: number | undefined) =>
          `${fmt(rate.get(`vgp-${id}`))} / ${fmt(rate.get(`baseline-${id}`))} = ${fmt(x, 3)}`;
        baselineRows.push(
          `| ${c.model} | ${cell('wasm-simd', caseRatios[4]?.x)} | ${cell('wasm-relaxed', caseRatios[5]?.x)} |`,
        );
      }
      ctx.log(`train ${c.model}: ${ms.map((m) => `${m.id} ${fmt(1 / m.seconds)}`).join(', ')} steps/s`);
    }
    const markdown =
      `## train (steps/s, median of ${ctx.measure.rounds} interleaved rounds)\n\n` +
      `| model | ${COLUMNS.join(' | ')} | simd/tfjs-wasm | relaxed/tfjs-wasm | simd/ts |\n` +
      `|---|${COLUMNS.map(() => '---:').join('|')}|---:|---:|---:|\n` +
      `${rows.join('\n')}\n\n` +
      'One step = batch assembly, forward, MSE, backward, SGD update (`Trainer.step`). mlp20xW: 20 hidden ' +
      'Dense+sigmoid layers of width W, input 2, output 1, batch 64. lstm128: LSTM hidden 128 over T=50 ' +
      'steps of 32 inputs, batch 32, Dense head on the last state. tfjs: the same models in tfjs-layers ' +
      "(LSTM with sigmoid gates), one `optimizer.minimize` per step, single-threaded. '–': not measured " +
      '(relaxed only where the engine validates it; peers off with --no-peers).\n' +
      (ctx.baseline === undefined
        ? ''
        : `\n### this build against the baseline in ${ctx.baseline.dir}\n\n` +
          '| model | simd: this / baseline steps/s = ratio | relaxed: this / baseline = ratio |\n' +
          '|---|---:|---:|\n' +
          `${baselineRows.join('\n')}\n\n` +
          'Ratios are medians of per-round ratios (both builds timed in every round, in one process); ' +
          'below 1 means this checkout is slower.\n');
    return {
      markdown,
      files: {
        'train.json': results,
        'train-report.json': {
          machine: ctx.machine,
          measure: ctx.measure,
          ...(ctx.baseline === undefined ? {} : { baseline: ctx.baseline.dir }),
          results,
          peers,
          ratios,
          samples,
        },
      },
    };
  },
};
