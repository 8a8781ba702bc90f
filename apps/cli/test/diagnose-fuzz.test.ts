/**
 * 2,000 damaged histories through `vgp diagnose`'s reading and diagnosis (diagnoseDocument: the
 * document forms, the history schema, diagnose itself). Every failure must be a typed VgpError; no
 * TypeError or RangeError may escape. The documents start from real runs (an mlp and a recurrent
 * net) in each form the command accepts: bare history, `vgp run --json`, compare and playground exports.
 */
import { VgpError } from '@vgp/core';
import {
  type ExperimentConfig,
  getPreset,
  parseJson,
  runExperiment,
  runToJson,
  stringifyJson,
} from '@vgp/nn';
import { mutated } from '@vgp/test-utils';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnoseDocument } from '../src/commands/diagnose.js';

const RUNS = 2000;
const docs: unknown[] = [];

async function small(name: string, patch: Partial<ExperimentConfig>) {
  const base = getPreset(name).base;
  const run = await runExperiment({ ...base, ...patch, backend: 'ts' });
  // Through JSON and back, as the file would be (NaN spelled as strings).
  return parseJson(stringifyJson(runToJson(run, true))) as { label: string; history: { records: unknown[] } };
}

beforeAll(async () => {
  const mlp = await small('deep-sigmoid', { steps: 12 });
  const rnn = await small('rnn-adding', { steps: 6, task: { kind: 'adding', length: 8, n: 64 } });
  for (const run of [mlp, rnn]) {
    // Few records keep each case cheap; the mutations reach every field of them.
    const history = { ...run.history, records: run.history.records.slice(0, 3) };
    docs.push(history, { format: 'vgp-run', version: 1, label: run.label, history });
    docs.push({ format: 'vgp-compare', runs: [{ label: run.label, history }] });
    docs.push({ format: 'vgp-playground-runs/1', query: '', runs: [{ label: run.label, history }] });
  }
}, 60_000);

describe('fuzz: damaged histories through vgp diagnose', () => {
  it(`${RUNS} mutated documents: verdicts or a VgpError, nothing else`, () => {
    const counts = { diagnosed: 0, rejected: 0 };
    for (const doc of docs) expect(diagnoseDocument(doc, 'f.json').length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.constantFrom(...docs).chain((d) => mutated(d)),
        (doc) => {
          try {
            const runs = diagnoseDocument(doc, 'f.json');
            expect(runs.length).toBeGreaterThan(0);
            counts.diagnosed++;
          } catch (e) {
            if (!(e instanceof VgpError)) throw e;
            expect(e.message).toMatch(/f\.json/);
            counts.rejected++;
          }
        },
      ),
      { numRuns: RUNS, seed: 11 },
    );
    console.log(`history fuzz: ${RUNS} cases, ${counts.rejected} rejected, ${counts.diagnosed} diagnosed`);
    expect(counts.rejected + counts.diagnosed).toBe(RUNS);
    expect(counts.rejected).toBeGreaterThan(RUNS / 10);
    expect(counts.diagnosed).toBeGreaterThan(RUNS / 10);
  }, 120_000);
});
