import { applyRemedies, type ExperimentConfig, parseJson, variantConfig } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { CLI_FILE, type cliPlan, cliText } from '../src/state/cli-export.js';
import { toExperimentConfig } from '../src/state/experiment-config.js';
import { PRESETS, presetState } from '../src/state/presets.js';
import {
  allRuns,
  DEFAULT_RUN,
  DEFAULT_SHARED,
  defaultState,
  type PlaygroundState,
} from '../src/state/state.js';

/** A model with the @vgp/nn defaults left out, so `init: 'glorotUniform'` and no init compare equal. */
function normal(c: ExperimentConfig) {
  const defaults: Record<string, unknown> = {
    init: 'glorotUniform',
    recurrentInit: 'orthogonal',
    biasStd: 0,
  };
  const model = Object.fromEntries(Object.entries(c.model).filter(([k, v]) => defaults[k] !== v));
  return { label: c.label, model, optimizer: c.optimizer, clip: c.clip ?? null };
}

/** The page's state as the CLI will run it: the file's base and each variant merged over it. */
function asRun(state: PlaygroundState) {
  const text = cliText(state).json;
  const plan = parseJson(text) as ReturnType<typeof cliPlan>;
  const runs = [plan.base, ...plan.variants.map((v) => variantConfig(plan.base, v))];
  return runs.map((c) => normal(applyRemedies(structuredClone(c))));
}

function expected(state: PlaygroundState) {
  return allRuns(state).map((r) => normal(applyRemedies(toExperimentConfig(r, state.shared))));
}

const recurrent: PlaygroundState = {
  ...defaultState(),
  shared: { ...DEFAULT_SHARED, task: 'adding', depth: 1 },
  baseline: { ...DEFAULT_RUN, label: 'RNN small', cell: 'rnn', init: 'small' },
  variants: [
    { ...DEFAULT_RUN, label: 'LSTM', cell: 'lstm', init: 'glorot' },
    { ...DEFAULT_RUN, label: 'GRU clipped', cell: 'gru', init: 'orthogonal', clip: 'norm', clipValue: 1 },
    { ...DEFAULT_RUN, label: 'RNN relu', cell: 'rnn', activation: 'relu', init: 'he' },
  ],
};
const scaled: PlaygroundState = {
  ...defaultState(),
  baseline: { ...DEFAULT_RUN, label: 'scaled', init: 'scaled', sigmaW: 1.5, sigmaB: 0.3 },
  variants: [{ ...DEFAULT_RUN, label: 'plain he', init: 'he', optimizer: 'adam' }],
};

describe('Show as CLI: the vgp compare --config file of the page', () => {
  const cases: Array<[string, PlaygroundState]> = [
    ['default', defaultState()],
    ['recurrent cells over a plain-RNN base', recurrent],
    ['biasStd over a base that has one', scaled],
    ...PRESETS.map((p) => [`preset ${p.id}`, presetState(p, DEFAULT_SHARED)] as [string, PlaygroundState]),
  ];
  it.each(cases)('%s: every run the CLI builds from the file is the run the page trains', (_name, state) => {
    expect(asRun(state)).toEqual(expected(state));
  });

  it('keeps the base fields the page shares (task, seed, steps, batch size) and names the command', () => {
    const state = defaultState();
    const { json, commands } = cliText(state);
    const plan = JSON.parse(json);
    expect(plan.base.task).toEqual(toExperimentConfig(state.baseline, state.shared).task);
    expect(plan.base.seed).toBe(state.shared.seed);
    expect(plan.base.steps).toBe(state.shared.steps);
    expect(commands.split('\n')[0]).toBe(`npx vgp compare --config ${CLI_FILE}`);
  });
});
