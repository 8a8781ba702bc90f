/**
 * @vgp/nn diagnostics -> what the page draws: per-layer rows from a StepRecord, verdicts in words,
 * and the measured gain beside what the activation's slope allows. Pure functions of plain records.
 */
import type { DepthFlow, EvidenceValue, GradHistogram, History, Verdict } from '@vgp/nn';

type StepRecord = History['records'][number];

import { remedyPatch } from '../state/remedy-patches.js';
import { fmt } from '../views/color-scale.js';
import type { GainView, HistogramUpdate, VerdictView } from './protocol.js';

export interface LayerRows {
  /** Layers that own a weight matrix, input side first (the bars and heat-map rows). */
  names: string[];
  gradNorms: number[];
  /** For each of them, the saturated / dead fraction of the first activation after it (0 if none). */
  saturation: number[];
  dead: number[];
  /** ||dL/dh_t|| of the first recurrent layer, when there is one. */
  timeNorms: number[] | null;
}

/** Where in `rec.params` each layer's weight matrix is (the first weight of each layer, input side first). */
export function weightIndices(rec: StepRecord): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  rec.params.forEach((p, i) => {
    if (p.role === 'weight' && !seen.has(p.layer)) {
      seen.add(p.layer);
      out.push(i);
    }
  });
  return out;
}

export function layerRows(rec: StepRecord): LayerRows {
  const weights = weightIndices(rec).map((i) => rec.params[i] as StepRecord['params'][number]);
  const names = weights.map((p) => p.layer);
  const position = new Map(rec.layers.map((l, i) => [l.name, i]));
  const saturation: number[] = [];
  const dead: number[] = [];
  names.forEach((name, k) => {
    const from = position.get(name) ?? -1;
    const next =
      k + 1 < names.length ? (position.get(names[k + 1] as string) ?? rec.layers.length) : rec.layers.length;
    let s: number | null = null;
    let d: number | null = null;
    for (let i = Math.max(0, from); from >= 0 && i < next; i++) {
      const l = rec.layers[i];
      s ??= l?.saturatedFrac ?? null;
      d ??= l?.deadFrac ?? null;
    }
    saturation.push(s ?? 0);
    dead.push(d ?? 0);
  });
  const recurrent = rec.layers.find((l) => l.timeGradNorms && l.timeGradNorms.length > 0);
  return {
    names,
    gradNorms: weights.map((p) => p.gradNorm),
    saturation,
    dead,
    timeNorms: recurrent?.timeGradNorms ?? null,
  };
}

function evidenceText(key: string, v: EvidenceValue): string | null {
  if (v === null) return null;
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  if (Array.isArray(v)) {
    const items = (v as Array<number | string>).slice(0, 12).map((x) => (typeof x === 'number' ? fmt(x) : x));
    return `${words}: ${items.join(', ')}${v.length > 12 ? ', …' : ''}`;
  }
  return `${words}: ${typeof v === 'number' ? fmt(v) : v}`;
}

export function verdictViews(verdicts: Verdict[], layerNames: string[]): VerdictView[] {
  return verdicts.map((v) => ({
    kind: v.kind,
    severity: v.severity,
    layers: v.layers.map((name) => layerNames.indexOf(name)).filter((i) => i >= 0),
    evidence: [
      v.message,
      ...(v.noRemedy ? [v.noRemedy] : []),
      ...Object.entries(v.evidence)
        .map(([k, e]) => evidenceText(k, e))
        .filter((s): s is string => s !== null),
    ],
    remedies: v.remedies.map((r) => {
      const p = remedyPatch(r.id);
      return { name: r.action, short: p?.short ?? r.id, reason: r.reason, patch: p?.patch ?? null };
    }),
  }));
}

/** The histograms of several records as one update; undefined when none was taken. */
export function histogramUpdate(
  taken: Array<{ step: number; hists: readonly GradHistogram[] }>,
): HistogramUpdate | undefined {
  const first = taken[0]?.hists[0];
  if (!first) return undefined;
  return {
    minExp: first.minExp,
    maxExp: first.maxExp,
    names: (taken[0]?.hists ?? []).map((h) => h.name),
    steps: taken.map((t) => t.step),
    counts: taken.map((t) => t.hists.map((h) => h.counts)),
  };
}

export function gainView(flow: DepthFlow | null): GainView | undefined {
  if (!flow || !Number.isFinite(flow.measuredGain)) return undefined;
  return {
    measured: flow.measuredGain,
    halvingDepth: Number.isFinite(flow.layersToHalve) ? flow.layersToHalve : null,
    bound: flow.derivativeBound,
    boundOverDepth: flow.activationOnly,
    layers: flow.blocks,
  };
}
