import {
  CLIFF_GRID,
  type CliffGridSpec,
  type CliffTrajectory,
  cliffDescent,
  cliffGrid,
  oneUnitNet,
  stringifyJson,
} from '@vgp/nn';
import { InvalidArgumentError } from 'commander';
import { emit, type Io } from '../io.js';

/** Options of `vgp cliff` after commander parsed them. */
export interface CliffOptions {
  T: number;
  grid: CliffGridSpec;
  start: [number, number];
  lr: number;
  clip: number;
  steps: number;
  json?: boolean;
  out?: string;
}

function numbers(name: string, value: string, count: number, what: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  const xs = parts.map(Number);
  if (parts.length !== count || parts.some((s) => s === '') || xs.some((x) => !Number.isFinite(x)))
    throw new InvalidArgumentError(`${name} must be ${what}, got '${value}'.`);
  return xs;
}

/** `--grid W0,W1,B0,B1,NW,NB`. */
export function parseGrid(value: string): CliffGridSpec {
  const [w0, w1, b0, b1, nw, nb] = numbers(
    '--grid',
    value,
    6,
    'six numbers W0,W1,B0,B1,NW,NB (e.g. -2,12,-6,2,281,161)',
  ) as [number, number, number, number, number, number];
  return { w: [w0, w1], b: [b0, b1], nw, nb };
}

/** `--start w,b`. */
export function parseStart(value: string): [number, number] {
  return numbers('--start', value, 2, 'two numbers w,b (e.g. 6,-3)') as [number, number];
}

/** A positive finite number, e.g. `--lr`. */
export function positiveNumber(name: string) {
  return (value: string): number => {
    const x = Number(value);
    if (!(value.trim() !== '' && Number.isFinite(x) && x > 0))
      throw new InvalidArgumentError(`${name} must be a number > 0, got '${value}'.`);
    return x;
  };
}

export const CLIFF_DEFAULTS = {
  T: 50,
  grid: CLIFF_GRID,
  start: [6, -3] as [number, number],
  lr: 0.05,
  clip: 1,
  steps: 400,
};

const fmt = (x: number, digits = 4) =>
  Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : String(x);

function line(name: string, t: CliffTrajectory): string {
  const n = t.w.length - 1;
  return (
    `  ${name.padEnd(16)} final loss ${fmt(t.finalLoss).padEnd(11)} largest step ${fmt(t.largestStep).padEnd(8)}` +
    ` (update ${t.largestStepAt})  ends at (${fmt(t.w[n] as number)}, ${fmt(t.b[n] as number)})`
  );
}

/**
 * `vgp cliff`: Pascanu et al.'s one-unit RNN. Where the gradient norm peaks over a (w, b) grid and its
 * median there, then gradient descent from one start with and without clipping the gradient norm.
 */
export function cliffCommand(io: Io, opts: CliffOptions): number {
  const net = oneUnitNet({ T: opts.T });
  const grid = cliffGrid(opts.grid, net);
  const descent = { start: opts.start, lr: opts.lr, steps: opts.steps };
  const plain = cliffDescent(descent, net);
  const clipped = cliffDescent({ ...descent, clip: opts.clip }, net);
  if (opts.json) {
    emit(
      io,
      stringifyJson({
        format: 'vgp-cliff',
        version: 1,
        net,
        grid: { ...opts.grid, peak: grid.peak, medianGradNorm: grid.medianGradNorm },
        descent,
        trajectories: [plain, clipped],
        largestStepRatio: plain.largestStep / clipped.largestStep,
      }),
      opts.out,
    );
    return 0;
  }
  const g = opts.grid;
  const { peak } = grid;
  emit(
    io,
    [
      `one-unit RNN x_t = w*sigmoid(x_{t-1}) + b, x_0 = ${net.x0}, T = ${net.T}, loss (x_T - ${net.target})^2`,
      `grid w in [${g.w[0]}, ${g.w[1]}] x b in [${g.b[0]}, ${g.b[1]}], ${g.nw} x ${g.nb} points`,
      `gradient norm peaks at w = ${fmt(peak.w)}, b = ${fmt(peak.b)}: ${fmt(peak.gradNorm)} ` +
        `(grid median ${fmt(grid.medianGradNorm)}, ${fmt(peak.gradNorm / grid.medianGradNorm, 3)}x)`,
      '',
      `gradient descent from (${opts.start[0]}, ${opts.start[1]}), lr ${opts.lr}, ${opts.steps} steps:`,
      line('no clipping', plain),
      line(`clipped at ${opts.clip}`, clipped),
      `  largest step without clipping / with: ${fmt(plain.largestStep / clipped.largestStep, 3)}x`,
    ].join('\n'),
    opts.out,
  );
  return 0;
}
