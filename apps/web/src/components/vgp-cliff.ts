import { CLIFF_GRID, type CliffGrid, type CliffTrajectory, cliffDescent, cliffGrid } from '@vgp/nn';
import { css, html, LitElement, unsafeCSS } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { controlStyles } from '../theme.js';
import { fmt, VIRIDIS_LUT } from '../views/color-scale.js';

/** Descent steps revealed per animation frame: 400 steps play in about 2 s at 60 frames/s. */
const STEPS_PER_FRAME = 3;
const PLAIN = '#ff7b72';
const CLIPPED = '#56b4e9';
/** The overlay is drawn at this many pixels per grid cell, so the paths stay sharp. */
const OVERLAY_SCALE = 3;

/**
 * The exploding-gradient cliff (Pascanu, Mikolov & Bengio 2013): the loss of the one-unit RNN
 * x_t = w sigmoid(x_{t-1}) + b (T = 50) over (w, b) as a heat map, with contour lines of the gradient
 * norm every half decade, which crowd together on the wall. Clicking sets the start of two gradient
 * descents, plain and clipped at a gradient norm, which play step by step. Everything is computed in
 * the page (float64, exact gradients; the grid takes a few tens of milliseconds).
 */
@customElement('vgp-cliff')
export class VgpCliff extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        font-size: 12px;
        color: var(--muted);
      }
      .stage {
        position: relative;
        max-width: 720px;
        aspect-ratio: 281 / 161;
        cursor: crosshair;
      }
      canvas {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
      }
      canvas.surface {
        image-rendering: pixelated;
      }
      .controls {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        align-items: center;
        margin: 6px 0;
      }
      input {
        width: 80px;
      }
      .plain {
        color: ${unsafeCSS(PLAIN)};
      }
      .clipped {
        color: ${unsafeCSS(CLIPPED)};
      }
      p {
        margin: 4px 0;
      }
    `,
  ];

  @state() private start: [number, number] = [6, -3];
  @state() private lr = 0.05;
  @state() private clip = 1;
  @state() private steps = 400;
  /** Points of each trajectory drawn so far (the animation's clock). */
  @state() private shown = 0;
  private grid: CliffGrid | null = null;
  private paths: [CliffTrajectory, CliffTrajectory] | null = null;
  private frame = 0;

  @query('canvas.surface') private surface?: HTMLCanvasElement;
  @query('canvas.overlay') private overlay?: HTMLCanvasElement;

  override connectedCallback(): void {
    super.connectedCallback();
    this.grid ??= cliffGrid(CLIFF_GRID);
    this.descend();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
  }

  override render() {
    const g = this.grid;
    const [plain, clipped] = this.paths ?? [null, null];
    const done = plain !== null && this.shown >= plain.w.length;
    return html`<p class="peak">Loss of x_t = w·sigmoid(x_{t-1}) + b after T = 50 steps, target 0.7 (colour: log loss,
        dark = small); lines: gradient norm every half decade. The norm peaks at
        ${
          g
            ? html`w = ${fmt(g.peak.w)}, b = ${fmt(g.peak.b)}: <b>${fmt(g.peak.gradNorm)}</b>, against a median of
        ${fmt(g.medianGradNorm)}`
            : ''
        }. Click to start both descents there.</p>
      <div class="stage" @click=${this.onClick}>
        <canvas class="surface" role="img" aria-label="loss over w from -2 to 12 (right) and b from -6 to 2 (up), with gradient-norm contours"></canvas>
        <canvas class="overlay"></canvas>
      </div>
      <div class="controls">
        <label>lr <input class="lr" type="number" step="0.01" min="0.001" .value=${String(this.lr)} @change=${this.onNumber('lr')} /></label>
        <label>clip at norm <input class="clip" type="number" step="0.5" min="0.01" .value=${String(this.clip)} @change=${this.onNumber('clip')} /></label>
        <label>steps <input class="steps" type="number" step="50" min="1" max="5000" .value=${String(this.steps)} @change=${this.onNumber('steps')} /></label>
        <button class="replay" @click=${() => this.play()}>Replay</button>
        <span>start (w, b) = (${fmt(this.start[0])}, ${fmt(this.start[1])})</span>
      </div>
      <p class="numbers" data-shown=${this.shown} data-done=${done ? 'true' : 'false'}>
        ${
          plain && clipped
            ? html`step ${Math.max(0, Math.min(this.shown, plain.w.length) - 1)} of ${plain.w.length - 1}:
          <span class="plain">● no clipping: largest step <b class="plain-step">${fmt(plain.largestStep)}</b>, final loss ${fmt(plain.finalLoss)}</span>;
          <span class="clipped">● clipped at ${fmt(this.clip)}: largest step <b class="clipped-step">${fmt(clipped.largestStep)}</b>, final loss ${fmt(clipped.finalLoss)}</span>`
            : ''
        }
      </p>`;
  }

  protected override firstUpdated(): void {
    this.paintSurface();
    this.play();
  }

  protected override updated(): void {
    this.paintPaths();
  }

  private onNumber(key: 'lr' | 'clip' | 'steps') {
    return (e: Event) => {
      const v = Number((e.target as HTMLInputElement).value);
      const ok = key === 'steps' ? Number.isInteger(v) && v >= 1 && v <= 5000 : Number.isFinite(v) && v > 0;
      if (!ok) return; // the field keeps the text; the last good value stays in use
      this[key] = v;
      this.descend();
      this.play();
    };
  }

  private onClick = (e: MouseEvent) => {
    const stage = e.currentTarget as HTMLElement;
    const r = stage.getBoundingClientRect();
    const [w0, w1] = CLIFF_GRID.w;
    const [b0, b1] = CLIFF_GRID.b;
    this.start = [
      w0 + ((e.clientX - r.left) / r.width) * (w1 - w0),
      b1 - ((e.clientY - r.top) / r.height) * (b1 - b0),
    ];
    this.descend();
    this.play();
  };

  private descend(): void {
    const opts = { start: this.start, lr: this.lr, steps: this.steps };
    this.paths = [cliffDescent(opts), cliffDescent({ ...opts, clip: this.clip })];
  }

  /** Restarts the animation from step 0. */
  private play(): void {
    cancelAnimationFrame(this.frame);
    this.shown = 1;
    const tick = () => {
      const n = this.paths?.[0].w.length ?? 0;
      this.shown = Math.min(n, this.shown + STEPS_PER_FRAME);
      if (this.shown < n) this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  /** log10 loss in viridis; a pixel whose half-decade level of the gradient norm differs from its right or lower neighbour's is a contour. */
  private paintSurface(): void {
    const g = this.grid;
    const c = this.surface;
    if (!g || !c) return;
    const nw = g.w.length;
    const nb = g.b.length;
    c.width = nw;
    c.height = nb;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(nw, nb);
    const logLoss = Array.from(g.loss, (l) => Math.log10(Math.max(l, 1e-12)));
    const lo = Math.min(...logLoss);
    const hi = Math.max(...logLoss);
    const level = (k: number) => Math.floor(2 * Math.log10(Math.max(g.gradNorm[k] as number, 1e-12)));
    for (let j = 0; j < nb; j++) {
      for (let i = 0; i < nw; i++) {
        const k = j * nw + i;
        // Row 0 of the image is the top: the largest b.
        const o = ((nb - 1 - j) * nw + i) * 4;
        const edge = (i + 1 < nw && level(k) !== level(k + 1)) || (j + 1 < nb && level(k) !== level(k + nw));
        if (edge) {
          img.data.set([235, 235, 235, 255], o);
          continue;
        }
        const t = 3 * Math.round((((logLoss[k] as number) - lo) / (hi - lo)) * 255);
        img.data.set(
          [VIRIDIS_LUT[t] as number, VIRIDIS_LUT[t + 1] as number, VIRIDIS_LUT[t + 2] as number, 255],
          o,
        );
      }
    }
    ctx.putImageData(img, 0, 0);
  }

  /** Both paths up to the current step, and the start. */
  private paintPaths(): void {
    const c = this.overlay;
    if (!c || !this.paths) return;
    const W = CLIFF_GRID.nw * OVERLAY_SCALE;
    const H = CLIFF_GRID.nb * OVERLAY_SCALE;
    if (c.width !== W) c.width = W;
    if (c.height !== H) c.height = H;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, W, H);
    const [w0, w1] = CLIFF_GRID.w;
    const [b0, b1] = CLIFF_GRID.b;
    const x = (w: number) => ((w - w0) / (w1 - w0)) * W;
    const y = (b: number) => ((b1 - b) / (b1 - b0)) * H;
    for (const [t, color] of [
      [this.paths[0], PLAIN],
      [this.paths[1], CLIPPED],
    ] as const) {
      const n = Math.min(this.shown, t.w.length);
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (let k = 0; k < n; k++) {
        const px = x(t.w[k] as number);
        const py = y(t.b[k] as number);
        if (k === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      }
      ctx.stroke();
      if (n > 0) {
        ctx.fillStyle = color;
        ctx.beginPath();
        ctx.arc(x(t.w[n - 1] as number), y(t.b[n - 1] as number), 4, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.strokeStyle = '#fff';
    ctx.strokeRect(x(this.start[0]) - 4, y(this.start[1]) - 4, 8, 8);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-cliff': VgpCliff;
  }
}
