import { describe, expect, it } from 'vitest';
import { MAX_VARIANTS } from '../src/state/options.js';
import { DEFAULT_RUN, defaultState, type PlaygroundState } from '../src/state/state.js';
import { MAX_QUERY_LENGTH, parseNumber, parseState, serializeState } from '../src/state/url-state.js';

function rich(): PlaygroundState {
  const s = defaultState();
  s.preset = 'deep-sigmoid';
  s.shared = { ...s.shared, task: 'adding', depth: 3, width: 48, lr: 0.003, batchSize: 17, seqLen: 50 };
  s.shared = { ...s.shared, seed: 4294967295, backend: 'ts', steps: 777, speed: 30 };
  s.shared = { ...s.shared, noise: 0.25, samples: 2048, symbols: 5 };
  s.baseline = { ...DEFAULT_RUN, label: 'tanh RNN', activation: 'tanh', cell: 'rnn' };
  s.variants = [
    { ...DEFAULT_RUN, label: 'LSTM + clip (norm 1)', cell: 'lstm', clip: 'norm', clipValue: 1.5 },
    { ...DEFAULT_RUN, label: 'GRU, Adam', cell: 'gru', optimizer: 'adam', weightDecay: 0.0001 },
    { ...DEFAULT_RUN, label: 'BN + res', norm: 'batch', residual: true, init: 'orthogonal' },
    { ...DEFAULT_RUN, label: 'all defaults' },
  ];
  return s;
}

describe('URL state', () => {
  it('round-trips a state that uses every field', () => {
    const s = rich();
    const back = parseState(serializeState(s), ['deep-sigmoid']);
    expect(back.problems).toEqual([]);
    expect(back.state).toEqual(s);
  });

  it('round-trips zero variants and the default state', () => {
    const none = defaultState();
    none.variants = [];
    expect(parseState(serializeState(none)).state).toEqual(none);
    expect(parseState(`?${serializeState(defaultState())}`).state).toEqual(defaultState());
  });

  it('gives the defaults without a notice for an empty query', () => {
    expect(parseState('')).toEqual({ state: defaultState(), problems: [] });
    expect(parseState('?')).toEqual({ state: defaultState(), problems: [] });
  });

  it('applies shared settings alone and keeps the default runs', () => {
    const { state, problems } = parseState('depth=20&lr=0.5');
    expect(problems).toEqual([]);
    expect(state.shared.depth).toBe(20);
    expect(state.shared.lr).toBe(0.5);
    expect(state.variants).toEqual(defaultState().variants);
  });

  it.each([
    ['depth=1e9', 'depth: 1000000000 is outside 1..64'],
    ['depth=2.5', "depth: '2.5' must be a whole number"],
    ['lr=NaN', "lr: 'NaN' is not a number"],
    ['lr=Infinity', "lr: 'Infinity' is not a number"],
    ['lr=0x10', "lr: '0x10' is not a number"],
    ['task=alert(1)', "task: 'alert(1)' is not one of"],
    ['b.act=constructor', "b.act: 'constructor' is not one of"],
    ['b.res=true', "b.res: 'true' is not 0 or 1"],
    ['__proto__=1', "unknown setting '__proto__'"],
    ['v5.act=relu', "unknown setting 'v5.act'"],
    ['v1.bogus=1', "unknown setting 'v1.bogus'"],
    ['depth=3&depth=4', "'depth' appears twice"],
    ['v2.act=relu', 'variant v1 is missing'],
    ['b.label=%3Cscript%3E', 'b.label: contains characters a label may not have'],
    ['preset=..%2Fetc', "preset: '../etc' is not a known preset"],
  ])('rejects %s with a notice and falls back to the defaults', (query, problem) => {
    const { state, problems } = parseState(query, ['deep-sigmoid']);
    expect(state).toEqual(defaultState());
    expect(problems.join('\n')).toContain(problem);
  });

  it('rejects unknown presets when the list is known, and overlong links', () => {
    expect(parseState('preset=nope', ['deep-sigmoid']).problems).toHaveLength(1);
    expect(parseState('preset=deep-sigmoid', ['deep-sigmoid']).state.preset).toBe('deep-sigmoid');
    const long = parseState(`b.label=${'a'.repeat(MAX_QUERY_LENGTH)}`);
    expect(long.problems[0]).toMatch(/characters long/);
    expect(long.state).toEqual(defaultState());
  });

  it('reports every problem, not only the first', () => {
    expect(parseState('depth=0&width=9999&b.opt=lbfgs').problems).toHaveLength(3);
  });

  it('never writes more than the allowed number of variants', () => {
    const s = rich();
    s.variants.push({ ...DEFAULT_RUN, label: 'fifth' });
    const back = parseState(serializeState(s), ['deep-sigmoid']);
    expect(back.problems).toEqual([]);
    expect(back.state.variants).toHaveLength(MAX_VARIANTS);
  });

  it('does not pollute prototypes or evaluate values', () => {
    parseState('b.label=x&constructor.prototype.polluted=1&__proto__.polluted=1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseNumber', () => {
  const range = { min: 0, max: 10, integer: false };
  it('accepts plain and exponent notation within range', () => {
    expect(parseNumber('1e-3', range)).toBe(0.001);
    expect(parseNumber('.5', range)).toBe(0.5);
    expect(parseNumber('10', range)).toBe(10);
  });
  it('rejects empty, signs alone, and out-of-range values', () => {
    expect(typeof parseNumber('', range)).toBe('string');
    expect(typeof parseNumber('-', range)).toBe('string');
    expect(parseNumber('-1', range)).toBe('-1 is outside 0..10');
  });
});
