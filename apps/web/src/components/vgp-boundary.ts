import { css, html, LitElement } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { BoundaryView } from '../worker/protocol.js';

const SIZE = 160;
// Class colours (blue / orange) blended by the predicted probability of class 1.
const C0: [number, number, number] = [40, 110, 190];
const C1: [number, number, number] = [220, 130, 20];

/** The decision boundary of a 2-D task: predicted class over the plane, training points on top. */
@customElement('vgp-boundary')
export class VgpBoundary extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    canvas {
      width: 100%;
      max-width: 220px;
      aspect-ratio: 1;
      display: block;
      border-radius: 4px;
      background: #0b0f14;
    }
  `;

  @property({ attribute: false }) boundary: BoundaryView | null = null;

  @query('canvas') private canvas!: HTMLCanvasElement;

  override render() {
    return html`<canvas
      width=${SIZE}
      height=${SIZE}
      role="img"
      aria-label="decision boundary: the plane coloured by the predicted class, with the training points"
    ></canvas>`;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (!changed.has('boundary')) return;
    const b = this.boundary;
    const ctx = this.canvas?.getContext('2d');
    if (!b || !ctx) return;
    const cell = SIZE / b.size;
    for (let r = 0; r < b.size; r++) {
      for (let c = 0; c < b.size; c++) {
        const p = b.grid[r * b.size + c] ?? 0.5;
        const mix = (i: 0 | 1 | 2) => Math.round(C0[i] + (C1[i] - C0[i]) * p);
        ctx.fillStyle = `rgb(${mix(0)},${mix(1)},${mix(2)})`;
        ctx.fillRect(c * cell, r * cell, cell + 0.5, cell + 0.5);
      }
    }
    const [x0, x1, y0, y1] = b.extent;
    for (const [x, y, cls] of b.points) {
      const px = ((x - x0) / (x1 - x0)) * SIZE;
      const py = (1 - (y - y0) / (y1 - y0)) * SIZE;
      ctx.beginPath();
      ctx.arc(px, py, 2.2, 0, Math.PI * 2);
      ctx.fillStyle = cls >= 0.5 ? '#ffd08a' : '#a8d8ff';
      ctx.strokeStyle = '#0b0f14';
      ctx.lineWidth = 0.8;
      ctx.fill();
      ctx.stroke();
    }
  }

  toPng(): Promise<Blob | null> {
    return new Promise((resolve) => this.canvas.toBlob(resolve, 'image/png'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-boundary': VgpBoundary;
  }
}
