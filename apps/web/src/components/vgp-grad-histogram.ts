import { css, html, LitElement } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { controlStyles } from '../theme.js';
import { VIRIDIS_LUT } from '../views/color-scale.js';
import { binEdge, type HistogramSeries, medianExp, occupiedBins } from '../views/grad-histograms.js';

/** One run as this view needs it. */
export interface HistogramRun {
  label: string;
  color: string;
  histograms: HistogramSeries | null;
}

/**
 * Gradient distributions over training, as TensorBoard and W&B draw them: for one run and one weight
 * matrix, a step x log10|g| density image (each column a histogram, brightness = share of the
 * matrix's entries in that bin), with the median marked. Vanishing gradients show as the lower
 * layers' band sitting many decades below the top layer's.
 */
@customElement('vgp-grad-histogram')
export class VgpGradHistogram extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        font-size: 12px;
        color: var(--muted);
      }
      .controls {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        align-items: center;
        margin-bottom: 6px;
      }
      .plot {
        display: grid;
        grid-template-columns: 56px 1fr;
        gap: 4px;
      }
      canvas.density {
        width: 100%;
        height: 180px;
        display: block;
        image-rendering: pixelated;
        background: #0b0f14;
        border-radius: 4px;
      }
      .yaxis {
        display: flex;
        flex-direction: column;
        justify-content: space-between;
        text-align: right;
        white-space: nowrap;
      }
      .xaxis,
      .key {
        display: flex;
        justify-content: space-between;
        margin-left: 60px;
      }
      .key canvas {
        width: 160px;
        height: 10px;
        margin: 0 6px;
        vertical-align: middle;
      }
      .empty {
        padding: 12px 0;
      }
    `,
  ];

  /** Every run; the chooser picks one. */
  @property({ attribute: false }) runs: HistogramRun[] = [];
  @state() private run = 0;
  /** The weight matrix shown, by name; null: the first. */
  @state() private param: string | null = null;

  @query('canvas.density') private canvas?: HTMLCanvasElement;
  @query('canvas.swatch') private swatch?: HTMLCanvasElement;

  private get series(): HistogramSeries | null {
    return this.runs[Math.min(this.run, this.runs.length - 1)]?.histograms ?? null;
  }

  private get paramIndex(): number {
    const s = this.series;
    if (!s) return -1;
    const i = this.param === null ? 0 : s.names.indexOf(this.param);
    return Math.max(i, 0);
  }

  override render() {
    const s = this.series;
    const p = this.paramIndex;
    const name = s?.names[p] ?? '';
    const last = s && s.counts.length > 0 ? (s.counts[s.counts.length - 1]?.[p] ?? []) : [];
    const med = s ? medianExp(s, last) : Number.NaN;
    const [b0, b1] = s ? occupiedBins(s) : [0, 0];
    const bins = s?.counts[0]?.[0]?.length ?? 0;
    const lo = s ? binEdge(s, bins, b0) : 0;
    const hi = s ? binEdge(s, bins, b1 + 1) : 0;
    return html`<div class="controls">
        <label>Run <select class="run" aria-label="Run" @change=${this.onRun}>
          ${this.runs.map((r, i) => html`<option value=${i} ?selected=${i === this.run}>${r.label}</option>`)}
        </select></label>
        <label>Layer <select class="layer" aria-label="Layer" @change=${this.onParam} ?disabled=${!s}>
          ${(s?.names ?? []).map((n, i) => html`<option value=${n} ?selected=${i === p}>${n}</option>`)}
        </select></label>
        <span class="summary" data-median=${Number.isFinite(med) ? med.toFixed(2) : ''}>${
          s && s.steps.length > 0
            ? `${name}: median log10|g| ${med.toFixed(1)} at step ${s.steps[s.steps.length - 1]} (${s.steps.length} histograms)`
            : 'no histogram yet: the monitor takes one on the first step and every 50th after it'
        }</span>
      </div>
      ${
        s && s.steps.length > 0
          ? html`<div class="plot">
                <div class="yaxis"><span>1e${Number(hi.toFixed(1))}</span><span>|g|</span><span>1e${Number(lo.toFixed(1))}</span></div>
                <canvas class="density" role="img"
                  aria-label=${`density of log10|g| of ${name} over training steps ${s.steps[0]} to ${s.steps[s.steps.length - 1]}, from 1e${lo.toFixed(1)} (bottom) to 1e${hi.toFixed(1)} (top)`}></canvas>
              </div>
              <div class="xaxis"><span>step ${s.steps[0]}</span><span>→ training step</span><span>${s.steps[s.steps.length - 1]}</span></div>
              <div class="key">share of the matrix's entries in a bin:
                <span>0<canvas class="swatch" width="64" height="1"></canvas>max</span>
                <span>white: median</span></div>`
          : null
      }`;
  }

  /** What the canvases show now: the page re-renders 5 times a second, most often for other views. */
  private drawn: { series: unknown; param: number; canvas: unknown; swatch: unknown } | null = null;

  protected override updated(): void {
    const now = { series: this.series, param: this.paramIndex, canvas: this.canvas, swatch: this.swatch };
    const d = this.drawn;
    if (d && (Object.keys(now) as (keyof typeof now)[]).every((k) => d[k] === now[k])) return;
    if (d?.swatch !== now.swatch) this.drawSwatch();
    this.drawn = now;
    this.draw();
  }

  private onRun = (e: Event) => {
    this.run = Number((e.target as HTMLSelectElement).value);
  };

  private onParam = (e: Event) => {
    this.param = (e.target as HTMLSelectElement).value;
  };

  /** One pixel per (histogram, bin); each column scaled to its largest share, median in white. */
  private drawSwatch(): void {
    const ctx = this.swatch?.getContext('2d');
    const img = ctx?.createImageData(64, 1);
    if (!ctx || !img) return;
    for (let x = 0; x < 64; x++) setViridis(img.data, 4 * x, Math.round((x / 63) * 255));
    ctx.putImageData(img, 0, 0);
  }

  private draw(): void {
    const s = this.series;
    const canvas = this.canvas;
    if (!s || !canvas || s.steps.length === 0) return;
    const p = this.paramIndex;
    const [b0, b1] = occupiedBins(s);
    const w = s.steps.length;
    const h = b1 - b0 + 1;
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(w, h);
    for (let x = 0; x < w; x++) {
      const counts = s.counts[x]?.[p] ?? [];
      const total = counts.reduce((a, c) => a + c, 0);
      let max = 0;
      for (let b = b0; b <= b1; b++) max = Math.max(max, counts[b] ?? 0);
      const med = medianExp(s, counts);
      const medBin = Math.floor(((med - s.minExp) / (s.maxExp - s.minExp)) * counts.length);
      for (let b = b0; b <= b1; b++) {
        const o = ((b1 - b) * w + x) * 4;
        if (b === medBin && total > 0) {
          img.data.fill(255, o, o + 4);
          continue;
        }
        setViridis(img.data, o, max > 0 ? Math.round(((counts[b] ?? 0) / max) * 255) : 0);
      }
    }
    ctx.putImageData(img, 0, 0);
  }
}

/** Writes colour `t` (0..255) of the viridis map, opaque, at byte `o` of `data`. */
function setViridis(data: Uint8ClampedArray, o: number, t: number): void {
  data[o] = VIRIDIS_LUT[3 * t] as number;
  data[o + 1] = VIRIDIS_LUT[3 * t + 1] as number;
  data[o + 2] = VIRIDIS_LUT[3 * t + 2] as number;
  data[o + 3] = 255;
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-grad-histogram': VgpGradHistogram;
  }
}
