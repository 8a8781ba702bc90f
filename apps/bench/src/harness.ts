// The measuring method shared by every suite: warm-up, calibrated repetitions, interleaved rounds,
// medians, and ratios taken round by round. Interleaving matters on a shared 2-core machine:
// load from other processes drifts over seconds, so contestants timed back to back within a round
// see the same load, and the median of per-round ratios cancels most of the drift that a ratio of
// two medians taken minutes apart would keep.

/** One implementation of a benchmark case, ready to run. */
export interface Runner {
  /** One operation (e.g. one gemm); must be synchronous so the clock measures only it. */
  run(): void;
  /** Untimed, called before each timed sample (e.g. making a tfjs backend the active one). */
  before?(): Promise<void> | void;
  /** Releases what `setup` allocated. */
  dispose?(): void;
}

/** A named implementation of a case; `setup` builds its inputs and returns a runner. */
export interface Contestant {
  /** A stable id for tables and ratios, e.g. 'vgp-wasm-simd' or 'tfjs-wasm'. */
  id: string;
  setup(): Promise<Runner>;
}

export interface MeasureOptions {
  /** Timed samples per contestant, taken in interleaved rounds. */
  rounds: number;
  /** Each sample repeats the operation until it lasts at least this long, so the clock's grain is negligible. */
  minSampleMs: number;
  /** Warm-up time per contestant (wasm tiers up from Liftoff to TurboFan, JS from the interpreter). */
  warmupMs: number;
}

export const FULL: MeasureOptions = { rounds: 5, minSampleMs: 60, warmupMs: 150 };
export const QUICK: MeasureOptions = { rounds: 2, minSampleMs: 5, warmupMs: 10 };

export interface Measurement {
  id: string;
  /** Median seconds per operation over the rounds. */
  seconds: number;
  /** Seconds per operation of every round, in order. */
  samples: number[];
  /** Operations per timed sample. */
  reps: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function timeReps(runner: Runner, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) runner.run();
  return (performance.now() - t0) / 1000;
}

/**
 * Measures every contestant on one case: set up all, warm each up and calibrate its repetitions,
 * then `rounds` rounds in which each contestant takes one sample (the order rotates per round, so
 * none always runs first). Slow contestants (one op longer than a sample) get at least one op.
 */
export async function measureInterleaved(
  contestants: Contestant[],
  opts: MeasureOptions,
): Promise<Measurement[]> {
  const runners: Runner[] = [];
  try {
    for (const c of contestants) runners.push(await c.setup());
    const reps: number[] = [];
    for (const r of runners) {
      await r.before?.();
      let spent = timeReps(r, 1);
      let calls = 1;
      while (spent * 1000 < opts.warmupMs) {
        spent += timeReps(r, 1);
        calls++;
      }
      // Calibrate from the warmed-up speed: the last warm-up call is the most representative.
      const perOp = Math.min(spent / calls, timeReps(r, 1));
      reps.push(Math.max(1, Math.ceil(opts.minSampleMs / 1000 / perOp)));
    }
    const samples: number[][] = runners.map(() => []);
    for (let round = 0; round < opts.rounds; round++) {
      for (let j = 0; j < runners.length; j++) {
        const i = (j + round) % runners.length;
        await runners[i].before?.();
        samples[i].push(timeReps(runners[i], reps[i]) / reps[i]);
      }
    }
    return contestants.map((c, i) => ({
      id: c.id,
      seconds: median(samples[i]),
      samples: samples[i],
      reps: reps[i],
    }));
  } finally {
    for (const r of runners) r.dispose?.();
  }
}

/**
 * How many times faster `fast` is than `slow`: the median over rounds of slow/fast, both sampled
 * in the same round. Undefined when either was not measured.
 */
export function speedup(ms: Measurement[], fast: string, slow: string): number | undefined {
  const f = ms.find((m) => m.id === fast);
  const s = ms.find((m) => m.id === slow);
  if (!f || !s) return undefined;
  const n = Math.min(f.samples.length, s.samples.length);
  return median(Array.from({ length: n }, (_, i) => s.samples[i] / f.samples[i]));
}
