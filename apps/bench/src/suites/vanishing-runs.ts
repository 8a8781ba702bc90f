// The runs of the vanishing suite (issue 17): networks whose gradients vanish, trained as the CLI and
// the playground train them (@vgp/nn's ExperimentRun: Trainer.step, GradientMonitor.record every
// step, a held-out check every tenth of the steps), timed early and late in training. A vanished
// gradient used to slow the machine down: once its values fall below float32's smallest normal, x86
// multiplies on them take a slow path, so a run got slower exactly when it showed what vgp exists to
// show. These runs measure whether it still does.
import { createBackend } from '@vgp/core';
import { type ExperimentConfig, ExperimentRun, type TaskData } from '@vgp/nn';

export type CaseId = 'mlp60-tanh' | 'mlp60-sigmoid' | 'mlp60-relu' | 'rnn-tanh' | 'lstm' | 'gru';

/** Which binary, and whether subnormals are flushed (the default) or kept (IEEE). */
export interface Variant {
  build: 'simd' | 'relaxed';
  flush: boolean;
}

/** Steps per run and the two timed windows: the first `early` steps and the last `late`. */
export interface Schedule {
  steps: number;
  early: number;
  late: number;
  /** Steps of an untimed run of the same case first, so `early` measures the network, not V8's tier-up. */
  warmup: number;
}

export const FULL_SCHEDULE: Schedule = { steps: 1000, early: 100, late: 200, warmup: 100 };
export const QUICK_SCHEDULE: Schedule = { steps: 40, early: 10, late: 20, warmup: 5 };

/**
 * The six cases. MLPs: the deep-sigmoid preset's settings (two moons with noise 0.1, SGD with momentum
 * 0.9 at lr 0.01, batch 64) at depth 60, width 32. Recurrent: the rnn-adding preset's settings (T = 100,
 * 1024 sequences, hidden 32, Adam at lr 0.01, clipping at norm 1, batch 32). Quick mode shrinks every
 * size so the whole suite runs in seconds; it checks the harness, not the speed.
 */
export function caseConfigs(quick: boolean): Record<CaseId, ExperimentConfig> {
  const mlp = (activation: 'tanh' | 'sigmoid' | 'relu', init: 'glorotUniform' | 'heNormal') =>
    ({
      task: { kind: 'moons', n: quick ? 64 : 512, noise: 0.1 },
      model: { kind: 'mlp', depth: quick ? 6 : 60, width: quick ? 8 : 32, activation, init },
      optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.9 },
      batchSize: quick ? 16 : 64,
      steps: quick ? QUICK_SCHEDULE.steps : FULL_SCHEDULE.steps,
      seed: 1,
      backend: 'wasm',
    }) satisfies ExperimentConfig;
  const recurrent = (cell: 'rnn' | 'lstm' | 'gru') =>
    ({
      task: { kind: 'adding', length: quick ? 10 : 100, n: quick ? 64 : 1024 },
      model:
        cell === 'rnn'
          ? { kind: 'recurrent', cell, activation: 'tanh', hidden: quick ? 8 : 32, layers: 1 }
          : { kind: 'recurrent', cell, hidden: quick ? 8 : 32, layers: 1 },
      optimizer: { kind: 'adam', lr: 0.01 },
      clip: { norm: 1 },
      batchSize: quick ? 8 : 32,
      steps: quick ? QUICK_SCHEDULE.steps : FULL_SCHEDULE.steps,
      seed: 1,
      backend: 'wasm',
    }) satisfies ExperimentConfig;
  return {
    'mlp60-tanh': mlp('tanh', 'glorotUniform'),
    'mlp60-sigmoid': mlp('sigmoid', 'glorotUniform'),
    'mlp60-relu': mlp('relu', 'heNormal'),
    'rnn-tanh': recurrent('rnn'),
    lstm: recurrent('lstm'),
    gru: recurrent('gru'),
  };
}

/** One timed run: steps/s over the early window, the late window and the whole run, on both clocks. */
export interface RunTiming {
  wall: { early: number; late: number; overall: number };
  cpu: { early: number; late: number; overall: number };
  /** The last step's training loss (a run that trained nothing would show it). */
  finalLoss: number;
}

interface Mark {
  wall: number;
  cpu: number;
}

function mark(): Mark {
  const c = process.cpuUsage();
  return { wall: performance.now() / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** Trains `config` from scratch on a fresh backend of `variant` for `steps` steps; marks[i] = time after step i. */
async function train(
  config: ExperimentConfig,
  data: TaskData,
  variant: Variant,
  steps: number,
  marksAt: Set<number>,
): Promise<{ marks: Map<number, Mark>; finalLoss: number }> {
  const backend = await createBackend('wasm', { wasmBuild: variant.build, flushSubnormals: variant.flush });
  // The CLI's and the playground's own run object (trainer, monitor, held-out checks), on this backend.
  const run = await ExperimentRun.create(config, { data, backend });
  const marks = new Map<number, Mark>();
  let finalLoss = Number.NaN;
  try {
    marks.set(0, mark());
    for (let s = 1; s <= steps; s++) {
      finalLoss = run.step().loss;
      if (marksAt.has(s)) marks.set(s, mark());
    }
  } finally {
    run.dispose();
    backend.dispose();
  }
  return { marks, finalLoss };
}

/** A warm-up run (untimed), then the timed run of the schedule. */
export async function timeRun(
  config: ExperimentConfig,
  data: TaskData,
  variant: Variant,
  schedule: Schedule,
): Promise<RunTiming> {
  await train(config, data, variant, schedule.warmup, new Set());
  const { steps, early, late } = schedule;
  const { marks, finalLoss } = await train(
    config,
    data,
    variant,
    steps,
    new Set([early, steps - late, steps]),
  );
  const rate = (clock: keyof Mark, from: number, to: number) =>
    (to - from) / ((marks.get(to) as Mark)[clock] - (marks.get(from) as Mark)[clock]);
  const on = (clock: keyof Mark) => ({
    early: rate(clock, 0, early),
    late: rate(clock, steps - late, steps),
    overall: rate(clock, 0, steps),
  });
  return { wall: on('wall'), cpu: on('cpu'), finalLoss };
}
