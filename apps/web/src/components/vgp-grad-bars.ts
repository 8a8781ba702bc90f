import { css, html, LitElement, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { fmt, logPosition } from '../views/color-scale.js';

const W = 320;
const BARS_H = 120;
const ROW_H = 9;
/** Height of the band of rotated layer names under the bars. */
const NAMES_H = 34;
/** Beyond this many layers only every k-th name is drawn (the rest are in each bar's tooltip). */
const MAX_NAMES = 24;

/**
 * Per-layer gradient norms as bars on a log scale (input layer on the left), with a row of
 * saturation and a row of dead-unit indicators under them. SVG, so each bar is an element with a
 * tooltip and the chart scales with its box.
 */
@customElement('vgp-grad-bars')
export class VgpGradBars extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    svg {
      width: 100%;
      height: auto;
      display: block;
    }
    .axis {
      fill: #a9b4c2;
      font: 9px system-ui, sans-serif;
    }
    .grid {
      stroke: #2c3846;
      stroke-width: 0.5;
    }
    .nonfinite {
      fill: #ff7b72;
    }
  `;

  /** Gradient L2 norm per layer. */
  @property({ attribute: false }) norms: number[] = [];
  @property({ attribute: false }) names: string[] = [];
  /** Saturated and dead fractions per layer, 0..1. */
  @property({ attribute: false }) saturation: number[] = [];
  @property({ attribute: false }) dead: number[] = [];
  /** log10 domain shared with the other runs, so bar heights compare across cards. */
  @property({ attribute: false }) domain: [number, number] = [-8, 1];
  @property() color = '#56b4e9';
  /** The bar to outline (a layer picked in the network view), -1 for none. */
  @property({ type: Number }) highlight = -1;
  /** The exported PNG's title (preset or task, and the run's label). */
  @property() pngTitle = '';

  /** The bars as a PNG, 3x the SVG's own size, with the title above. */
  toPng(): Promise<Blob | null> {
    const el = this.renderRoot.querySelector('svg');
    return el ? svgToPng(el, W * 3, this.pngTitle) : Promise.resolve(null);
  }

  override render() {
    const n = this.norms.length;
    const left = 30;
    const slot = n > 0 ? (W - left) / n : 0;
    const [lo, hi] = this.domain;
    // At most ~8 labelled decades fit the chart's height; a domain of one decade gets 1-2-5 ticks too
    // (log10 positions), so every chart has at least three labels.
    const decades: number[] = [];
    const every = Math.max(1, Math.ceil((hi - lo + 1) / 8));
    for (let d = lo; d <= hi; d += every) decades.push(d);
    if (decades.length < 3) {
      for (let d = Math.floor(lo); d < hi; d++) decades.push(d + Math.log10(2), d + Math.log10(5));
      decades.sort((a, b) => a - b);
    }
    const y = (t: number) => BARS_H - t * (BARS_H - 6);
    const rowY = BARS_H + 4;
    const summary =
      n === 0
        ? 'no gradients yet'
        : `gradient norms from input to output layer: ${this.norms.map((v) => fmt(v)).join(', ')}`;
    const names = this.norms.map((_, i) => this.names[i] ?? `layer ${i + 1}`);
    const nameEvery = Math.max(1, Math.ceil(n / MAX_NAMES));
    const namesY = rowY + 2 * ROW_H + 2;
    return html`<svg viewBox="0 0 ${W} ${namesY + NAMES_H + 10}" role="img" aria-label=${summary}
      data-layers=${names.join(' ')}>
      ${decades.map((d) => {
        const yy = y((d - lo) / (hi - lo));
        return svg`<line class="grid" x1=${left} x2=${W} y1=${yy} y2=${yy}></line>
          <text class="axis tick" x=${left - 3} y=${yy + 3} text-anchor="end">${tickLabel(d)}</text>`;
      })}
      ${this.norms.map((v, i) => {
        const x = left + i * slot + slot * 0.15;
        const w = Math.max(1, slot * 0.7);
        const name = this.names[i] ?? `layer ${i + 1}`;
        if (!Number.isFinite(v)) {
          return svg`<rect class="bar nonfinite" data-layer=${i} data-name=${name} x=${x} y=${0} width=${w} height=${BARS_H}>
            <title>${name}: ${String(v)}</title></rect>`;
        }
        const top = y(logPosition(v, this.domain));
        return svg`<rect class="bar" data-layer=${i} data-name=${name} x=${x} y=${top} width=${w} height=${Math.max(0.5, BARS_H - top)}
          fill=${this.color} stroke=${i === this.highlight ? '#ffffff' : 'none'} stroke-width="1.5"><title>${name}: ||g|| = ${fmt(v)}</title></rect>`;
      })}
      ${this.norms.map((_, i) => {
        const x = left + i * slot + slot * 0.15;
        const w = Math.max(1, slot * 0.7);
        const s = this.saturation[i] ?? 0;
        const d = this.dead[i] ?? 0;
        return svg`<rect x=${x} y=${rowY} width=${w} height=${ROW_H - 2} fill="#ffb454" fill-opacity=${0.08 + 0.92 * s}>
            <title>${names[i]}: ${(s * 100).toFixed(0)}% saturated</title></rect>
          <rect x=${x} y=${rowY + ROW_H} width=${w} height=${ROW_H - 2} fill="#ff7b72" fill-opacity=${0.08 + 0.92 * d}>
            <title>${names[i]}: ${(d * 100).toFixed(0)}% dead units</title></rect>`;
      })}
      ${names.map((name, i) => {
        if (i % nameEvery !== 0 && i !== n - 1) return null;
        const cx = left + i * slot + slot / 2;
        return svg`<text class="axis layer-name" x=${cx} y=${namesY} text-anchor="end"
          transform="rotate(-55 ${cx} ${namesY})">${name}</text>`;
      })}
      <text class="axis" x=${W} y=${namesY + NAMES_H + 8} text-anchor="end">layer: input → output</text>
      <text class="axis" x=${left - 3} y=${rowY + 7} text-anchor="end">sat</text>
      <text class="axis" x=${left - 3} y=${rowY + ROW_H + 7} text-anchor="end">dead</text>
    </svg>`;
  }
}

/** A tick at log10 position d: 1e-3 for whole decades, 2e-3 and 5e-3 between them. */
function tickLabel(d: number): string {
  const e = Math.floor(d + 1e-9);
  const k = Math.round(10 ** (d - e));
  return k === 1 ? `1e${e}` : `${k}e${e}`;
}

/** Renders an SVG element to a PNG on a dark background (the SVG is self-contained: no external refs). */
export function svgToPng(svgEl: SVGSVGElement, width: number, title = ''): Promise<Blob | null> {
  const box = svgEl.viewBox.baseVal;
  // A title band above the chart: the viewBox grows upwards so the chart's coordinates stay put.
  const band = title ? 16 : 0;
  const height = Math.round((width * (box.height + band)) / box.width);
  const clone = svgEl.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('viewBox', `${box.x} ${box.y - band} ${box.width} ${box.height + band}`);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  // Shadow-DOM styles do not travel with the markup: inline the two the chart needs.
  for (const t of clone.querySelectorAll('text')) t.setAttribute('style', 'fill:#a9b4c2;font:9px sans-serif');
  for (const l of clone.querySelectorAll('line')) l.setAttribute('style', 'stroke:#2c3846;stroke-width:0.5');
  if (title) {
    const t = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    t.setAttribute('x', String(box.x + 2));
    t.setAttribute('y', String(box.y - 5));
    t.setAttribute('style', 'fill:#e6e9ee;font:600 10px sans-serif');
    t.textContent = title;
    clone.prepend(t);
  }
  const url = URL.createObjectURL(
    new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }),
  );
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d');
      URL.revokeObjectURL(url);
      if (!ctx) return resolve(null);
      ctx.fillStyle = '#18202a';
      ctx.fillRect(0, 0, width, height);
      ctx.drawImage(img, 0, 0);
      canvas.toBlob(resolve, 'image/png');
    };
    img.onerror = () => resolve(null);
    img.src = url;
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-grad-bars': VgpGradBars;
  }
}
