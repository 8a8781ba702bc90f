import { describe, expect, it } from 'vitest';
import { StepLog } from '../src/worker/step-log.js';

describe('StepLog', () => {
  it('gives back every step as pushed, across growth, with empty norms where a step had no record', () => {
    const log = new StepLog();
    const n = 2500; // more than twice the initial capacity of 1024
    for (let s = 1; s <= n; s++) {
      const norms = s % 7 === 0 ? [] : [s, s / 2, -s];
      log.push(s, 1 / s, s % 20 === 0 ? 0.5 : Number.NaN, norms);
    }
    const records = log.toRecords();
    expect(log.size).toBe(n);
    expect(records).toHaveLength(n);
    for (const s of [1, 7, 1024, 1025, 2048, 2049, 2500]) {
      const r = records[s - 1];
      expect(r?.step).toBe(s);
      expect(r?.loss).toBe(1 / s);
      expect(r?.gradNorms).toEqual(s % 7 === 0 ? [] : [s, s / 2, -s]);
    }
    expect(records[19]?.metric).toBe(0.5);
    expect(records[18]?.metric).toBeNaN();
  });

  it('keeps steps before the first record, and refuses a step whose norm count changes', () => {
    const log = new StepLog();
    log.push(1, 0.9, Number.NaN, []);
    log.push(2, 0.8, Number.NaN, [3, 4]);
    expect(log.toRecords().map((r) => r.gradNorms)).toEqual([[], [3, 4]]);
    expect(() => log.push(3, 0.7, Number.NaN, [1, 2, 3])).toThrow(/3 gradient norms at step 3, 2 before/);
  });
});
