/**
 * Learn: the presets of @vgp/nn as one-click playground scenarios. Each becomes a full playground
 * state (shared settings + baseline + variants) and keeps its explanation and paper. Where the
 * playground's toggles cannot express a run exactly (one shared learning rate, one init choice),
 * the difference is computed, not guessed, and shown beside the explanation.
 */
import {
  applyRemedies,
  type ExperimentConfig,
  PRESETS as NN_PRESETS,
  type Variant,
  variantConfig,
} from '@vgp/nn';
import { fromExperimentConfig, toExperimentConfig } from './experiment-config.js';
import { MAX_VARIANTS, TASKS } from './options.js';
import { DEFAULT_SHARED, type PlaygroundState, type SharedSettings } from './state.js';

/** The fields of an @vgp/nn preset that the page reads. */
export interface PresetLike {
  name: string;
  title: string;
  citation: string;
  explanation: string;
  watch: string;
  base: ExperimentConfig;
  variants: Variant[];
}

export interface PresetView {
  id: string;
  title: string;
  /** Paragraphs separated by blank lines. */
  explanation: string;
  paper: string | null;
  state: PlaygroundState;
  /** Where the playground's run differs from the preset's, one line each (empty when exact). */
  differences: string[];
}

/** Compares two effective configs field by field; returns "path: preset A, here B" lines. */
function diff(want: unknown, got: unknown, path: string, out: string[]): void {
  if (typeof want === 'object' && want !== null && typeof got === 'object' && got !== null) {
    const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
    for (const k of keys) {
      if (k === 'label' || k === 'remedies') continue;
      diff(
        (want as Record<string, unknown>)[k],
        (got as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
        out,
      );
    }
    return;
  }
  if (want === undefined || got === undefined) return;
  if (want !== got)
    out.push(`${path}: the preset uses ${JSON.stringify(want)}, the playground ${JSON.stringify(got)}`);
}

/** A preset as a playground state, or null when its task is not one the playground offers (MNIST). */
export function presetView(p: PresetLike): PresetView | null {
  const t = p.base.task;
  // MNIST read row by row is a recurrent task the playground does not offer.
  if (!(TASKS as readonly string[]).includes(t.kind) || (t.kind === 'mnist' && t.layout === 'rows'))
    return null;
  const configs = [p.base, ...p.variants.slice(0, MAX_VARIANTS).map((v) => variantConfig(p.base, v))];
  const mapped = configs.map((c) => fromExperimentConfig(applyRemedies(c)));
  const shared: SharedSettings = { ...DEFAULT_SHARED, ...mapped[0]?.shared };
  const runs = mapped.map((m) => m.run);
  const differences: string[] = [];
  runs.forEach((run, i) => {
    const lines: string[] = [];
    diff(applyRemedies(configs[i] as ExperimentConfig), toExperimentConfig(run, shared), '', lines);
    for (const l of lines) differences.push(`${run.label}: ${l}`);
  });
  if (p.variants.length > MAX_VARIANTS) differences.push(`only the first ${MAX_VARIANTS} variants are shown`);
  return {
    id: p.name,
    title: p.title,
    explanation: `${p.explanation}\n\nWhat to watch: ${p.watch}.`,
    paper: p.citation,
    state: {
      shared,
      baseline: runs[0] as PlaygroundState['baseline'],
      variants: runs.slice(1),
      preset: p.name,
    },
    differences,
  };
}

export function presetViews(presets: readonly PresetLike[]): PresetView[] {
  return presets.map(presetView).filter((v): v is PresetView => v !== null);
}

/** The Learn list: @vgp/nn's presets in their order (depth first, then time). */
export const PRESETS: PresetView[] = presetViews(NN_PRESETS);

/** The state a preset loads; the speed setting is the user's and carries over. */
export function presetState(preset: PresetView, current: SharedSettings): PlaygroundState {
  const s = preset.state;
  return {
    shared: { ...s.shared, speed: current.speed },
    baseline: { ...s.baseline },
    variants: s.variants.map((v) => ({ ...v })),
    preset: preset.id,
  };
}
