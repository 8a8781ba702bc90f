/**
 * "Show as CLI": the page's comparison as the `{ base, variants }` file `vgp compare --config` reads,
 * built from the same ExperimentConfig mapping the worker trains (toExperimentConfig), so the runs
 * can be repeated headless, on more seeds, or swept.
 */
import type { ExperimentConfig, ModelConfig, Variant } from '@vgp/nn';
import { toExperimentConfig } from './experiment-config.js';
import type { PlaygroundState } from './state.js';
import { allRuns } from './state.js';

/**
 * What a model field means when it is absent (the @vgp/nn defaults). A variant's model is merged over
 * the base's, so a field the base has and the variant leaves to its default is written out explicitly.
 */
const MODEL_DEFAULTS: Record<string, unknown> = {
  init: 'glorotUniform',
  recurrentInit: 'orthogonal',
  biasStd: 0,
};

/** A run as a variant of `base`: every field it differs in, so the merge gives back the run's config. */
export function asVariant(base: ExperimentConfig, run: ExperimentConfig): Variant {
  const b = base.model as unknown as Record<string, unknown>;
  const model = { ...(run.model as unknown as Record<string, unknown>) };
  for (const key of Object.keys(b))
    if (!(key in model) && key in MODEL_DEFAULTS) model[key] = MODEL_DEFAULTS[key];
  const variant: Variant = { label: run.label ?? 'run' };
  // A gated cell has no `activation`; over a plain-RNN base the merge would keep the base's, so the
  // cell change goes through the remedy that drops it (as the rnn-adding preset's LSTM does).
  if (b.kind === 'recurrent' && b.cell === 'rnn' && model.cell !== 'rnn') {
    variant.remedies = [model.cell as 'lstm' | 'gru'];
    delete model.cell;
  }
  variant.model = model as Partial<ModelConfig>;
  variant.optimizer = run.optimizer;
  variant.clip = run.clip ?? null;
  return variant;
}

/** The `vgp compare --config` file of the page: the baseline as base, each variant as a variant. */
export function cliPlan(state: PlaygroundState): { base: ExperimentConfig; variants: Variant[] } {
  const [base, ...rest] = allRuns(state).map((r) => toExperimentConfig(r, state.shared));
  const b = base as ExperimentConfig;
  return { base: b, variants: rest.map((r) => asVariant(b, r)) };
}

/** The file name the command refers to. */
export const CLI_FILE = 'vgp-compare.json';

/** The file's text and the commands that rerun it (and on five seeds, as a claim should be checked). */
export function cliText(state: PlaygroundState): { json: string; commands: string } {
  const json = `${JSON.stringify(cliPlan(state), null, 2)}\n`;
  const csvNote =
    state.shared.task === 'csv'
      ? `# task.csv: add "file": "${state.shared.csvName || 'your.csv'}" (the path of your CSV) to base.task\n`
      : '';
  const commands = `${csvNote}npx vgp compare --config ${CLI_FILE}\nnpx vgp compare --config ${CLI_FILE} --seeds 5\n`;
  return { json, commands };
}
