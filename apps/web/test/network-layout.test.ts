import { describe, expect, it } from 'vitest';
import { columnsOf, layoutNetwork, MAX_COLUMNS, sharedScales } from '../src/views/network-layout.js';
import { mergeNetwork, type NetLayerView, type NetworkView, timeWindow } from '../src/worker/network-data.js';

function layer(kind: NetLayerView['kind'], units: number, grad: number, time?: number): NetLayerView {
  const shown = Array.from({ length: Math.min(8, units) }, (_, i) => i);
  const at = time ? timeWindow(time, 8) : null;
  return {
    name: kind,
    kind,
    units,
    activation: 'tanh',
    weightLayer: kind === 'input' ? null : `${kind}W`,
    meanGrad: grad,
    gradRange: [grad, grad],
    shown,
    grad: shown.map(() => grad),
    actMean: shown.map(() => 0),
    actStd: shown.map(() => 0),
    saturated: null,
    dead: null,
    hist: null,
    histRange: null,
    edges: { weight: [1], grad: [grad], update: null },
    recurrentEdges: null,
    time: at
      ? {
          steps: time as number,
          at,
          grad: at.map(() => shown.map(() => grad)),
          actMean: at.map(() => shown.map(() => 0)),
        }
      : null,
  };
}

const net = (layers: NetLayerView[]): NetworkView => ({ step: 1, layers, plane: null });

describe('network layout', () => {
  it('draws every layer of a small MLP as a column, input first', () => {
    const v = net([
      layer('input', 2, 1),
      layer('hidden', 16, 1),
      layer('hidden', 16, 1),
      layer('output', 1, 1),
    ]);
    expect(columnsOf(v).map((c) => c.label)).toEqual(['in', 'h1', 'h2', 'out']);
    const lay = layoutNetwork(v, 400, 250);
    // 2 + 8 + 8 + 1 neurons: at most 8 per column.
    expect(lay.neurons.length).toBe(19);
    expect(lay.neurons.every((n) => n.y > lay.top && n.y < lay.bottom)).toBe(true);
  });

  it('folds the middle of a deep net into one band, keeping the first and last layers', () => {
    const layers = [
      layer('input', 2, 1),
      ...Array.from({ length: 20 }, () => layer('hidden', 32, 1)),
      layer('output', 1, 1),
    ];
    const cols = columnsOf(net(layers));
    expect(cols.length).toBeLessThanOrEqual(MAX_COLUMNS);
    expect(cols.map((c) => c.label)).toEqual([
      'in',
      'h1',
      'h2',
      'h3',
      'h4',
      'h5–h16',
      'h17',
      'h18',
      'h19',
      'h20',
      'out',
    ]);
    const band = cols[5];
    expect(band?.kind === 'band' ? band.layers : []).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it('unrolls one recurrent layer over 8 time steps, first and last included', () => {
    const cols = columnsOf(net([layer('input', 2, 1), layer('recurrent', 32, 1, 50), layer('output', 1, 1)]));
    expect(cols.map((c) => c.label)).toEqual([
      'in',
      't1',
      't8',
      't15',
      't22',
      't29',
      't36',
      't43',
      't50',
      'out',
    ]);
  });

  it('gives stacked recurrent layers a share of the columns, or folds them when none is left', () => {
    const two = columnsOf(
      net([
        layer('input', 2, 1),
        layer('recurrent', 8, 1, 20),
        layer('recurrent', 8, 1, 20),
        layer('output', 1, 1),
      ]),
    );
    expect(two.length).toBeLessThanOrEqual(MAX_COLUMNS);
    expect(two.filter((c) => /^t/.test(c.label)).length).toBe(10);
    const many = [
      layer('input', 2, 1),
      ...Array.from({ length: 14 }, () => layer('recurrent', 8, 1, 20)),
      layer('output', 1, 1),
    ];
    const cols = columnsOf(net(many));
    expect(cols.length).toBeLessThanOrEqual(MAX_COLUMNS);
    expect(cols.filter((c) => c.kind === 'band')).toHaveLength(1);
  });

  it('shares one colour domain across runs and keeps plane maps until new ones arrive', () => {
    const a = net([layer('input', 2, 1e-12), layer('output', 1, 1e-12)]);
    const b = net([layer('input', 2, 0.5), layer('output', 1, 0.5)]);
    const [lo, hi] = sharedScales([a, b, null]).neuron;
    expect([lo, hi + 0]).toEqual([-12, 0]);
    const plane = {
      extent: [0, 1, 0, 1] as [number, number, number, number],
      size: 12,
      maps: [new Float32Array(4)],
    };
    expect(mergeNetwork({ ...a, plane }, b).plane).toBe(plane);
    expect(mergeNetwork(null, b).plane).toBeNull();
  });
});
