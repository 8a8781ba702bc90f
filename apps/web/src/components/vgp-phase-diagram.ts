import type { ActivationKind } from '@vgp/core';
import { meanField } from '@vgp/nn';
import { css, html, LitElement, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { allRuns, type PlaygroundState } from '../state/state.js';
import { runColor } from '../theme.js';
import {
  cellCentre,
  criticalLine,
  effectiveSigmaW,
  GRID,
  INPUT_VARIANCE,
  logHistogram,
  type PhaseGrid,
  phaseGrid,
  runSpectrum,
  SB2_MAX,
  SW2_MAX,
} from '../views/mean-field-view.js';

/** Detail of `vgp-init-change`: set run `index` to N(0, sigma_w^2 / fan_in) weights (or orthogonal x sigma_w) and N(0, sigma_b^2) biases. */
export interface InitChangeDetail {
  index: number;
  sigmaW: number;
  sigmaB: number;
}

const W = 360;
const H = 240;
const BINS = 30;
const LOG_LO = -4;
const LOG_HI = 2;

/** Diverging colour of ln chi_1: blue below 1 (ordered), white at 1, red above (chaotic). */
function chiColor(chi1: number): string {
  const t = Math.max(-1, Math.min(1, Math.log(chi1) / 2));
  const c = (v: number) => Math.round(255 * (1 - Math.abs(t)) + v * Math.abs(t));
  return t < 0 ? `rgb(${c(40)},${c(90)},${c(200)})` : `rgb(${c(210)},${c(50)},${c(40)})`;
}

/** Depth scale colour: brighter the more layers the gradient survives (log10 xi over 0..3). */
function depthColor(chi1: number): string {
  const xi = 1 / Math.abs(Math.log(chi1));
  const t = Math.max(0, Math.min(1, Math.log10(Math.max(1, xi)) / 3));
  const v = Math.round(20 + 235 * t);
  return `rgb(${v},${v},${Math.round(v * 0.6)})`;
}

/**
 * The phase diagram of mean-field theory for the selected run's activation: the (sigma_w^2,
 * sigma_b^2) plane coloured by chi_1 (or by the depth scale), the critical line chi_1 = 1, every run
 * marked at its effective (sigma_w, sigma_b); a click sets the selected run to that point. Below it,
 * each run's Jacobian singular values at init on a log axis.
 *
 * @fires vgp-init-change - InitChangeDetail, when the plane is clicked
 */
@customElement('vgp-phase-diagram')
export class VgpPhaseDiagram extends LitElement {
  static override styles = css`
    :host { display: block; color: #c9d1d9; font-size: 12px; }
    .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 6px; }
    svg.plane { width: 100%; max-width: ${W}px; cursor: crosshair; background: #0b0f14; border-radius: 4px; }
    .hist { display: grid; grid-template-columns: 9em 1fr; gap: 2px 8px; align-items: center; }
    svg.bars { width: 100%; height: 36px; background: #0b0f14; border-radius: 3px; }
    .axis { display: flex; justify-content: space-between; color: #8b949e; max-width: ${W}px; }
    .note { color: #8b949e; }
  `;

  /** The comparison: its mlp runs are marked and get a histogram. */
  @property({ attribute: false }) state: PlaygroundState | null = null;
  /** The run a click sets, and whose activation the plane is drawn for. */
  @state() private selected = 0;
  @state() private colorBy: 'chi1' | 'depth' = 'chi1';
  @state() private grid: PhaseGrid | null = null;
  /**
   * Singular values per run's settings: null when too large for the page, 'pending' while computed (the
   * SVD library may still be loading); filled in and redrawn when done.
   */
  private spectra = new Map<string, number[] | null | 'pending' | { error: string }>();
  /** Activations whose grid is being computed (so a re-render does not start it twice). */
  private pending = new Set<ActivationKind>();

  private get runs() {
    return this.state ? allRuns(this.state) : [];
  }

  private get activation(): ActivationKind {
    return (this.runs[this.selected] ?? this.runs[0])?.activation ?? 'tanh';
  }

  protected override willUpdate(): void {
    if (this.selected >= this.runs.length) this.selected = 0;
    const a = this.activation;
    if (this.grid?.activation !== a && !this.pending.has(a)) {
      this.pending.add(a);
      void phaseGrid(a).then((g) => {
        this.pending.delete(a);
        if (g.activation === this.activation) this.grid = g;
      });
    }
  }

  override render() {
    const s = this.state;
    if (!s) return null;
    const runs = this.runs;
    return html`<div class="row">
        <label>Set run <select class="run-select" @change=${(e: Event) => (this.selected = Number((e.target as HTMLSelectElement).value))}>
          ${runs.map((r, i) => html`<option value=${i} ?selected=${i === this.selected}>${r.label}</option>`)}</select></label>
        <label>Colour by <select class="color-select" @change=${(e: Event) => (this.colorBy = (e.target as HTMLSelectElement).value as 'chi1' | 'depth')}>
          <option value="chi1">chi_1 (blue: vanishing, red: exploding)</option>
          <option value="depth">depth scale xi (bright: deep)</option></select></label>
      </div>
      ${this.renderPlane()}
      <div class="axis"><span>σw² 0 →</span><span>↑ σb² 0 … ${SB2_MAX}</span><span>${SW2_MAX}</span></div>
      <p class="note">${this.activation}: dashed, the critical line chi_1 = 1; dots, the runs. Click to set the selected run's σw, σb.</p>
      <p class="note">Jacobian singular values at init (hidden stack ${s.shared.width} wide, ${s.shared.depth} deep, input variance ${INPUT_VARIANCE}), log axis 1e${LOG_LO} … 1e${LOG_HI}; 1 is the line.</p>
      <div class="hist">${runs.map((r, i) => this.renderHistogram(i, r.label))}</div>`;
  }

  private renderPlane() {
    const g = this.grid;
    const s = this.state as PlaygroundState;
    const x = (sw2: number) => (sw2 / SW2_MAX) * W;
    const y = (sb2: number) => H - (sb2 / SB2_MAX) * H;
    const cw = W / GRID;
    const ch = H / GRID;
    const color = this.colorBy === 'chi1' ? chiColor : depthColor;
    const line = g ? criticalLine(g) : [];
    return html`<svg class="plane" viewBox="0 0 ${W} ${H}" role="img" data-ready=${g ? 'yes' : 'no'}
      aria-label="phase diagram of ${this.activation}: sigma_w squared across, sigma_b squared up" @click=${this.onClick}>
      ${
        g
          ? Array.from(g.chi1, (c, k) => {
              const [sw2, sb2] = cellCentre(k % GRID, Math.floor(k / GRID));
              return svg`<rect x=${x(sw2) - cw / 2} y=${y(sb2) - ch / 2} width=${cw + 0.5} height=${ch + 0.5} fill=${color(c)}></rect>`;
            })
          : svg`<text x="10" y="20" fill="#8b949e">computing chi_1…</text>`
      }
      ${
        line.length > 1
          ? svg`<polyline class="critical" fill="none" stroke="#111" stroke-width="2" stroke-dasharray="5 3"
        points=${line.map(([a, b]) => `${x(a)},${y(b)}`).join(' ')}></polyline>`
          : null
      }
      ${this.runs.map((r, i) => {
        const sw2 = effectiveSigmaW(r, s.shared.width) ** 2;
        const sb2 = r.sigmaB ** 2;
        if (sw2 > SW2_MAX || sb2 > SB2_MAX) return null;
        const chi = meanField({ activation: r.activation, sigmaW: Math.sqrt(sw2), sigmaB: r.sigmaB }).chi1;
        return svg`<circle class="marker" data-run=${i} cx=${x(sw2)} cy=${y(sb2)} r="6" fill=${runColor(i)} stroke="#fff" stroke-width="1.5">
          <title>${r.label}: σw = ${Math.sqrt(sw2).toFixed(3)}, σb = ${r.sigmaB}, chi_1 = ${chi.toFixed(3)}</title></circle>`;
      })}
    </svg>`;
  }

  private renderHistogram(i: number, label: string) {
    const s = this.state as PlaygroundState;
    const run = this.runs[i];
    if (!run) return null;
    const key = JSON.stringify([
      run.activation,
      run.init,
      run.sigmaW,
      run.sigmaB,
      run.norm,
      run.residual,
      s.shared.depth,
      s.shared.width,
      s.shared.seed,
      s.shared.task,
    ]);
    if (!this.spectra.has(key)) {
      // Only the latest settings matter; an old entry is dropped rather than kept for the session.
      if (this.spectra.size > 32) this.spectra.clear();
      this.spectra.set(key, 'pending');
      runSpectrum(run, s.shared)
        .then(
          (values) => this.spectra.set(key, values),
          (e: unknown) => this.spectra.set(key, { error: e instanceof Error ? e.message : String(e) }),
        )
        .finally(() => this.requestUpdate());
    }
    const values = this.spectra.get(key) ?? null;
    if (values === 'pending') return html`<span>${label}</span><span class="note">computing…</span>`;
    if (values === null)
      return html`<span>${label}</span><span class="note">too large to compute in the page: use vgp spectrum</span>`;
    if ('error' in values)
      return html`<span>${label}</span><span class="note">could not compute: ${values.error}</span>`;
    const counts = logHistogram(values, LOG_LO, LOG_HI, BINS);
    const max = Math.max(1, ...counts);
    const near = values.filter((v) => v >= 0.5 && v <= 2).length / values.length;
    const one = ((0 - LOG_LO) / (LOG_HI - LOG_LO)) * 300;
    return html`<span>${label}<br /><small>${Math.round(near * 100)}% in [0.5, 2]</small></span>
      <svg class="bars" data-run=${i} data-near=${near} viewBox="0 0 300 36" preserveAspectRatio="none">
        ${counts.map((c, k) => svg`<rect x=${k * (300 / BINS)} y=${36 - (c / max) * 34} width=${300 / BINS - 1} height=${(c / max) * 34} fill=${runColor(i)}></rect>`)}
        <line x1=${one} x2=${one} y1="0" y2="36" stroke="#fff" stroke-dasharray="2 2"></line>
      </svg>`;
  }

  private onClick = (e: MouseEvent) => {
    const el = e.currentTarget as SVGSVGElement;
    const box = el.getBoundingClientRect();
    const sw2 = ((e.clientX - box.left) / box.width) * SW2_MAX;
    const sb2 = (1 - (e.clientY - box.top) / box.height) * SB2_MAX;
    const round = (v: number) => Number(Math.sqrt(Math.max(0, v)).toFixed(3));
    const detail: InitChangeDetail = {
      index: this.selected,
      sigmaW: Math.max(0.05, round(sw2)),
      sigmaB: round(sb2),
    };
    this.dispatchEvent(new CustomEvent('vgp-init-change', { detail, bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-phase-diagram': VgpPhaseDiagram;
  }
}
