import type { Remedy } from './remedies.js';

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

export type VerdictKind = (typeof VERDICT_KINDS)[number];

/** `critical`: training cannot succeed as is; `warning`: it is hampered; `info`: for the record. */
export type Severity = 'critical' | 'warning' | 'info';

/** Evidence values are numbers (or arrays of them, one per layer or time step), with a few labels. */
export type EvidenceValue = number | number[] | string | string[] | null;

/** One named problem (or `healthy`), with the numbers that show it and what to do about it. */
export interface Verdict {
  kind: VerdictKind;
  severity: Severity;
  /** The layers concerned, by name (empty when the verdict concerns the whole model). */
  layers: string[];
  /** One sentence saying what was measured. */
  message: string;
  evidence: Record<string, EvidenceValue>;
  /** Ordered: the first is the one to try first. */
  remedies: Remedy[];
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
