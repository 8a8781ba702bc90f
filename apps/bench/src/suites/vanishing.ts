// vanishing: does a vanished gradient slow the machine down? (issue 17) Three 60-layer MLPs (tanh,
// sigmoid, ReLU+He) and tanh RNN vs LSTM vs GRU on the adding problem at T = 100, each trained from
// scratch for 1,000 steps with the gradient monitor on, timed over the first 100 steps (early) and the
// last 200 (late), on the plain and relaxed SIMD builds with subnormals flushed (the default), and on the
// plain build with them kept (IEEE). Writes vanishing.json (one row per case, build and flush setting)
// and vanishing-report.json (machine, schedule, every round on both clocks, the target ratios).
//
// Each round runs every (case, variant) once, the order rotating per round, so the ratios between
// cases are taken within one round, minutes apart at most, under the same machine load.
import { loadTask, type TaskData } from '@vgp/nn';
import { median } from '../harness.js';
import type { Suite, SuiteContext, SuiteResult } from '../suite.js';
import {
  type CaseId,
  caseConfigs,
  FULL_SCHEDULE,
  QUICK_SCHEDULE,
  type RunTiming,
  timeRun,
  type Variant,
} from './vanishing-runs.js';

/** Each round is a full training run per contestant, so the default is fewer rounds than other suites'. */
const MAX_ROUNDS = 3;

interface Sample {
  round: number;
  case: CaseId;
  build: Variant['build'];
  flush: boolean;
  timing: RunTiming;
}

const variantName = (v: Variant) => `${v.build}${v.flush ? '' : ' (IEEE)'}`;

/** The acceptance ratios on one build, flushing on, each the median of per-round ratios. */
function targets(samples: Sample[], build: Variant['build'], clock: 'wall' | 'cpu', rounds: number) {
  const get = (round: number, c: CaseId) =>
    samples.find((s) => s.round === round && s.case === c && s.build === build && s.flush)?.timing[clock];
  const ratio = (f: (r: number) => number | undefined) => {
    const xs = Array.from({ length: rounds }, (_, r) => f(r)).filter((x): x is number => x !== undefined);
    return xs.length > 0 ? median(xs) : undefined;
  };
  const over = (a: CaseId, b: CaseId, w: 'overall' | 'late') =>
    ratio((r) => {
      const x = get(r, a);
      const y = get(r, b);
      return x && y ? x[w] / y[w] : undefined;
    });
  return [
    {
      target: 'sigmoid MLP / tanh MLP, whole run',
      goal: 0.8,
      x: over('mlp60-sigmoid', 'mlp60-tanh', 'overall'),
    },
    { target: 'sigmoid MLP / tanh MLP, late', goal: 0.8, x: over('mlp60-sigmoid', 'mlp60-tanh', 'late') },
    {
      target: 'tanh RNN late / early',
      goal: 0.8,
      x: ratio((r) => {
        const t = get(r, 'rnn-tanh');
        return t ? t.late / t.early : undefined;
      }),
    },
    { target: 'tanh RNN late / LSTM late', goal: 2, x: over('rnn-tanh', 'lstm', 'late') },
  ];
}

const fmt = (x: number | undefined, digits = 1) => (x === undefined ? '–' : x.toFixed(digits));

export const vanishingSuite: Suite = {
  name: 'vanishing',
  description:
    'steps/s early vs late in training: 60-layer tanh/sigmoid/ReLU MLPs, tanh RNN/LSTM/GRU at T=100; flush on/off',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const schedule = ctx.quick ? QUICK_SCHEDULE : FULL_SCHEDULE;
    const rounds = ctx.quick ? 1 : Math.min(MAX_ROUNDS, ctx.measure.rounds);
    const clock = ctx.measure.clock;
    const configs = caseConfigs(ctx.quick);
    const builds: Variant['build'][] = ctx.relaxed ? ['simd', 'relaxed'] : ['simd'];
    // Subnormals kept (IEEE) on the plain build only: it shows what flushing buys; relaxed adds nothing to that.
    const variants: Variant[] = [
      { build: 'simd', flush: true },
      { build: 'simd', flush: false },
      ...(ctx.relaxed ? [{ build: 'relaxed' as const, flush: true }] : []),
    ];
    const cases = Object.keys(configs) as CaseId[];
    const data = new Map<CaseId, TaskData>();
    for (const c of cases) data.set(c, await loadTask(configs[c].task, configs[c].seed));

    // One untimed pass over every case first: the run that comes first in the process otherwise pays
    // for optimizing the JS all runs share (measured: its early window at half the speed of the next).
    const warm = { ...schedule, steps: schedule.early + schedule.late };
    for (const c of cases) await timeRun(configs[c], data.get(c) as TaskData, variants[0] as Variant, warm);

    const pairs = cases.flatMap((c) => variants.map((v) => ({ c, v })));
    const samples: Sample[] = [];
    for (let round = 0; round < rounds; round++) {
      for (let j = 0; j < pairs.length; j++) {
        const { c, v } = pairs[(j + round) % pairs.length];
        const timing = await timeRun(configs[c], data.get(c) as TaskData, v, schedule);
        samples.push({ round, case: c, build: v.build, flush: v.flush, timing });
        const t = timing[clock];
        ctx.log(
          `vanishing ${c} ${variantName(v)} round ${round + 1}/${rounds}: early ${fmt(t.early)}, late ${fmt(t.late)} steps/s`,
        );
      }
    }

    const rows = pairs.map(({ c, v }) => {
      const mine = samples.filter((s) => s.case === c && s.build === v.build && s.flush === v.flush);
      const med = (w: 'early' | 'late' | 'overall') => median(mine.map((s) => s.timing[clock][w]));
      return {
        case: c,
        build: v.build,
        flush: v.flush,
        early: Number(med('early').toFixed(2)),
        late: Number(med('late').toFixed(2)),
        overall: Number(med('overall').toFixed(2)),
        finalLoss: Number(median(mine.map((s) => s.timing.finalLoss)).toPrecision(4)),
      };
    });
    const ratios = builds.flatMap((build) =>
      targets(samples, build, clock, rounds).map((t) => ({
        build,
        ...t,
        x: t.x === undefined ? null : Number(t.x.toFixed(3)),
      })),
    );

    const table = rows.map(
      (r) =>
        `| ${r.case} | ${variantName(r)} | ${fmt(r.early)} | ${fmt(r.late)} | ${fmt(r.overall)} | ${r.finalLoss} |`,
    );
    const targetRows = ratios
      .filter((t) => t.build === 'simd')
      .map((t) => {
        const cells = builds.map((b) => {
          const x = ratios.find((o) => o.build === b && o.target === t.target)?.x;
          return x === null || x === undefined ? '–' : x.toFixed(2);
        });
        return `| ${t.target} | ${cells.join(' | ')} | >= ${t.goal} |`;
      });
    const markdown =
      `## vanishing (steps/s on the ${clock} clock, median of ${rounds} round${rounds > 1 ? 's' : ''})\n\n` +
      `| case | build | first ${schedule.early} | last ${schedule.late} | all ${schedule.steps} | final loss |\n` +
      '|---|---|---:|---:|---:|---:|\n' +
      `${table.join('\n')}\n\n` +
      `Issue 17's targets, subnormals flushed (median of per-round ratios):\n\n` +
      `| ratio | ${builds.join(' | ')} | goal |\n|---|${builds.map(() => '---:').join('|')}|---|\n` +
      `${targetRows.join('\n')}\n\n` +
      'One step = `ExperimentRun.step`: `Trainer.step`, `GradientMonitor.record`, on classification a held-out check every tenth of the steps (as the CLI and the playground run). ' +
      'mlp60-*: 60 hidden layers of 32, two moons (noise 0.1), SGD momentum 0.9 lr 0.01, batch 64; tanh ' +
      'and sigmoid with Glorot init, ReLU with He. rnn-tanh, lstm, gru: hidden 32 on the adding problem ' +
      'at T = 100, Adam lr 0.01, clip norm 1, batch 32. Each run is preceded by an untimed ' +
      `${schedule.warmup}-step run of the same case (V8 tier-up). "(IEEE)": flushSubnormals off.\n`;
    return {
      markdown,
      files: {
        'vanishing.json': rows,
        'vanishing-report.json': {
          machine: ctx.machine,
          measure: ctx.measure,
          schedule,
          rounds,
          rows,
          ratios,
          samples,
        },
      },
    };
  },
};
