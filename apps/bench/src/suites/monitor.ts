// monitor: what recording diagnostics every step costs. The same Trainer step is timed alone and
// followed by GradientMonitor.take (every parameter's grad/weight norms, update ratio, near-zero
// count; every layer's backward signal, activation mean/std, saturation or dead units; ||dL/dh_t||),
// interleaved round by round. Issue 4's target: at most 10% of a training step. Issue 14 added
// gradient histograms (every HISTOGRAM_EVERY-th record by default); the monitors here run at that
// default, and one more monitored trainer with histograms off shows what they add. Writes monitor.json.
import { type Backend, createBackend } from '@vgp/core';
import {
  buildModel,
  type Dataset,
  GradientMonitor,
  HISTOGRAM_EVERY,
  type ModelSpec,
  Rng,
  Trainer,
} from '@vgp/nn';
import { type Contestant, measureInterleaved, speedup } from '../harness.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';

interface MonitorCase {
  model: string;
  spec: ModelSpec;
  batch: number;
  time?: number;
}

// The playground's default size first (where fixed per-call costs weigh most), then issue 3's models.
const CASES: MonitorCase[] = [
  {
    model: 'mlp10x32',
    spec: { kind: 'mlp', input: 2, output: 1, depth: 10, width: 32, activation: 'tanh' },
    batch: 32,
  },
  {
    model: 'mlp20x64',
    spec: { kind: 'mlp', input: 2, output: 1, depth: 20, width: 64, activation: 'sigmoid' },
    batch: 64,
  },
  {
    model: 'mlp20x256',
    spec: { kind: 'mlp', input: 2, output: 1, depth: 20, width: 256, activation: 'relu' },
    batch: 64,
  },
  {
    model: 'lstm128',
    spec: { kind: 'recurrent', input: 32, output: 1, cell: 'lstm', hidden: 128, layers: 1 },
    batch: 32,
    time: 50,
  },
];

function dataFor(c: MonitorCase): Dataset {
  const rng = new Rng(2).fork(c.model);
  const n = 8 * c.batch;
  const xShape = c.time === undefined ? [n, c.spec.input] : [c.time, n, c.spec.input];
  const x = Float32Array.from({ length: xShape.reduce((a, b) => a * b, 1) }, () => rng.range(-1, 1));
  const y = Float32Array.from({ length: n }, () => rng.range(-1, 1));
  return { name: c.model, x, xShape, y, yShape: [n, 1] };
}

/**
 * 'none': the bare step; 'lean': the monitor told the optimizer (SGD: update = lr * g, no copy);
 * 'copy': it keeps a weight copy (as for Adam); 'nohist': 'lean' with gradient histograms off. All
 * monitored modes but 'nohist' take histograms at the default sampling.
 */
type Mode = 'none' | 'lean' | 'copy' | 'nohist';

/**
 * Wall time a monitored contestant spent in `trainer.step()` and in `monitor.take()` (what a training
 * loop calls: the record goes into the log), summed over all its calls. Their ratio is the record's cost within one trainer: the overhead columns compare
 * two trainers whose buffers sit at different addresses, which alone moves a step by a few percent.
 */
interface Split {
  step: number;
  record: number;
}

function contestant(
  id: string,
  mode: Mode,
  c: MonitorCase,
  backend: Backend,
  data: Dataset,
  split?: Split,
): Contestant {
  return {
    id,
    async setup() {
      const model = buildModel(c.spec, { backend, seed: 1 });
      const trainer = new Trainer(model, data, {
        optimizer: { kind: 'sgd', lr: 0.01 },
        loss: 'mse',
        batchSize: c.batch,
        seed: 1,
      });
      const monitor =
        mode === 'none'
          ? null
          : new GradientMonitor(model, {
              every: 1,
              maxRecords: 64,
              ...(mode === 'lean' || mode === 'nohist' ? { optimizer: trainer.optimizer } : {}),
              ...(mode === 'nohist' ? { histogramEvery: 0 } : {}),
            });
      return {
        run: () => {
          if (!monitor || !split) {
            trainer.step();
            return;
          }
          const t0 = performance.now();
          const rec = trainer.step();
          const t1 = performance.now();
          monitor.take(rec.step, { loss: rec.loss });
          split.step += t1 - t0;
          split.record += performance.now() - t1;
        },
        dispose: () => {
          monitor?.dispose();
          trainer.dispose();
          model.dispose();
        },
      };
    },
  };
}

export const monitorSuite: Suite = {
  name: 'monitor',
  description: 'cost of GradientMonitor.take every step, as a fraction of a training step (wasm simd)',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const backend = await createBackend('wasm', { wasmBuild: 'simd' });
    const results: Array<Record<string, unknown>> = [];
    const rows: string[] = [];
    try {
      for (const c of ctx.quick ? CASES.slice(0, 1) : CASES) {
        const data = dataFor(c);
        const lean: Split = { step: 0, record: 0 };
        const copy: Split = { step: 0, record: 0 };
        const nohist: Split = { step: 0, record: 0 };
        const ms = await measureInterleaved(
          [
            contestant('train', 'none', c, backend, data),
            contestant('train+monitor', 'lean', c, backend, data, lean),
            contestant('train+monitor(copy)', 'copy', c, backend, data, copy),
            contestant('train+monitor(no histograms)', 'nohist', c, backend, data, nohist),
          ],
          ctx.measure,
        );
        const recordShare = lean.record / lean.step;
        const copyRecordShare = copy.record / copy.step;
        // What histograms add at their default sampling: the difference of two record / step shares,
        // each measured within its own trainer.
        const histogramShare = recordShare - nohist.record / nohist.step;
        const ratio = speedup(ms, 'train', 'train+monitor') ?? Number.NaN;
        const step = ms.find((m) => m.id === 'train')?.seconds ?? Number.NaN;
        const monitored = ms.find((m) => m.id === 'train+monitor')?.seconds ?? Number.NaN;
        const overhead = ratio - 1;
        const copyOverhead = (speedup(ms, 'train', 'train+monitor(copy)') ?? Number.NaN) - 1;
        results.push({
          model: c.model,
          stepMs: Number((step * 1e3).toFixed(4)),
          monitoredStepMs: Number((monitored * 1e3).toFixed(4)),
          overhead: Number(overhead.toFixed(4)),
          copyOverhead: Number(copyOverhead.toFixed(4)),
          recordShare: Number(recordShare.toFixed(4)),
          copyRecordShare: Number(copyRecordShare.toFixed(4)),
          noHistogramRecordShare: Number((nohist.record / nohist.step).toFixed(4)),
          histogramShare: Number(histogramShare.toFixed(4)),
          histogramEvery: HISTOGRAM_EVERY,
        });
        const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
        rows.push(
          `| ${c.model} | ${(step * 1e3).toFixed(3)} | ${(monitored * 1e3).toFixed(3)} | ${pct(overhead)} | ${pct(copyOverhead)} | ${pct(recordShare)} | ${pct(copyRecordShare)} | ${pct(histogramShare)} |`,
        );
        ctx.log(
          `monitor ${c.model}: step ${(step * 1e3).toFixed(3)} ms, +${(100 * overhead).toFixed(1)}% with the monitor, +${(100 * copyOverhead).toFixed(1)}% with weight copies`,
        );
      }
    } finally {
      backend.dispose();
    }
    const markdown =
      `## monitor (median of ${ctx.measure.rounds} interleaved rounds, wasm simd)\n\n` +
      '| model | step ms | step + record ms | overhead | overhead with weight copies | record / step | record / step with copies | histograms / step |\n|---|---:|---:|---:|---:|---:|---:|---:|\n' +
      `${rows.join('\n')}\n\n` +
      'Overhead = median over rounds of (step + `GradientMonitor.take`) / step - 1, recording every step, ' +
      'SGD (the monitor reads the update as lr * g). With weight copies: the update ratio from a copy of W, as ' +
      'for Adam or RMSprop. Record / step: wall time in `take` over wall time in `step` within the same ' +
      'monitored trainer, summed over every call (no second model at other addresses to compare with). ' +
      `Gradient histograms (log10|g| of every weight gradient) are on at their default, every ${HISTOGRAM_EVERY}th record; ` +
      'histograms / step: record / step minus that of a third monitored trainer with them off. ' +
      'Target (issues 4 and 14): at most 10%.\n';
    return { markdown, files: { 'monitor.json': results } };
  },
};
