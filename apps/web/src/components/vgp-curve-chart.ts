import { css, html, LitElement, unsafeCSS } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import { alignCurves } from '../views/align-curves.js';

/** One line of a curve chart. */
export interface CurveSeries {
  label: string;
  color: string;
  steps: number[];
  values: number[];
}

/**
 * Log-axis ticks: whole decades when at least three fit, else 1-2-5 per decade, else 1..9, else four
 * geometric steps (a loss between 0.6 and 0.9 still gets labelled ticks). At most ~8 are kept.
 */
export function logSplits(_u: unknown, _axis: number, min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.ceil(Math.log10(max) - 1e-9);
  for (const mantissas of [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const out: number[] = [];
    for (let e = lo; e <= hi; e++) {
      for (const k of mantissas) {
        const v = Number((k * 10 ** e).toPrecision(3));
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
      }
    }
    if (out.length >= 3) {
      const every = Math.ceil(out.length / 8);
      return out.filter((_, i) => i % every === 0);
    }
  }
  return [0, 1, 2, 3].map((i) => Number((min * (max / min) ** (i / 3)).toPrecision(2)));
}

/** 1e-7 rather than uPlot's fixed decimals, which print small decades as 0. */
export function logLabel(v: number): string {
  if (v >= 0.01 && v <= 1000) return String(Number(v.toPrecision(3)));
  const e = Math.floor(Math.log10(v) + 1e-9);
  const k = Number((v / 10 ** e).toPrecision(2));
  return k === 1 ? `1e${e}` : `${k}e${e}`;
}

/** Linear-axis ticks at a 1-2-5 step giving 4 to 8 of them (uPlot's own can leave two on a short axis). */
export function linearSplits(_u: unknown, _axis: number, min: number, max: number): number[] {
  const range = max - min;
  if (!(range > 0)) return [min];
  let step = 10 ** Math.floor(Math.log10(range));
  for (const k of [0.5, 0.2, 0.1, 0.05, 0.02, 0.01]) {
    if (range / step >= 4) break;
    step = 10 ** Math.floor(Math.log10(range)) * k;
  }
  while (range / step > 8) step *= 2;
  const out: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
    out.push(Number(v.toPrecision(12)));
  }
  return out;
}

function linearLabel(v: number): string {
  return String(Number(v.toPrecision(4)));
}

const keepAll = (_u: uPlot, splits: number[]) => splits;

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
  /** The exported PNG's title (preset or task), above the heading. */
  @property() pngTitle = '';
  /** Axis names, drawn on the chart and in the PNG. */
  @property() xLabel = 'training step';
  @property() yLabel = '';

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
    const keep = (y: number) => Number.isFinite(y) && (!this.log || y > 0);
    return alignCurves(this.series, MAX_POINTS, keep) as uPlot.AlignedData;
  }

  private rebuild(shape: string): void {
    this.plot?.destroy();
    this.shape = shape;
    const axis = { stroke: '#a9b4c2', grid: { stroke: '#2c3846', width: 1 }, ticks: { stroke: '#2c3846' } };
    // The tick labels drawn on the canvas are also kept on the element, for tests and screen readers.
    const record = (which: 'xTicks' | 'yTicks', labels: string[]) => {
      this.dataset[which] = labels.filter((l) => l !== '').join(' ');
      return labels;
    };
    const xValues = (_u: uPlot, splits: number[]) =>
      record(
        'xTicks',
        splits.map((v) => (v == null ? '' : linearLabel(v))),
      );
    const yValues = (_u: uPlot, splits: number[]) =>
      record(
        'yTicks',
        splits.map((v) => (v == null ? '' : this.log ? logLabel(v) : linearLabel(v))),
      );
    this.plot = new uPlot(
      {
        width: Math.max(200, this.clientWidth),
        height: 200,
        scales: { x: { time: false }, y: this.log ? { distr: 3, log: 10 } : {} },
        axes: [
          { ...axis, label: this.xLabel, labelSize: 18, splits: linearSplits, values: xValues },
          this.log
            ? // filter: every split keeps its label (uPlot's log default blanks all but the decades).
              {
                ...axis,
                size: 56,
                label: this.yLabel,
                labelSize: 18,
                splits: logSplits,
                filter: keepAll,
                values: yValues,
              }
            : { ...axis, size: 56, label: this.yLabel, labelSize: 18, splits: linearSplits, values: yValues },
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

  /**
   * The chart as a PNG that stands alone: title (preset or task) and heading above, the plot with its
   * axis labels, and the legend (each run's colour and label) below.
   */
  toPng(): Promise<Blob | null> {
    const src = this.plot?.ctx.canvas;
    if (!src) return Promise.resolve(null);
    const k = src.width / Math.max(1, this.plot?.width ?? src.width);
    const pad = Math.round(10 * k);
    const line = Math.round(18 * k);
    const legendRows = Math.ceil(this.series.length / 2);
    const out = document.createElement('canvas');
    out.width = src.width + 2 * pad;
    out.height = src.height + 2 * line + legendRows * line + 4 * pad;
    const ctx = out.getContext('2d');
    if (!ctx) return Promise.resolve(null);
    ctx.fillStyle = '#0f1419';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = '#e6e9ee';
    ctx.textBaseline = 'top';
    ctx.font = `600 ${Math.round(14 * k)}px sans-serif`;
    ctx.fillText(this.pngTitle || 'vgp', pad, pad);
    ctx.font = `${Math.round(12 * k)}px sans-serif`;
    ctx.fillText(this.heading, pad, pad + line);
    const top = pad * 2 + 2 * line;
    ctx.drawImage(src, pad, top);
    // uPlot draws the axis labels (`label`) on its canvas, so they are in the copy already.
    this.series.forEach((s, i) => {
      const x = pad + (i % 2) * (out.width / 2);
      const y = top + src.height + pad + Math.floor(i / 2) * line;
      ctx.fillStyle = s.color;
      ctx.fillRect(x, y + 3 * k, 14 * k, 8 * k);
      ctx.fillStyle = '#e6e9ee';
      ctx.fillText(s.label, x + 20 * k, y);
    });
    return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-curve-chart': VgpCurveChart;
  }
}
