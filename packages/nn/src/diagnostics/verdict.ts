import type { Remedy } from './remedies.js';

/**
 * Every problem `diagnose` can name, plus `healthy`. The order is the reporting order within a severity:
 * causes (non-finite values, explosion, vanishing) before the symptoms they produce (saturation, dead
 * units, frozen layers, stagnation).
 */
export const VERDICT_KINDS = [
  'non-finite',
  'exploding',
  'vanishing',
  'saturation',
  'dead-units',
  'frozen-lower-layers',
  'stagnation',
  'healthy',
] as const;

/** The kind of a {@link Verdict}: one of `VERDICT_KINDS`. */
export type VerdictKind = (typeof VERDICT_KINDS)[number];

/** `critical`: training cannot succeed as is; `warning`: it is hampered; `info`: for the record. */
export type Severity = 'critical' | 'warning' | 'info';

/** Evidence values are numbers (or arrays of them, one per layer or time step), with a few labels. */
export type EvidenceValue = number | number[] | string | string[] | null;

/** One named problem (or `healthy`), with the numbers that show it and what to do about it. */
export interface Verdict {
  /** The problem named (or `healthy`). */
  kind: VerdictKind;
  /** How much it matters. */
  severity: Severity;
  /** The layers concerned, by name (empty when the verdict concerns the whole model). */
  layers: string[];
  /** One sentence saying what was measured. */
  message: string;
  /** The measurements behind the verdict, by name (e.g. `saturatedFrac`, one per layer; `worst`). */
  evidence: Record<string, EvidenceValue>;
  /** Ordered: the first is the one to try first. */
  remedies: Remedy[];
  /** Set when every remedy for this problem is one the run already has: says so instead of listing noise. */
  noRemedy?: string;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Most severe first; within a severity in the order of `VERDICT_KINDS` (causes before symptoms). */
export function sortVerdicts(verdicts: Verdict[]): Verdict[] {
  return verdicts.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      VERDICT_KINDS.indexOf(a.kind) - VERDICT_KINDS.indexOf(b.kind),
  );
}
