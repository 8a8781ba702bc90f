import { css, html, LitElement } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { fmt, VIRIDIS_LUT, viridis } from '../views/color-scale.js';

/** The colour bar's CSS gradient: viridis sampled at 9 stops, dark (small) on the left. */
const RAMP = `linear-gradient(to right, ${Array.from(
  { length: 9 },
  (_, i) =>
    `rgb(${viridis(i / 8)
      .map(Math.round)
      .join(',')})`,
).join(', ')})`;

/**
 * A rows x steps heat map of gradient norms on a log colour scale (viridis: dark = small), drawn on
 * a canvas. Rows are layers (input at the bottom) or, for recurrent nets, time steps.
 */
@customElement('vgp-heatmap')
export class VgpHeatmap extends LitElement {
  static override styles = css`
    :host {
      display: block;
      color: #a9b4c2;
      font-size: 11px;
    }
    canvas {
      width: 100%;
      height: 90px;
      display: block;
      image-rendering: pixelated;
      background: #0b0f14;
      border-radius: 4px;
    }
    .caption {
      margin: 2px 0;
      overflow-wrap: anywhere;
    }
    .colorbar {
      display: flex;
      align-items: center;
      gap: 6px;
      font-variant-numeric: tabular-nums;
    }
    .ramp {
      flex: 1;
      height: 8px;
      border-radius: 2px;
      max-width: 220px;
    }
  `;

  /** Columns oldest first; each holds one value per row (row 0 = input layer / first time step). */
  @property({ attribute: false }) columns: number[][] = [];
  /** log10 domain of the colour scale. */
  @property({ attribute: false }) domain: [number, number] = [-8, 1];
  /** What the rows are, for the legend and the accessible label: 'layer' or 'time step'. */
  @property() rows = 'layer';
  /** What the columns are: 'step' (training steps) or 'snapshot'. */
  @property() along = 'training step';
  /** The exported PNG's title (preset or task, and the run's label). */
  @property() pngTitle = '';

  @query('canvas') private canvas!: HTMLCanvasElement;

  override render() {
    const label = `heat map of gradient norms, ${this.rows}s by ${this.along}, colour from ${this.min()} (dark) to ${this.max()} (bright)`;
    return html`<canvas role="img" aria-label=${label}></canvas>
      <div class="caption">${this.caption()}</div>
      <div class="colorbar" data-min=${this.min()} data-max=${this.max()}>
        <span>‖g‖</span><span class="min">${this.min()}</span>
        <span class="ramp" style="background: ${RAMP}"></span><span class="max">${this.max()}</span>
      </div>`;
  }

  /** The colour bar's ends: the norms drawn darkest and brightest. */
  private min(): string {
    return fmt(10 ** this.domain[0]);
  }

  private max(): string {
    return fmt(10 ** this.domain[1]);
  }

  /** What the axes are, in full: rows (first at the bottom) by columns. */
  caption(): string {
    return `↑ ${this.rows}s (first at the bottom, last on top) · → ${this.along}`;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('columns') || changed.has('domain')) this.draw();
  }

  /** Draws one pixel per cell; CSS scales the canvas, `pixelated` keeps cells crisp. */
  private draw(): void {
    const cols = this.columns;
    const nRows = cols.reduce((m, c) => Math.max(m, c.length), 0);
    const canvas = this.canvas;
    if (!canvas) return;
    const w = Math.max(1, cols.length);
    const h = Math.max(1, nRows);
    // Resizing clears and reallocates the canvas: only when the shape changed.
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx || cols.length === 0 || nRows === 0) return;
    const img = ctx.createImageData(w, h);
    const [lo, hi] = this.domain;
    const scale = 255 / (hi - lo);
    for (let x = 0; x < cols.length; x++) {
      const col = cols[x] as number[];
      for (let r = 0; r < nRows; r++) {
        const v = col[r] ?? 0;
        const o = ((nRows - 1 - r) * w + x) * 4;
        if (!Number.isFinite(v)) {
          img.data[o] = 255;
          img.data[o + 1] = 60;
          img.data[o + 2] = 60;
        } else {
          const t = v > 0 ? Math.round((Math.log10(v) - lo) * scale) : 0;
          const k = 3 * Math.min(255, Math.max(0, t));
          img.data[o] = VIRIDIS_LUT[k] as number;
          img.data[o + 1] = VIRIDIS_LUT[k + 1] as number;
          img.data[o + 2] = VIRIDIS_LUT[k + 2] as number;
        }
        img.data[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
  }

  /** The heat map as a PNG that stands alone: title, the cells scaled up, the caption and the colour bar. */
  toPng(): Promise<Blob | null> {
    const w = 600;
    const h = Math.max(120, this.canvas.height * 12);
    const pad = 10;
    const out = document.createElement('canvas');
    out.width = w + 2 * pad;
    out.height = h + 100;
    const ctx = out.getContext('2d');
    if (!ctx) return Promise.resolve(null);
    ctx.fillStyle = '#0f1419';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.textBaseline = 'top';
    ctx.fillStyle = '#e6e9ee';
    ctx.font = '600 14px sans-serif';
    ctx.fillText(this.pngTitle || 'vgp: gradient norms', pad, pad);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.canvas, pad, 34, w, h);
    ctx.font = '12px sans-serif';
    ctx.fillStyle = '#a9b4c2';
    ctx.fillText(this.caption(), pad, h + 42);
    const y = h + 64;
    ctx.fillText(`‖g‖ ${this.min()}`, pad, y);
    const x0 = pad + ctx.measureText(`‖g‖ ${this.min()}`).width + 8;
    const ramp = ctx.createLinearGradient(x0, 0, x0 + 240, 0);
    for (let i = 0; i <= 8; i++)
      ramp.addColorStop(
        i / 8,
        `rgb(${viridis(i / 8)
          .map(Math.round)
          .join(',')})`,
      );
    ctx.fillStyle = ramp;
    ctx.fillRect(x0, y + 2, 240, 10);
    ctx.fillStyle = '#a9b4c2';
    ctx.fillText(this.max(), x0 + 248, y);
    return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
  }

  /** The latest column as text, for tests and screen readers. */
  latest(): string {
    const c = this.columns[this.columns.length - 1];
    return c ? c.map((v) => fmt(v)).join(' ') : '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-heatmap': VgpHeatmap;
  }
}
