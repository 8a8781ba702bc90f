import { css, html, LitElement } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { RunView } from '../controllers/training-controller.js';
import { controlStyles } from '../theme.js';
import { fmt, logDomain } from '../views/color-scale.js';
import './vgp-boundary.js';
import type { VgpBoundary } from './vgp-boundary.js';
import './vgp-grad-bars.js';
import type { VgpGradBars } from './vgp-grad-bars.js';
import './vgp-heatmap.js';
import type { VgpHeatmap } from './vgp-heatmap.js';
import './vgp-verdicts.js';

/**
 * Everything about one run: its numbers (step, steps/s, loss, metric), per-layer gradient bars
 * with saturation and dead-unit rows, the layer x step heat map, the time-step heat map (recurrent),
 * the decision boundary (2-D tasks) and the verdicts.
 *
 * @fires vgp-png - detail `{ blob, name }` when a chart's PNG button is pressed
 */
@customElement('vgp-run-card')
export class VgpRunCard extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        /* A card's updates (numbers, bars, heat maps) never move anything outside it. */
        contain: content;
        background: var(--panel);
        border: 1px solid var(--line);
        border-top: 4px solid var(--run-color, #56b4e9);
        border-radius: 8px;
        padding: 10px;
        min-width: 0;
      }
      h3 {
        margin: 0;
        font-size: 15px;
      }
      .stats {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        color: var(--muted);
        font-size: 12px;
        margin: 4px 0 8px;
      }
      .stats b {
        color: var(--text);
        font-variant-numeric: tabular-nums;
      }
      h4 {
        margin: 10px 0 2px;
        font-size: 12px;
        color: var(--muted);
        font-weight: 600;
        display: flex;
        justify-content: space-between;
        align-items: center;
      }
      h4 button {
        min-height: 22px;
        font-size: 11px;
        padding: 0 6px;
      }
      .summary {
        margin: 2px 0 0;
        font-size: 12px;
        color: var(--muted);
        overflow-wrap: anywhere;
      }
      .diverged {
        color: var(--bad);
        font-weight: 700;
      }
    `,
  ];

  @property({ attribute: false }) run!: RunView;
  @property({ type: Number }) index = 0;
  @property() color = '#56b4e9';
  /** Shared log10 domain of gradient norms over all runs. */
  @property({ attribute: false }) domain: [number, number] = [-8, 1];
  @property({ type: Boolean }) canAdd = true;
  /** One line saying what the run is, made from its ExperimentConfig (state/run-summary.ts). */
  @property() summary = '';
  /** The comparison's name (preset title or task) for the titles of exported PNGs. */
  @property() context = '';
  /** A layer picked in the network view: the card scrolls its per-layer charts to it and marks its bar. */
  @property({ attribute: false }) focusLayer: string | null = null;

  @query('vgp-heatmap.layers') private heat?: VgpHeatmap;
  @query('vgp-grad-bars') private bars?: VgpGradBars;
  @query('vgp-boundary') private boundaryEl?: VgpBoundary;

  override render() {
    const r = this.run;
    const loss = r.latest?.loss;
    const metric = r.latest?.metric;
    const title = `${this.context ? `${this.context} · ` : ''}${r.spec.label}`;
    return html`<h3>${r.spec.label}</h3>
      <p class="summary">${this.summary}</p>
      <div class="stats" aria-live="off">
        <span>step <b class="step">${r.step}</b></span>
        <span><b class="sps">${r.stepsPerSecond.toFixed(0)}</b> steps/s</span>
        <span>loss <b>${loss === undefined ? '–' : fmt(loss)}</b></span>
        ${
          metric !== undefined && Number.isFinite(metric)
            ? html`<span>accuracy <b>${(metric * 100).toFixed(1)}%</b></span>`
            : null
        }
        ${r.finished === 'diverged' ? html`<span class="diverged">diverged (non-finite loss)</span>` : null}
      </div>
      <h4>Gradient norm per layer (log scale) <button @click=${() => this.png(this.bars, 'gradient-bars')}
        aria-label="Save the ${r.spec.label} gradient bars as PNG">PNG</button></h4>
      <vgp-grad-bars .norms=${r.gradNorms} .names=${r.layerNames} .saturation=${r.saturation} .dead=${r.dead}
        .domain=${this.domain} color=${this.color} pngTitle="${title}: gradient norm per layer"
        highlight=${this.focusLayer === null ? -1 : r.layerNames.indexOf(this.focusLayer)}></vgp-grad-bars>
      <h4>Layer × step <button @click=${() => this.png(this.heat, 'heatmap')}
        aria-label="Save the ${r.spec.label} heat map as PNG">PNG</button></h4>
      <vgp-heatmap class="layers" .columns=${r.heat} .domain=${this.domain} rows="layer"
        pngTitle="${title}: gradient norm, layer × step"
        along=${r.heatSteps.length > 0 ? `steps ${r.heatSteps[0]} … ${r.heatSteps.at(-1)}` : 'training step'}></vgp-heatmap>
      ${
        r.timeHeat.length > 0
          ? html`<h4>Gradient through time, ||dL/dh_t||</h4>
            <vgp-heatmap class="time" .columns=${r.timeHeat} .domain=${logDomain(r.timeHeat.flat())}
              rows="time step"></vgp-heatmap>`
          : null
      }
      ${
        r.boundary
          ? html`<h4>Decision boundary <button @click=${() => this.png(this.boundaryEl, 'boundary')}
              aria-label="Save the ${r.spec.label} decision boundary as PNG">PNG</button></h4>
            <vgp-boundary .boundary=${r.boundary}></vgp-boundary>`
          : null
      }
      <h4>Verdict</h4>
      <vgp-verdicts .verdicts=${r.verdicts} .gain=${r.gain} run=${this.index} ?canAdd=${this.canAdd}></vgp-verdicts>`;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('focusLayer') && this.focusLayer !== null) {
      this.dataset.focusLayer = this.focusLayer;
      this.bars?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }
    this.style.setProperty('--run-color', this.color);
    // Read by the end-to-end tests and handy in devtools.
    this.dataset.step = String(this.run.step);
    this.dataset.label = this.run.spec.label;
    this.dataset.sps = this.run.stepsPerSecond.toFixed(1);
  }

  private async png(el: { toPng(): Promise<Blob | null> } | undefined, what: string): Promise<void> {
    const blob = await el?.toPng();
    if (!blob) return;
    const name = `vgp-${this.run.spec.label.replace(/[^a-z0-9]+/gi, '-')}-${what}.png`;
    this.dispatchEvent(new CustomEvent('vgp-png', { detail: { blob, name }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-run-card': VgpRunCard;
  }
}
