// The measuring method, checked on fake contestants: structure and arithmetic, never speed.
import { describe, expect, it } from 'vitest';
import { type Contestant, type Measurement, measureInterleaved, median, speedup } from '../src/harness.js';

describe('median', () => {
  it('takes the middle of an odd list and the mean of the middle pair of an even one', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});

describe('speedup', () => {
  const m = (id: string, samples: number[]): Measurement => ({
    id,
    seconds: median(samples),
    samples,
    wallSamples: samples,
    cpuSamples: samples,
    reps: 1,
  });
  it('is the median of per-round ratios slow/fast, not the ratio of medians', () => {
    // Round ratios 1, 6, 4 have median 4; the ratio of the medians (3 / 1) would be 3.
    const ms = [m('fast', [3, 1, 0.5]), m('slow', [3, 6, 2])];
    expect(speedup(ms, 'fast', 'slow')).toBe(4);
    expect(speedup(ms, 'slow', 'fast')).toBeCloseTo(0.25);
  });
  it('is undefined when either side was not measured', () => {
    expect(speedup([m('a', [1])], 'a', 'b')).toBeUndefined();
  });
});

describe('measureInterleaved', () => {
  const opts = { rounds: 3, minSampleMs: 0.2, warmupMs: 0.2, clock: 'cpu' as const };

  function fake(id: string, events: string[]): Contestant {
    return {
      id,
      async setup() {
        events.push(`setup ${id}`);
        let x = 0;
        return {
          run() {
            for (let i = 0; i < 1000; i++) x += Math.sqrt(i + x);
          },
          before() {
            events.push(`sample ${id}`);
          },
          dispose() {
            events.push(`dispose ${id}`);
          },
        };
      },
    };
  }

  it('gives every contestant one sample per round, rotating who goes first, then disposes all', async () => {
    const events: string[] = [];
    const ms = await measureInterleaved([fake('a', events), fake('b', events)], opts);
    expect(ms.map((x) => x.id)).toEqual(['a', 'b']);
    for (const x of ms) {
      expect(x.samples).toHaveLength(3);
      expect(x.samples.every((s) => s > 0 && Number.isFinite(s))).toBe(true);
      expect(x.seconds).toBe(median(x.samples));
      expect(x.samples).toBe(x.cpuSamples);
      expect(x.wallSamples).toHaveLength(3);
      expect(x.reps).toBeGreaterThanOrEqual(1);
    }
    // Warm-up 'before' calls come first (one each), then rounds a,b / b,a / a,b.
    const samples = events.filter((e) => e.startsWith('sample')).slice(2);
    expect(samples).toEqual(['sample a', 'sample b', 'sample b', 'sample a', 'sample a', 'sample b']);
    expect(events.slice(-2)).toEqual(['dispose a', 'dispose b']);
  });

  it('disposes what was set up when a later setup throws', async () => {
    const events: string[] = [];
    const broken: Contestant = {
      id: 'broken',
      setup: () => Promise.reject(new Error('wrong result')),
    };
    await expect(measureInterleaved([fake('a', events), broken], opts)).rejects.toThrow('wrong result');
    expect(events).toEqual(['setup a', 'dispose a']);
  });
});
