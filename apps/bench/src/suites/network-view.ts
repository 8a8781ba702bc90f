// network-view: what the playground's network view costs the training it watches (issue 18).
// Closed, the view calls nothing: a monitored step is timed against the same step plus the
// sampler's two checks, interleaved round by round (target: under 5%). Open, it samples a step with
// UnitProbe.arm/capture at most every NETWORK_MS and evaluates every unit over a 12 x 12 grid of the
// input plane at most every PLANE_MS; both are timed within a monitored trainer, and their share of
// the worker's time at those rates is capture / NETWORK_MS + plane / PLANE_MS, whatever a step costs
// (target: the monitor's 10%). Writes network-view.json.
import { type Backend, createBackend } from '@vgp/core';
import {
  buildModel,
  type Dataset,
  GradientMonitor,
  type ModelSpec,
  Rng,
  Tensor,
  Trainer,
  UnitProbe,
} from '@vgp/nn';
import { type Contestant, measureInterleaved, speedup } from '../harness.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';

/** The playground's sampling periods (apps/web/src/worker/network-data.ts). */
const NETWORK_MS = 250;
const PLANE_MS = 1000;
const PLANE_POINTS = 144;

interface ViewCase {
  model: string;
  spec: ModelSpec;
  batch: number;
  time?: number;
  /** 2-D input: the view also draws maps over the plane. */
  plane: boolean;
}

const CASES: ViewCase[] = [
  {
    model: 'mlp10x32 (2-D)',
    spec: { kind: 'mlp', input: 2, output: 1, depth: 10, width: 32, activation: 'tanh' },
    batch: 32,
    plane: true,
  },
  {
    model: 'mlp20x32 sigmoid (2-D)',
    spec: { kind: 'mlp', input: 2, output: 1, depth: 20, width: 32, activation: 'sigmoid' },
    batch: 64,
    plane: true,
  },
  {
    model: 'lstm32 T=20',
    spec: { kind: 'recurrent', input: 2, output: 1, cell: 'lstm', hidden: 32, layers: 1 },
    batch: 32,
    time: 20,
    plane: false,
  },
];

function dataFor(c: ViewCase): Dataset {
  const rng = new Rng(3).fork(c.model);
  const n = 8 * c.batch;
  const xShape = c.time === undefined ? [n, c.spec.input] : [c.time, n, c.spec.input];
  const x = Float32Array.from({ length: xShape.reduce((a, b) => a * b, 1) }, () => rng.range(-1, 1));
  const y = Float32Array.from({ length: n }, () => rng.range(-1, 1));
  return { name: c.model, x, xShape, y, yShape: [n, 1] };
}

/** Wall time in the step (with its record) and in the view's work, summed over every call. */
interface Split {
  step: number;
  capture: number;
  captures: number;
  plane: number;
  planes: number;
}

type Mode = 'monitor' | 'closed' | 'open';

function contestant(
  id: string,
  mode: Mode,
  c: ViewCase,
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
      const monitor = new GradientMonitor(model, { maxRecords: 64, optimizer: trainer.optimizer });
      // The closed view holds no probe; the open one samples every call here (split timed).
      const probe = mode === 'open' ? new UnitProbe(model, { bins: c.plane ? 0 : 12 }) : null;
      const grid = c.plane ? Tensor.zeros(backend, [c.batch, 2]) : null;
      let armed = false;
      let calls = 0;
      return {
        run: () => {
          if (mode === 'monitor') {
            const r = trainer.step();
            monitor.take(r.step, { loss: r.loss });
            return;
          }
          if (mode === 'closed' || !probe || !split) {
            // What the worker's sampler does around a step while the view is closed: two checks.
            if (probe) armed = true;
            const r = trainer.step();
            monitor.take(r.step, { loss: r.loss });
            if (armed) armed = false;
            return;
          }
          const t0 = performance.now();
          probe.arm();
          const t1 = performance.now();
          const r = trainer.step();
          monitor.take(r.step, { loss: r.loss });
          const t2 = performance.now();
          probe.capture();
          const t3 = performance.now();
          split.step += t2 - t1;
          split.capture += t1 - t0 + (t3 - t2);
          split.captures++;
          // The plane's grid, in batch-size chunks as the worker evaluates it, every 4th call.
          if (grid && calls++ % 4 === 0) {
            const t4 = performance.now();
            for (let p = 0; p < PLANE_POINTS; p += c.batch) probe.activationsAt(grid);
            split.plane += performance.now() - t4;
            split.planes++;
          }
        },
        dispose: () => {
          probe?.dispose();
          grid?.dispose();
          monitor.dispose();
          trainer.dispose();
          model.dispose();
        },
      };
    },
  };
}

export const networkViewSuite: Suite = {
  name: 'network-view',
  description: "the network view's cost: closed (vs a monitored step) and open (share at its sampling rates)",
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const backend = await createBackend('wasm', { wasmBuild: 'simd' });
    const results: Array<Record<string, unknown>> = [];
    const rows: string[] = [];
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    try {
      for (const c of ctx.quick ? CASES.slice(0, 1) : CASES) {
        const data = dataFor(c);
        const split: Split = { step: 0, capture: 0, captures: 0, plane: 0, planes: 0 };
        const ms = await measureInterleaved(
          [
            contestant('monitored step', 'monitor', c, backend, data),
            contestant('view closed', 'closed', c, backend, data),
            contestant('view open', 'open', c, backend, data, split),
          ],
          ctx.measure,
        );
        const stepMs = (ms.find((m) => m.id === 'monitored step')?.seconds ?? Number.NaN) * 1e3;
        const closed = (speedup(ms, 'monitored step', 'view closed') ?? Number.NaN) - 1;
        const captureMs = split.capture / Math.max(1, split.captures);
        const planeMs = split.planes > 0 ? split.plane / split.planes : 0;
        const openShare = captureMs / NETWORK_MS + planeMs / PLANE_MS;
        results.push({
          model: c.model,
          stepMs: Number(stepMs.toFixed(4)),
          closedOverhead: Number(closed.toFixed(4)),
          captureMs: Number(captureMs.toFixed(4)),
          planeMs: Number(planeMs.toFixed(4)),
          captureInSteps: Number((captureMs / stepMs).toFixed(2)),
          openShare: Number(openShare.toFixed(4)),
        });
        rows.push(
          `| ${c.model} | ${stepMs.toFixed(3)} | ${pct(closed)} | ${captureMs.toFixed(3)} | ${planeMs.toFixed(3)} | ${pct(openShare)} |`,
        );
        ctx.log(
          `network-view ${c.model}: closed ${pct(closed)}, capture ${captureMs.toFixed(3)} ms, plane ${planeMs.toFixed(3)} ms, open ${pct(openShare)} of the worker`,
        );
      }
    } finally {
      backend.dispose();
    }
    const markdown =
      `## network view (median of ${ctx.measure.rounds} interleaved rounds, wasm simd)\n\n` +
      '| model | monitored step ms | closed: overhead | open: arm + capture ms | open: plane grid ms | open: share of the worker |\n|---|---:|---:|---:|---:|---:|\n' +
      `${rows.join('\n')}\n\n` +
      'Closed: median over rounds of (step with the view closed) / (monitored step) - 1; the closed view ' +
      'calls nothing (target under 5%). Open: `UnitProbe.arm` + `capture` around one step and the ' +
      `${PLANE_POINTS}-point plane grid, timed within a monitored trainer; share = capture / ${NETWORK_MS} ms + ` +
      `plane / ${PLANE_MS} ms, the playground's sampling periods, per run (target: the monitor's 10%).\n`;
    return { markdown, files: { 'network-view.json': results } };
  },
};
