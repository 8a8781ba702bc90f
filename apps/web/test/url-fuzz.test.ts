/**
 * 2,000 damaged links through the playground's URL parser. parseState never throws; a link it accepts
 * gives a state whose every run is a valid, buildable-size @vgp/nn config and that round-trips through
 * serializeState; a link it rejects falls back to the defaults with at least one problem to show.
 */
import { VgpError } from '@vgp/core';
import { validateConfig } from '@vgp/nn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toExperimentConfig } from '../src/state/experiment-config.js';
import { PRESETS, presetState } from '../src/state/presets.js';
import { defaultState } from '../src/state/state.js';
import { parseState, serializeState } from '../src/state/url-state.js';

const RUNS = 2000;
const ids = PRESETS.map((p) => p.id);
const links = [defaultState(), ...PRESETS.map((p) => presetState(p, defaultState().shared))].map((s) =>
  serializeState(s),
);

/** A valid link damaged the way links get damaged: values swapped, pairs dropped or doubled, junk typed in. */
const damaged: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...links),
    fc.array(
      fc.oneof(
        fc.record({
          op: fc.constant('value' as const),
          at: fc.nat(),
          to: fc.oneof(
            fc.string(),
            fc.constantFrom(
              '1e400',
              '-1',
              'NaN',
              '0x10',
              '%',
              '%E0%A4%A',
              '',
              '1e5',
              '99999999',
              'relu',
              'lstm',
            ),
          ),
        }),
        fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
        fc.record({ op: fc.constant('double' as const), at: fc.nat() }),
        fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 12 }) }),
        fc.record({
          op: fc.constant('key' as const),
          key: fc.constantFrom(
            'v9.act',
            'v1.cell',
            'b.norm',
            'depth',
            'width',
            'task',
            'steps',
            'x',
            'v4.label',
            '__proto__',
            'constructor',
          ),
          value: fc.string({ maxLength: 8 }),
        }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([link, edits]) => {
    let pairs = link.replace(/^\?/, '').split('&').filter(Boolean);
    let text = '';
    for (const e of edits) {
      const i = pairs.length > 0 ? ('at' in e ? e.at : 0) % pairs.length : 0;
      if (e.op === 'value' && pairs[i]) pairs[i] = `${pairs[i].split('=')[0]}=${encodeURIComponent(e.to)}`;
      else if (e.op === 'drop') pairs = pairs.filter((_, j) => j !== i);
      else if (e.op === 'double' && pairs[i]) pairs.push(pairs[i]);
      else if (e.op === 'insert') text = e.text;
      else if (e.op === 'key') pairs.push(`${e.key}=${encodeURIComponent(e.value)}`);
    }
    const q = pairs.join('&');
    const cut = text ? Math.floor(q.length / 2) : q.length;
    return `?${q.slice(0, cut)}${text}${q.slice(cut)}`;
  });

describe('fuzz: damaged playground links', () => {
  it(`${RUNS} mutated URLs: accepted ones are valid configs, rejected ones fall back with a notice`, () => {
    const counts = { accepted: 0, rejected: 0, runsRefused: 0 };
    fc.assert(
      fc.property(damaged, (search) => {
        const parsed = parseState(search, ids);
        if (parsed.problems.length > 0) {
          counts.rejected++;
          expect(parsed.state).toEqual(defaultState());
          for (const p of parsed.problems) expect(p.length).toBeGreaterThan(0);
          return;
        }
        counts.accepted++;
        expect(parseState(serializeState(parsed.state), ids)).toEqual({ state: parsed.state, problems: [] });
        for (const run of [parsed.state.baseline, ...parsed.state.variants]) {
          const config = toExperimentConfig(run, parsed.state.shared);
          try {
            validateConfig(config);
          } catch (e) {
            // A combination the form allows but a run refuses must be a typed, explained refusal.
            expect(e).toBeInstanceOf(VgpError);
            counts.runsRefused++;
          }
        }
      }),
      { numRuns: RUNS, seed: 11 },
    );
    console.log(
      `url fuzz: ${RUNS} links, ${counts.rejected} rejected with a notice, ${counts.accepted} accepted (${counts.runsRefused} of their runs refused by validateConfig)`,
    );
    expect(counts.accepted).toBeGreaterThan(RUNS / 20);
    expect(counts.rejected).toBeGreaterThan(RUNS / 4);
  }, 120_000);
});
