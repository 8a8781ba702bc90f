/**
 * A run in one line, made from the ExperimentConfig the worker trains (not from the page's toggles),
 * so a card says exactly what its run is: "10×32 sigmoid · init heNormal · no norm · SGD + momentum
 * lr 0.01 · no clipping".
 */
import type { ExperimentConfig, InitSpec } from '@vgp/nn';

function initText(spec: InitSpec | undefined): string {
  if (spec === undefined) return 'default';
  if (typeof spec === 'string') return spec;
  const extra =
    spec.gain !== undefined ? ` gain ${spec.gain}` : spec.scale !== undefined ? ` σ ${spec.scale}` : '';
  return `${spec.kind}${extra}`;
}

const OPTIMIZERS: Record<string, string> = {
  sgd: 'SGD',
  momentum: 'SGD + momentum',
  nesterov: 'Nesterov',
  rmsprop: 'RMSprop',
  adam: 'Adam',
  adamw: 'AdamW',
};

export function runSummary(c: ExperimentConfig): string {
  const parts: string[] = [];
  const m = c.model;
  if (m.kind === 'mlp') {
    parts.push(`${m.depth}×${m.width} ${m.activation ?? 'relu'}${m.residual ? ' residual' : ''}`);
    parts.push(`init ${initText(m.init)}${m.biasStd ? `, bias σ ${m.biasStd}` : ''}`);
    parts.push(m.norm && m.norm !== 'none' ? `${m.norm} norm` : 'no norm');
  } else {
    parts.push(
      `${m.cell.toUpperCase()}${m.activation ? ` (${m.activation})` : ''} ${m.layers ?? 1}×${m.hidden}`,
    );
    // Absent fields are @vgp/nn's defaults (checkModelSpec): Glorot uniform input weights, orthogonal W_hh.
    parts.push(
      `init ${initText(m.init ?? 'glorotUniform')}, W_hh ${initText(m.recurrentInit ?? 'orthogonal')}`,
    );
  }
  const o = c.optimizer;
  parts.push(`${OPTIMIZERS[o.kind] ?? o.kind} lr ${o.lr}${o.weightDecay ? `, wd ${o.weightDecay}` : ''}`);
  const clip = c.clip;
  parts.push(
    clip?.norm !== undefined
      ? `clip ‖g‖ ≤ ${clip.norm}`
      : clip?.value !== undefined
        ? `clip |g| ≤ ${clip.value}`
        : 'no clipping',
  );
  return parts.join(' · ');
}
