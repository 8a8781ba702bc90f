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
  /**
   * Which clock the reported figures use. 'wall' is the usual one. 'cpu' is this process's CPU
   * time (user + system): on a machine shared with other jobs it leaves out the time the process
   * waited for a core, so it estimates the unloaded speed better (caches shared with the other
   * jobs still slow it a little). Both clocks are recorded either way.
   */
  clock: 'wall' | 'cpu';
}

export const FULL: MeasureOptions = { rounds: 5, minSampleMs: 60, warmupMs: 150, clock: 'wall' };
export const QUICK: MeasureOptions = { rounds: 2, minSampleMs: 5, warmupMs: 10, clock: 'wall' };

export interface Measurement {
  id: string;
  /** Median seconds per operation over the rounds. */
  seconds: number;
  /** Seconds per operation of every round, in order, on the chosen clock. */
  samples: number[];
  /** The same samples on both clocks. */
  wallSamples: number[];
  cpuSamples: number[];
  /** Operations per timed sample. */
  reps: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

interface Elapsed {
  wall: number;
  cpu: number;
}

/** Seconds elapsed running `reps` operations, on both clocks. */
function timeReps(runner: Runner, reps: number): Elapsed {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) runner.run();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
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
      let spent = timeReps(r, 1).wall;
      let calls = 1;
      while (spent * 1000 < opts.warmupMs) {
        spent += timeReps(r, 1).wall;
        calls++;
      }
      // Calibrate from the warmed-up speed on CPU time (what an op costs when it has a core),
      // taking the faster of the warm-up average and one more call.
      const perOp = Math.max(1e-9, Math.min(spent / calls, timeReps(r, 1).cpu));
      reps.push(Math.max(1, Math.ceil(opts.minSampleMs / 1000 / perOp)));
    }
    const wall: number[][] = runners.map(() => []);
    const cpu: number[][] = runners.map(() => []);
    for (let round = 0; round < opts.rounds; round++) {
      for (let j = 0; j < runners.length; j++) {
        const i = (j + round) % runners.length;
        await runners[i].before?.();
        const t = timeReps(runners[i], reps[i]);
        wall[i].push(t.wall / reps[i]);
        cpu[i].push(t.cpu / reps[i]);
      }
    }
    return contestants.map((c, i) => {
      const samples = opts.clock === 'cpu' ? cpu[i] : wall[i];
      return {
        id: c.id,
        seconds: median(samples),
        samples,
        wallSamples: wall[i],
        cpuSamples: cpu[i],
        reps: reps[i],
      };
    });
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
