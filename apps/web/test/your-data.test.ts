import { describe, expect, it } from 'vitest';
import { fromExperimentConfig, toExperimentConfig } from '../src/state/experiment-config.js';
import { defaultState } from '../src/state/state.js';
import { parseState, serializeState } from '../src/state/url-state.js';

describe('your data in the state and the URL', () => {
  const csvState = () => {
    const s = defaultState();
    s.shared = { ...s.shared, task: 'csv', csvName: 'my data (2024).csv', csvTarget: 'price, €' };
    return s;
  };

  it('a link records that custom data was used: the task, the file name and the target, never the rows', () => {
    const query = serializeState(csvState());
    const q = new URLSearchParams(query);
    expect(q.get('task')).toBe('csv');
    expect(q.get('data')).toBe('my data (2024).csv');
    expect(q.get('target')).toBe('price, €');
    const back = parseState(query);
    expect(back.problems).toEqual([]);
    expect(back.state.shared).toMatchObject({
      task: 'csv',
      csvName: 'my data (2024).csv',
      csvTarget: 'price, €',
    });
  });

  it('built-in tasks keep their links as they were (no data or target keys)', () => {
    const s = defaultState();
    s.shared.csvName = 'left over.csv';
    const q = new URLSearchParams(serializeState(s));
    expect(q.has('data')).toBe(false);
    expect(q.has('target')).toBe(false);
  });

  it('a tampered file name is rejected like any bad setting', () => {
    const { problems } = parseState('task=csv&data=%3Cscript%3E.csv');
    expect(problems).toEqual(['data: contains characters a file or column name may not have here']);
  });

  it('the run config names the data and target; the worker adds the rows', () => {
    const s = csvState();
    const config = toExperimentConfig(s.baseline, s.shared);
    expect(config.task).toEqual({ kind: 'csv', name: 'my data (2024).csv', target: 'price, €' });
    expect(fromExperimentConfig(config).shared).toMatchObject({
      csvName: 'my data (2024).csv',
      csvTarget: 'price, €',
    });
  });
});
