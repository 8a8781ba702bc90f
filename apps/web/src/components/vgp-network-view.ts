import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { fmt, logPosition, viridis } from '../views/color-scale.js';
import {
  columnsOf,
  layoutNetwork,
  type NetworkLayout,
  type NetworkScales,
  sharedScales,
} from '../views/network-layout.js';
import { incoming, paintNetwork, SATURATED_UNIT, spotsOf } from '../views/network-paint.js';
import type { NetLayerView, NetworkView } from '../worker/network-data.js';

/** One run's network, as the app hands it over. */
export interface NetworkRun {
  label: string;
  color: string;
  network: NetworkView | null;
}

/** What the view shows per run, readable by tests and devtools (`el.viewData`). */
export interface NetworkViewData {
  label: string;
  step: number | null;
  /** The shared log10 colour domain of |dL/da|. */
  neuronDomain: [number, number];
  /** The columns drawn, left to right: a layer (`h3`, `t5`, ...) or a band of folded layers. */
  columns: Array<{ kind: 'layer' | 'band'; label: string }>;
  layers: Array<{
    name: string;
    kind: string;
    meanGrad: number | null;
    colour: number | null;
    shown: number;
    units: number;
  }>;
}

const HEIGHT = 250;
const STEPS = 12;

/**
 * The network drawn as the TF Playground draws it, with the gradient flowing back through it: one
 * canvas per run, side by side, on scales shared by every run. Neuron fill: its activation over the
 * input plane (2-D tasks) or its distribution over the batch; ring: |dL/da|; edge colour |dL/dw| and
 * thickness |w|. Redraws at most once per animation frame.
 *
 * @fires vgp-layer-select - detail `{ run, layer }` (the weight layer's name) when a column is clicked
 */
@customElement('vgp-network-view')
export class VgpNetworkView extends LitElement {
  static override styles = css`
    :host { display: block; color: #a9b4c2; font-size: 11px; }
    .key { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; margin-bottom: 6px; }
    .bar { display: inline-block; width: 80px; height: 8px; border-radius: 2px; vertical-align: middle; margin: 0 4px; }
    .panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(360px, 100%), 1fr)); gap: 10px; }
    figure { margin: 0; min-width: 0; }
    figcaption { font-size: 12px; font-weight: 600; margin-bottom: 2px; }
    figcaption span { color: #a9b4c2; font-weight: 400; }
    .wrap { position: relative; }
    canvas { display: block; width: 100%; height: ${HEIGHT}px; background: #0b0f14; border-radius: 4px; cursor: crosshair; }
    .tip { position: absolute; pointer-events: none; background: #222c38; border: 1px solid #4a5a6c; border-radius: 4px;
      padding: 4px 6px; color: #e6e9ee; font: 11px/1.35 system-ui, sans-serif; white-space: nowrap; z-index: 1; }
    .empty { padding: 16px; color: #a9b4c2; }
  `;

  @property({ attribute: false }) runs: NetworkRun[] = [];
  @state() private tip: { run: number; x: number; y: number; lines: string[] } | null = null;

  private frame = 0;
  private layouts: Array<NetworkLayout | null> = [];
  /** The sample each canvas last showed. */
  private painted: Array<NetworkView | null> = [];
  private scales: NetworkScales = { neuron: [-8, 1], edge: [-8, 1], maxWeight: 1 };
  private readonly resize = new ResizeObserver(() => this.schedule());

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** Per run, the layers' mean |dL/da| and its position on the shared colour scale. */
  get viewData(): NetworkViewData[] {
    const sc = sharedScales(this.runs.map((r) => r.network));
    return this.runs.map((r) => ({
      label: r.label,
      step: r.network?.step ?? null,
      neuronDomain: sc.neuron,
      columns: r.network ? columnsOf(r.network).map((c) => ({ kind: c.kind, label: c.label })) : [],
      layers: (r.network?.layers ?? []).map((l) => ({
        name: l.name,
        kind: l.kind,
        meanGrad: l.meanGrad,
        colour: l.meanGrad === null ? null : logPosition(l.meanGrad, sc.neuron),
        shown: l.shown.length,
        units: l.units,
      })),
    }));
  }

  /** Centres of the drawn neurons of run `run`, in CSS pixels from the canvas's top left (for tests). */
  neuronCentres(run: number): Array<{ x: number; y: number; layer: string }> {
    const lay = this.layouts[run];
    const net = this.runs[run]?.network;
    if (!lay || !net) return [];
    return lay.neurons.map((n) => ({ x: n.x, y: n.y, layer: net.layers[n.layer]?.name ?? '' }));
  }

  override render() {
    const sc = this.scales;
    const bar = (d: [number, number]) => {
      const stops = Array.from(
        { length: STEPS },
        (_, i) =>
          `rgb(${viridis(i / (STEPS - 1))
            .map(Math.round)
            .join(',')})`,
      );
      return html`1e${d[0]}<span class="bar" style="background:linear-gradient(90deg,${stops.join(',')})"></span>1e${d[1]}`;
    };
    const plane = this.runs.some((r) => r.network?.plane);
    return html`<div class="key" role="note">
        <span>ring |dL/da| ${bar(sc.neuron)}</span>
        <span>edge colour |dL/dw| ${bar(sc.edge)}</span>
        <span>edge width |w| (thickest ${fmt(sc.maxWeight)})</span>
        <span>fill: ${plane ? 'activation over the input plane (blue −, orange +)' : 'activation over the batch'}</span>
        <span><b style="color:#ff7b72">×</b> dead ReLU · <b style="color:#ffb454">◥</b> saturated</span>
      </div>
      <div class="panels">
        ${this.runs.map(
          (r, i) => html`<figure data-run=${i}>
            <figcaption style="color:${r.color}">${r.label} <span>${r.network ? `step ${r.network.step}` : ''}</span></figcaption>
            <div class="wrap">
              ${
                r.network
                  ? html`<canvas data-run=${i} role="img" aria-label="network of ${r.label}: ${this.summary(r.network)}"
                    @pointermove=${(e: PointerEvent) => this.hover(i, e)} @pointerleave=${() => (this.tip = null)}
                    @click=${(e: MouseEvent) => this.onClick(i, e)}></canvas>`
                  : html`<div class="empty">Train a step to see this network.</div>`
              }
              ${this.tip?.run === i ? html`<div class="tip" style="left:${this.tip.x}px;top:${this.tip.y}px">${this.tip.lines.map((t) => html`<div>${t}</div>`)}</div>` : nothing}
            </div>
          </figure>`,
        )}
      </div>`;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('runs')) this.schedule();
  }

  private summary(v: NetworkView): string {
    return v.layers
      .map((l) => `${l.name} mean |dL/da| ${l.meanGrad === null ? 'unknown' : fmt(l.meanGrad)}`)
      .join('; ');
  }

  /** At most one redraw per animation frame, however many updates arrive. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const sc = sharedScales(this.runs.map((r) => r.network));
    const changedKey =
      sc.neuron.join() !== this.scales.neuron.join() ||
      sc.edge.join() !== this.scales.edge.join() ||
      sc.maxWeight !== this.scales.maxWeight;
    this.scales = sc;
    if (changedKey) this.requestUpdate();
    const dpr = window.devicePixelRatio || 1;
    this.layouts = this.runs.map((r, i) => {
      const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(`canvas[data-run="${i}"]`);
      if (!canvas || !r.network) return null;
      const w = canvas.clientWidth || 300;
      // Repaint only what changed: this run's sample, the shared scales, or the canvas size.
      const old = this.layouts[i];
      if (!changedKey && old && this.painted[i] === r.network && canvas.width === Math.round(w * dpr))
        return old;
      this.painted[i] = r.network;
      if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
      if (canvas.height !== Math.round(HEIGHT * dpr)) canvas.height = Math.round(HEIGHT * dpr);
      const ctx = canvas.getContext('2d');
      const layout = layoutNetwork(r.network, w, HEIGHT);
      if (ctx) {
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        paintNetwork(ctx, r.network, layout, sc, w, HEIGHT);
      }
      return layout;
    });
  }

  private hover(run: number, e: PointerEvent): void {
    const lines = this.describe(run, e.offsetX, e.offsetY);
    const canvas = e.currentTarget as HTMLCanvasElement;
    // Keep the tip inside the panel: left of the pointer on the right half.
    const x = e.offsetX > canvas.clientWidth / 2 ? Math.max(0, e.offsetX - 190) : e.offsetX + 12;
    this.tip = lines ? { run, x, y: Math.min(e.offsetY + 12, HEIGHT - 70), lines } : null;
  }

  private onClick(run: number, e: MouseEvent): void {
    const lay = this.layouts[run];
    const net = this.runs[run]?.network;
    if (!lay || !net) return;
    const col = nearestColumn(lay, e.offsetX);
    if (col?.kind !== 'layer') return;
    const layer = net.layers[col.layer]?.weightLayer;
    if (!layer) return;
    this.dispatchEvent(
      new CustomEvent('vgp-layer-select', { detail: { run, layer }, bubbles: true, composed: true }),
    );
  }

  /** The tooltip lines for a point of run `run`'s canvas, or null over nothing. */
  describe(run: number, x: number, y: number): string[] | null {
    const lay = this.layouts[run];
    const net = this.runs[run]?.network;
    if (!lay || !net) return null;
    const n = lay.neurons.find(
      (s) => Math.abs(s.x - x) <= s.size / 2 + 2 && Math.abs(s.y - y) <= s.size / 2 + 2,
    );
    if (n) return neuronLines(net.layers[n.layer] as NetLayerView, n.slot, n.time);
    const col = nearestColumn(lay, x);
    if (col?.kind === 'band') {
      const ms = col.layers.map((i) => net.layers[i]?.meanGrad ?? Number.NaN);
      return [
        `${col.layers.length} layers folded (${col.label})`,
        `mean |dL/da| from ${fmt(Math.min(...ms))} to ${fmt(Math.max(...ms))}`,
      ];
    }
    if (col && y > lay.bottom + 2) {
      const l = net.layers[col.layer] as NetLayerView;
      const more = l.units - l.shown.length;
      if (more <= 0) return null;
      const r = l.gradRange;
      return [
        `${l.name}: ${more} more units not drawn`,
        `drawn: the ${l.shown.length} with the largest |dL/da|`,
        ...(r ? [`|dL/da| over all ${l.units}: ${fmt(r[0])} … ${fmt(r[1])}`] : []),
      ];
    }
    return edgeLines(net, lay, x, y);
  }
}

function nearestColumn(lay: NetworkLayout, x: number) {
  let best = null;
  let d = Number.POSITIVE_INFINITY;
  for (const c of lay.columns) {
    if (Math.abs(c.x - x) < d) {
      d = Math.abs(c.x - x);
      best = c;
    }
  }
  return d <= Math.max(lay.pitch / 2, 12) ? best : null;
}

function neuronLines(l: NetLayerView, slot: number, time: number | null): string[] {
  const unit = l.shown[slot] ?? slot;
  const g = time !== null ? l.time?.grad[time]?.[slot] : l.grad?.[slot];
  const head =
    time !== null && l.time
      ? `${l.name} unit ${unit}, t = ${(l.time.at[time] ?? 0) + 1}`
      : `${l.name} unit ${unit}`;
  const act = time !== null ? l.time?.actMean[time]?.[slot] : l.actMean?.[slot];
  const lines = [head];
  if (act !== undefined)
    lines.push(`activation ${fmt(act)}${time === null && l.actStd ? ` ± ${fmt(l.actStd[slot] ?? 0)}` : ''}`);
  lines.push(`|dL/da| ${g === undefined ? 'not kept (no layer holds dL/dy)' : fmt(g)}`);
  const s = l.saturated?.[slot];
  if (s !== undefined)
    lines.push(`saturated ${(100 * s).toFixed(0)}% of the batch${s > SATURATED_UNIT ? ' (marked)' : ''}`);
  if (l.dead?.[slot]) lines.push('dead: zero on the whole batch');
  return lines;
}

/** The edge within 4 px of (x, y), described. */
function edgeLines(net: NetworkView, lay: NetworkLayout, x: number, y: number): string[] | null {
  const c = lay.columns.findIndex((col, i) => i > 0 && (lay.columns[i - 1]?.x ?? 0) <= x && x <= col.x);
  if (c <= 0) return null;
  const inc = incoming(net, lay, c);
  if (!inc) return null;
  const from = spotsOf(lay, inc.from);
  const to = spotsOf(lay, c);
  let best: { d: number; i: number; j: number } | null = null;
  to.forEach((b, j) => {
    from.forEach((a, i) => {
      const ax = a.x + a.size / 2;
      const bx = b.x - b.size / 2;
      if (bx <= ax) return;
      const t = Math.min(1, Math.max(0, (x - ax) / (bx - ax)));
      const d = Math.abs(a.y + t * (b.y - a.y) - y);
      if (d < 4 && (!best || d < best.d)) best = { d, i, j };
    });
  });
  if (!best) return null;
  const { i, j } = best as { d: number; i: number; j: number };
  const k = i * to.length + j;
  const la = net.layers[from[i]?.layer ?? 0] as NetLayerView;
  const lb = net.layers[to[j]?.layer ?? 0] as NetLayerView;
  const e = inc.edges;
  const u = e.update?.[k];
  return [
    `${la.name} ${la.shown[i]} → ${lb.name} ${lb.shown[j]}`,
    `|w| ${fmt(e.weight[k] ?? Number.NaN)}`,
    `|dL/dw| ${fmt(e.grad[k] ?? Number.NaN)}`,
    `update ratio |Δw|/|w| ${u === undefined ? 'not measured' : fmt(u)}`,
  ];
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-network-view': VgpNetworkView;
  }
}
