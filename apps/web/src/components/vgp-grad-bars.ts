import { css, html, LitElement, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { fmt, logPosition } from '../views/color-scale.js';

const W = 320;
const BARS_H = 120;
const ROW_H = 9;

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

  /** The bars as a PNG, 3x the SVG's own size. */
  toPng(): Promise<Blob | null> {
    const el = this.renderRoot.querySelector('svg');
    return el ? svgToPng(el, W * 3) : Promise.resolve(null);
  }

  override render() {
    const n = this.norms.length;
    const left = 30;
    const slot = n > 0 ? (W - left) / n : 0;
    const [lo, hi] = this.domain;
    // At most ~8 labelled decades fit the chart's height.
    const decades = [];
    const every = Math.max(1, Math.ceil((hi - lo + 1) / 8));
    for (let d = lo; d <= hi; d += every) decades.push(d);
    const y = (t: number) => BARS_H - t * (BARS_H - 6);
    const rowY = BARS_H + 4;
    const summary =
      n === 0
        ? 'no gradients yet'
        : `gradient norms from input to output layer: ${this.norms.map((v) => fmt(v)).join(', ')}`;
    return html`<svg viewBox="0 0 ${W} ${BARS_H + 2 * ROW_H + 10}" role="img" aria-label=${summary}>
      ${decades.map((d) => {
        const yy = y((d - lo) / (hi - lo));
        return svg`<line class="grid" x1=${left} x2=${W} y1=${yy} y2=${yy}></line>
          <text class="axis" x=${left - 3} y=${yy + 3} text-anchor="end">1e${d}</text>`;
      })}
      ${this.norms.map((v, i) => {
        const x = left + i * slot + slot * 0.15;
        const w = Math.max(1, slot * 0.7);
        const name = this.names[i] ?? `layer ${i + 1}`;
        if (!Number.isFinite(v)) {
          return svg`<rect class="bar nonfinite" data-layer=${i} x=${x} y=${0} width=${w} height=${BARS_H}>
            <title>${name}: ${String(v)}</title></rect>`;
        }
        const top = y(logPosition(v, this.domain));
        return svg`<rect class="bar" data-layer=${i} x=${x} y=${top} width=${w} height=${Math.max(0.5, BARS_H - top)}
          fill=${this.color} stroke=${i === this.highlight ? '#ffffff' : 'none'} stroke-width="1.5"><title>${name}: ||g|| = ${fmt(v)}</title></rect>`;
      })}
      ${this.norms.map((_, i) => {
        const x = left + i * slot + slot * 0.15;
        const w = Math.max(1, slot * 0.7);
        const s = this.saturation[i] ?? 0;
        const d = this.dead[i] ?? 0;
        return svg`<rect x=${x} y=${rowY} width=${w} height=${ROW_H - 2} fill="#ffb454" fill-opacity=${0.08 + 0.92 * s}>
            <title>layer ${i + 1}: ${(s * 100).toFixed(0)}% saturated</title></rect>
          <rect x=${x} y=${rowY + ROW_H} width=${w} height=${ROW_H - 2} fill="#ff7b72" fill-opacity=${0.08 + 0.92 * d}>
            <title>layer ${i + 1}: ${(d * 100).toFixed(0)}% dead units</title></rect>`;
      })}
      <text class="axis" x=${left - 3} y=${rowY + 7} text-anchor="end">sat</text>
      <text class="axis" x=${left - 3} y=${rowY + ROW_H + 7} text-anchor="end">dead</text>
    </svg>`;
  }
}

/** Renders an SVG element to a PNG on a dark background (the SVG is self-contained: no external refs). */
export function svgToPng(svgEl: SVGSVGElement, width: number): Promise<Blob | null> {
  const box = svgEl.viewBox.baseVal;
  const height = Math.round((width * box.height) / box.width);
  const clone = svgEl.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  // Shadow-DOM styles do not travel with the markup: inline the two the chart needs.
  for (const t of clone.querySelectorAll('text')) t.setAttribute('style', 'fill:#a9b4c2;font:9px sans-serif');
  for (const l of clone.querySelectorAll('line')) l.setAttribute('style', 'stroke:#2c3846;stroke-width:0.5');
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
