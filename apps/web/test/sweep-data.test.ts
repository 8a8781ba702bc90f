import { ConfigError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { parseSweepOutput, sweepLines } from '../src/views/sweep-data.js';

function line(
  group: string,
  variant: string,
  depth: number,
  seed: number,
  ratio: number,
  status = 'done',
): string {
  return JSON.stringify({
    format: 'vgp-sweep-result',
    version: 1,
    id: `${group}-${seed}`,
    group,
    point: { 'model.depth': depth },
    variant,
    seed,
    status,
    summary: { steps: 10, firstLastRatio: ratio, finalLoss: 'NaN' },
    verdicts: ratio < 1e-3 ? [{ kind: 'vanishing' }] : [],
    timing: { wallMs: 1, stepsPerSec: 10, worker: 'w' },
  });
}

const JSONL = [
  line('sigmoid, model.depth=5', 'sigmoid', 5, 1, 1e-3),
  line('sigmoid, model.depth=5', 'sigmoid', 5, 2, 3e-3),
  line('sigmoid, model.depth=20', 'sigmoid', 20, 1, 1e-12),
  line('sigmoid, model.depth=20', 'sigmoid', 20, 2, 1e-10),
  line('sigmoid, model.depth=20', 'sigmoid', 20, 3, 1e-11),
  line('relu, model.depth=20', 'relu', 20, 1, 0.5),
  line('relu, model.depth=5', 'relu', 5, 1, 0.9, 'failed'),
  line('relu, model.depth=5', 'relu', 5, 2, 0.8),
  '{"format":"vgp-sweep-result","version":1,"id":"', // a torn last line: not a result yet
].join('\n');

describe('sweep output in the page', () => {
  it('aggregates results.jsonl per grid point over seeds (failed jobs and a torn line left out)', () => {
    const d = parseSweepOutput(JSONL, 'results.jsonl');
    expect(d.axes).toEqual([{ path: 'model.depth', values: [5, 20] }]);
    expect(d.numbers).toEqual(['steps', 'firstLastRatio', 'finalLoss']);
    const deep = d.points.find((p) => p.label === 'sigmoid, model.depth=20');
    expect(deep?.seeds).toEqual([1, 2, 3]);
    expect(deep?.summary.firstLastRatio).toEqual({
      median: 1e-11,
      min: 1e-12,
      max: 1e-10,
      n: 3,
      nonFinite: 0,
    });
    expect(deep?.summary.finalLoss?.nonFinite).toBe(3);
    expect(d.points.find((p) => p.label === 'relu, model.depth=5')?.seeds).toEqual([2]);
  });

  it('gives one line per variant against the axis, x sorted, with the min-max band', () => {
    const { lines, ticks } = sweepLines(
      parseSweepOutput(JSONL, 'results.jsonl'),
      'model.depth',
      'firstLastRatio',
    );
    expect(ticks).toBeNull();
    expect(lines).toEqual([
      { label: 'sigmoid', x: [5, 20], median: [2e-3, 1e-11], min: [1e-3, 1e-12], max: [3e-3, 1e-10] },
      { label: 'relu', x: [5, 20], median: [0.8, 0.5], min: [0.8, 0.5], max: [0.8, 0.5] },
    ]);
  });

  it('reads the aggregate of `vgp sweep --json`; a non-numeric axis plots at positions with names', () => {
    const spread = (m: number) => ({ median: m, min: m, max: m, n: 1, nonFinite: 0 });
    const doc = {
      format: 'vgp-sweep',
      version: 1,
      name: 'remedies',
      groups: [
        {
          label: 'remedies=[]',
          point: { remedies: [] },
          variant: null,
          seeds: [1],
          summary: { finalLoss: spread(0.7) },
        },
        {
          label: 'remedies=[relu-he]',
          point: { remedies: ['relu-he'] },
          variant: null,
          seeds: [1],
          summary: { finalLoss: spread(0.1) },
        },
      ],
    };
    const d = parseSweepOutput(JSON.stringify(doc), 'remedies.json');
    const { lines, ticks } = sweepLines(d, 'remedies', 'finalLoss');
    expect(ticks).toEqual(['[]', '[relu-he]']);
    expect(lines).toEqual([
      { label: 'finalLoss', x: [0, 1], median: [0.7, 0.1], min: [0.7, 0.1], max: [0.7, 0.1] },
    ]);
  });

  it('names what to load when the file is something else', () => {
    expect(() => parseSweepOutput('{"format":"vgp-compare"}', 'x.json')).toThrow(ConfigError);
    expect(() => parseSweepOutput('{"format":"vgp-compare"}', 'x.json')).toThrow(/vgp sweep --json/);
    expect(() => parseSweepOutput('not json', 'x.json')).toThrow(/x.json is not JSON/);
  });
});
