/**
 * Learn: the presets of @vgp/nn as one-click playground scenarios. Each maps to a full playground
 * state (shared settings + baseline + variants) and keeps the preset's explanation and paper.
 */
import type { PlaygroundState, SharedSettings } from './state.js';

export interface PresetView {
  id: string;
  title: string;
  /** Paragraphs separated by blank lines. */
  explanation: string;
  paper: string | null;
  state: PlaygroundState;
}

// Filled from @vgp/nn's presets once they land (see presetViews in the next commit).
export const PRESETS: PresetView[] = [];

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
