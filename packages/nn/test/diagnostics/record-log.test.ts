import { describe, expect, it } from 'vitest';
import {
  diagnose,
  type GradientRecord,
  type History,
  LAYER_COL,
  measureRun,
  PARAM_COL,
  RECORD_COL,
  RecordLog,
  RecordRange,
  recordsOf,
} from '../../src/diagnostics/index.js';
import { ExperimentRun } from '../../src/experiments/index.js';

const params = [
  { name: 'd0.weight', layer: 'd0', role: 'weight', shape: [2, 3] },
  { name: 'd0.bias', layer: 'd0', role: 'bias', shape: [3] },
];
const layers = [
  { name: 'd0', type: 'Dense', activation: null, level: 0 },
  { name: 'a0', type: 'Activation', activation: 'tanh', level: 0 },
];

/** Appends a row whose every number is `step * 100 + column`, with the metric null. */
function fill(log: RecordLog, step: number): void {
  log.append();
  for (let c = 0; c < log.width; c++) log.set(c, step * 100 + c);
  log.set(RECORD_COL.step, step);
  log.set(RECORD_COL.metric, null);
}

describe('RecordLog', () => {
  it('keeps null and NaN apart, and makes records with the layout it was given', () => {
    const log = new RecordLog(params, layers, { lossFloor: 0 });
    fill(log, 1);
    log.set(log.param(0) + PARAM_COL.updateRatio, null);
    log.set(log.param(1) + PARAM_COL.gradNorm, Number.NaN);
    log.set(log.layer(1) + LAYER_COL.actStd, Number.POSITIVE_INFINITY);
    const rec = log.at(0);
    expect(rec.step).toBe(1);
    expect(rec.metric).toBeNull();
    expect(rec.params[0]?.updateRatio).toBeNull();
    expect(rec.params[1]?.gradNorm).toBeNaN();
    expect(rec.layers[1]?.actStd).toBe(Number.POSITIVE_INFINITY);
    expect(rec.loss).toBe(100 + RECORD_COL.loss);
    expect(rec.params[1]?.weightNorm).toBe(100 + log.param(1) + PARAM_COL.weightNorm);
    expect(rec.layers[0]).toMatchObject({ name: 'd0', type: 'Dense', activation: null, level: 0 });
    expect(log.width).toBe(5 + 6 * 2 + 6 * 2);
  });

  it('starts every row null: a column the writer skips is null, not the last row reused', () => {
    const log = new RecordLog(params, layers, {}, 1);
    fill(log, 1);
    log.append();
    log.set(RECORD_COL.step, 2);
    expect(log.length).toBe(1);
    expect(log.get(0, RECORD_COL.step)).toBe(2);
    expect(log.get(0, RECORD_COL.loss)).toBeNull();
    expect(log.get(0, log.layer(1) + LAYER_COL.deadFrac)).toBeNull();
  });

  it('as a ring keeps the newest maxRows rows, across chunks and after wrapping', () => {
    // 3000 parameters make a row of ~18,000 numbers: one row per 64 KB chunk.
    const many = Array.from({ length: 3000 }, (_, i) => ({
      name: `p${i}`,
      layer: 'l',
      role: 'bias',
      shape: [1],
    }));
    for (const maxRows of [1, 2, 5, 7, Number.POSITIVE_INFINITY]) {
      const log = new RecordLog(many, [], {}, maxRows);
      for (let s = 0; s < 23; s++) fill(log, s);
      const kept = Math.min(23, maxRows);
      expect(log.length).toBe(kept);
      for (let i = 0; i < kept; i++) {
        const step = 23 - kept + i;
        expect(log.get(i, RECORD_COL.step)).toBe(step);
        expect(log.get(i, log.param(2999) + PARAM_COL.nonFinite)).toBe(
          step * 100 + log.param(2999) + PARAM_COL.nonFinite,
        );
      }
      expect(() => log.get(kept, 0)).toThrow(RangeError);
    }
  });

  it('makes each record once for records(), drops it with its row, and updates a metric set later', () => {
    const log = new RecordLog(params, layers, {}, 3);
    for (let s = 0; s < 3; s++) fill(log, s);
    const first = log.records();
    expect(first.map((r) => r.step)).toEqual([0, 1, 2]);
    const kept = first[2] as GradientRecord;
    fill(log, 3);
    const second = log.records();
    expect(second).toBe(first);
    expect(second.map((r) => r.step)).toEqual([1, 2, 3]);
    expect(second[1]).toBe(kept);
    log.setMetric(2, 0.75);
    expect(second[2]?.metric).toBe(0.75);
    expect(log.at(2).metric).toBe(0.75);
    // `at` makes a fresh record: changing it changes nothing in the log.
    const copy = log.at(0);
    copy.loss = -1;
    (copy.params[0] as { shape: number[] }).shape.push(9);
    expect(log.at(0).loss).not.toBe(-1);
    expect(log.at(0).params[0]?.shape).toEqual([2, 3]);
  });

  it('stores plain records by name; a record without a parameter holds nulls for it', () => {
    const rec = (step: number, withBias: boolean): GradientRecord => ({
      step,
      loss: 0.5,
      metric: null,
      gradNormTotal: 1,
      preClipNorm: null,
      params: [
        ...(withBias
          ? [
              {
                ...(params[1] as (typeof params)[1]),
                gradNorm: 2,
                gradRms: 1,
                weightNorm: 3,
                updateRatio: 0.1,
                nearZeroFrac: null,
                nonFinite: 0,
              },
            ]
          : []),
        {
          ...(params[0] as (typeof params)[0]),
          gradNorm: 4,
          gradRms: 2,
          weightNorm: 5,
          updateRatio: null,
          nearZeroFrac: 0.25,
          nonFinite: 1,
        },
      ],
      layers: [],
    });
    const log = RecordLog.fromHistory({ meta: { label: 'x' }, records: [rec(1, true), rec(2, false)] });
    expect(log.params.map((p) => p.name)).toEqual(['d0.bias', 'd0.weight']);
    expect(log.meta.label).toBe('x');
    expect(log.at(0).params[1]).toMatchObject({ gradNorm: 4, nearZeroFrac: 0.25, nonFinite: 1 });
    expect(log.at(1).params[0]).toMatchObject({ gradNorm: null, updateRatio: null, nonFinite: 0 });
  });
});

describe('RecordRange', () => {
  it('slices as Array.prototype.slice does, nested, without copying', () => {
    const log = new RecordLog(params, layers);
    for (let s = 0; s < 10; s++) fill(log, s);
    const steps = (r: RecordRange) => r.series('step');
    const all = new RecordRange(log);
    const ref = Array.from({ length: 10 }, (_, i) => i);
    for (const [a, b] of [
      [0, 10],
      [3, 7],
      [-4, undefined],
      [-20, 2],
      [8, 3],
      [5, 50],
    ] as const) {
      expect(steps(all.slice(a, b))).toEqual(ref.slice(a, b));
    }
    const inner = all.slice(2, 9).slice(-3);
    expect(steps(inner)).toEqual([6, 7, 8]);
    expect(inner.log).toBe(log);
    expect(inner.paramSeries(1, 'gradNorm')).toEqual([6, 7, 8].map((s) => s * 100 + log.param(1)));
    expect(inner.layerSeries(0, 'nonFinite')).toEqual(
      [6, 7, 8].map((s) => s * 100 + log.layer(0) + LAYER_COL.nonFinite),
    );
  });
});

describe('GradientMonitor and its log', () => {
  it('diagnoses its log as it diagnoses the same records read back as plain objects', async () => {
    const config = {
      task: { kind: 'moons', n: 256, noise: 0.1 },
      model: { kind: 'mlp', depth: 12, width: 16, activation: 'sigmoid', init: 'glorotNormal' },
      optimizer: { kind: 'sgd', lr: 0.5 },
      batchSize: 32,
      steps: 60,
      seed: 3,
      backend: 'ts',
      monitorEvery: 2,
    } as const;
    const run = await ExperimentRun.create(config);
    try {
      while (!run.done) run.step();
      const log = run.log;
      const plain: History = structuredClone(run.history());
      expect(plain.records).toHaveLength(30);
      expect(plain.records[29]).toEqual(log.at(29));
      expect(JSON.parse(JSON.stringify(run.history())).records).toHaveLength(30);
      expect(measureRun(plain)).toEqual(measureRun(log));
      // The run's history leads diagnosis to the log itself; a copy of it is read as plain records.
      expect(recordsOf(run.history()).log).toBe(log);
      expect(recordsOf(plain).log).not.toBe(log);
      expect(Object.keys(run.history())).toEqual(['meta', 'records']);
      const verdicts = diagnose(log);
      expect(verdicts.map((v) => v.kind)).toContain('vanishing');
      expect(diagnose(plain)).toEqual(verdicts);
    } finally {
      run.dispose();
    }
  });
});
