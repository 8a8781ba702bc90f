import { css, html, LitElement, unsafeCSS } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';

/** One line of a curve chart. */
export interface CurveSeries {
  label: string;
  color: string;
  steps: number[];
  values: number[];
}

/** On a log axis, split at whole decades only: uPlot's 2..9 minor splits crowd a 200 px chart. */
function decades(_u: uPlot, _axis: number, min: number, max: number): number[] {
  const out: number[] = [];
  const lo = Math.ceil(Math.log10(min) - 1e-9);
  const hi = Math.floor(Math.log10(max) + 1e-9);
  const step = Math.max(1, Math.ceil((hi - lo + 1) / 8));
  for (let e = lo; e <= hi; e += step) out.push(10 ** e);
  return out;
}

/** 1e-7 rather than uPlot's fixed decimals, which print small decades as 0. */
function logLabels(_u: uPlot, splits: number[]): string[] {
  return splits.map((v) =>
    v == null ? '' : v >= 0.01 && v <= 1000 ? String(v) : `1e${Math.round(Math.log10(v))}`,
  );
}

/** Beyond this many points a series is thinned (every k-th kept) before drawing. */
const MAX_POINTS = 2000;

/**
 * Loss or accuracy against training step for every run, drawn by uPlot on one canvas. The x axis
 * is the step of the longest run; runs advance in lock-step, so index i is the same step for all.
 */
@customElement('vgp-curve-chart')
export class VgpCurveChart extends LitElement {
  static override styles = [
    unsafeCSS(uPlotCss),
    css`
      :host {
        display: block;
        min-width: 0;
        overflow: hidden;
        contain: content;
        min-height: 200px;
        color: #e6e9ee;
      }
      .u-legend {
        font-size: 12px;
        color: #e6e9ee;
      }
      h3 {
        margin: 0 0 4px;
        font-size: 13px;
        font-weight: 600;
      }
    `,
  ];

  @property() heading = 'loss';
  @property({ attribute: false }) series: CurveSeries[] = [];
  /** Log y axis (loss); linear for accuracy. */
  @property({ type: Boolean }) log = false;

  @query('.plot') private plotEl!: HTMLDivElement;
  private plot: uPlot | null = null;
  private shape = '';
  private resize = new ResizeObserver(() => this.fit());

  override render() {
    return html`<h3 id="h">${this.heading}</h3>
      <div class="plot" role="img" aria-labelledby="h"></div>`;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = null;
    this.shape = '';
  }

  protected override firstUpdated(): void {
    this.resize.observe(this);
  }

  protected override updated(): void {
    const shape = `${this.log}|${this.series.map((s) => `${s.label}/${s.color}`).join('|')}`;
    if (!this.plot || shape !== this.shape) this.rebuild(shape);
    else this.plot.setData(this.data());
  }

  private data(): uPlot.AlignedData {
    const longest = this.series.reduce((a, s) => (s.steps.length > a.length ? s.steps : a), [] as number[]);
    const stride = Math.max(1, Math.ceil(longest.length / MAX_POINTS));
    const pick = <T>(a: T[]) => (stride === 1 ? a.slice() : a.filter((_, i) => i % stride === 0));
    const x = pick(longest);
    const ys = this.series.map((s) => {
      const v = pick(s.values).map((y) => (Number.isFinite(y) && (!this.log || y > 0) ? y : null));
      while (v.length < x.length) v.push(null);
      return v;
    });
    return [x, ...ys] as uPlot.AlignedData;
  }

  private rebuild(shape: string): void {
    this.plot?.destroy();
    this.shape = shape;
    const axis = { stroke: '#a9b4c2', grid: { stroke: '#2c3846', width: 1 }, ticks: { stroke: '#2c3846' } };
    this.plot = new uPlot(
      {
        width: Math.max(200, this.clientWidth),
        height: 200,
        scales: { x: { time: false }, y: this.log ? { distr: 3, log: 10 } : {} },
        axes: [
          axis,
          this.log ? { ...axis, size: 56, splits: decades, values: logLabels } : { ...axis, size: 56 },
        ],
        series: [
          { label: 'step' },
          ...this.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.6, spanGaps: true })),
        ],
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
      },
      this.data(),
      this.plotEl,
    );
  }

  private fit(): void {
    if (this.plot && this.clientWidth > 0) this.plot.setSize({ width: this.clientWidth, height: 200 });
  }

  /** The chart as a PNG: the plot canvas on a dark background. */
  toPng(): Promise<Blob | null> {
    const src = this.plot?.ctx.canvas;
    if (!src) return Promise.resolve(null);
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height;
    const ctx = out.getContext('2d');
    if (!ctx) return Promise.resolve(null);
    ctx.fillStyle = '#0f1419';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-curve-chart': VgpCurveChart;
  }
}
