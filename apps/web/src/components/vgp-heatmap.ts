import { css, html, LitElement } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { fmt, VIRIDIS_LUT } from '../views/color-scale.js';

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
    .legend {
      display: flex;
      justify-content: space-between;
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

  @query('canvas') private canvas!: HTMLCanvasElement;

  override render() {
    const [lo, hi] = this.domain;
    const label = `heat map of gradient norms, ${this.rows}s by ${this.along}, colour from 1e${lo} (dark) to 1e${hi} (bright)`;
    return html`<canvas role="img" aria-label=${label}></canvas>
      <div class="legend"><span>↑ ${this.rows}s (last on top) · → ${this.along}</span><span>1e${lo} … 1e${hi}</span></div>`;
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

  /** The heat map as a PNG (scaled up so cells stay visible). */
  toPng(): Promise<Blob | null> {
    const out = document.createElement('canvas');
    const scale = Math.max(1, Math.floor(600 / Math.max(1, this.canvas.width)));
    out.width = this.canvas.width * scale;
    out.height = this.canvas.height * 12;
    const ctx = out.getContext('2d');
    if (!ctx) return Promise.resolve(null);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.canvas, 0, 0, out.width, out.height);
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
