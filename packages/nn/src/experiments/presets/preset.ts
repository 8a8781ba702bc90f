import type { Variant } from '../compare.js';
import type { ExperimentConfig } from '../config.js';

/**
 * A classic result, ready to rerun: a base config and the variants that fix (or fail to fix) its
 * problem, with the paper it comes from and a paragraph a learner can read before looking at the numbers.
 */
export interface Preset {
  /** Stable id used on the command line (`vgp compare --preset deep-sigmoid`) and in URLs. */
  name: string;
  /** A one-line heading for the comparison. */
  title: string;
  /** The paper(s) the result comes from. */
  citation: string;
  /** What the comparison shows and why, in plain words. */
  explanation: string;
  /** What to look at in the output. */
  watch: string;
  /** The baseline run, usually the one that shows the problem. */
  base: ExperimentConfig;
  /** The fixes to compare against the baseline. */
  variants: Variant[];
}
