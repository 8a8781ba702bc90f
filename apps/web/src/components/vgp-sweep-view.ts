import { css, html, LitElement, unsafeCSS } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import { controlStyles, runColor } from '../theme.js';
import { parseSweepOutput, type SweepData, sweepLines } from '../views/sweep-data.js';

/** Summary numbers worth showing first, in this order, when a sweep has them. */
const PREFERRED = ['firstLastRatio', 'timeRatio', 'finalLoss', 'testAccuracy', 'testLoss'];

/**
 * The Sweep view: load a sweep's output (`vgp sweep --json`, or the results.jsonl of its output
 * directory) and plot one summary number against one axis, one line per variant, its median with the
 * min-max band over seeds. The file is read in the page and never leaves it.
 */
@customElement('vgp-sweep-view')
export class VgpSweepView extends LitElement {
  static override styles = [
    controlStyles,
    unsafeCSS(uPlotCss),
    css`
      :host {
        display: block;
        font-size: 12px;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: center;
        margin-bottom: 8px;
      }
      .sweep-error {
        color: var(--bad);
        white-space: pre-wrap;
      }
      .muted {
        color: var(--muted);
      }
      .u-legend {
        color: var(--text);
      }
    `,
  ];

  /** The loaded sweep (set by the file picker, or directly). */
  @property({ attribute: false }) data: SweepData | null = null;
  @state() private axis = '';
  @state() private number = '';
  @state() private logX = true;
  @state() private logY = true;
  @state() private error = '';

  @query('.plot') private plotEl?: HTMLDivElement;
  private plot: uPlot | null = null;

  override render() {
    const d = this.data;
    return html`<div class="controls">
        <label>Sweep output <input class="sweep-file" type="file" accept=".json,.jsonl,application/json"
          @change=${this.onFile} /></label>
        ${
          d
            ? html`<label>x axis <select class="sweep-axis" @change=${(e: Event) => (this.axis = (e.target as HTMLSelectElement).value)}>
                ${d.axes.map((a) => html`<option value=${a.path} ?selected=${a.path === this.axis}>${a.path}</option>`)}
              </select></label>
              <label>number <select class="sweep-number" @change=${(e: Event) => (this.number = (e.target as HTMLSelectElement).value)}>
                ${d.numbers.map((n) => html`<option value=${n} ?selected=${n === this.number}>${n}</option>`)}
              </select></label>
              <label><input type="checkbox" class="sweep-logx" .checked=${this.logX}
                @change=${(e: Event) => (this.logX = (e.target as HTMLInputElement).checked)} /> log x</label>
              <label><input type="checkbox" class="sweep-logy" .checked=${this.logY}
                @change=${(e: Event) => (this.logY = (e.target as HTMLInputElement).checked)} /> log y</label>`
            : html`<span class="muted">e.g. <code>vgp sweep -c depth.json --json -o depth.json</code></span>`
        }
      </div>
      ${this.error ? html`<p class="sweep-error" role="alert">${this.error}</p>` : null}
      ${d && d.axes.length === 0 ? html`<p class="muted">This sweep has no axis but the seed: nothing to plot against.</p>` : null}
      <div class="plot" role="img" aria-label=${d ? `${this.number} against ${this.axis}, median and min-max over seeds` : 'no sweep loaded'}></div>`;
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    const d = this.data;
    if (!changed.has('data') || !d) return;
    if (!d.axes.some((a) => a.path === this.axis)) this.axis = d.axes[0]?.path ?? '';
    if (!d.numbers.includes(this.number))
      this.number = PREFERRED.find((n) => d.numbers.includes(n)) ?? d.numbers[0] ?? '';
  }

  protected override updated(): void {
    this.draw();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.plot?.destroy();
    this.plot = null;
  }

  private onFile = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      this.data = parseSweepOutput(await file.text(), file.name);
      this.error = '';
    } catch (err) {
      this.error = (err as Error).message;
    }
  };

  private draw(): void {
    this.plot?.destroy();
    this.plot = null;
    const d = this.data;
    if (!d || !this.plotEl || !this.axis || !this.number) return;
    const { lines, ticks } = sweepLines(d, this.axis, this.number);
    const xs = [...new Set(lines.flatMap((l) => l.x))].sort((a, b) => a - b);
    const logX = this.logX && ticks === null && xs.every((x) => x > 0);
    const ok = (v: number) => (Number.isFinite(v) && (!this.logY || v > 0) ? v : null);
    const at = (l: (typeof lines)[number], ys: number[]) =>
      xs.map((x) => {
        const i = l.x.indexOf(x);
        return i < 0 ? null : ok(ys[i] as number);
      });
    const data: (number | null)[][] = [xs];
    const series: uPlot.Series[] = [{ label: this.axis }];
    const bands: uPlot.Band[] = [];
    lines.forEach((l, i) => {
      const color = runColor(i);
      const base = data.length;
      data.push(at(l, l.median), at(l, l.max), at(l, l.min));
      series.push(
        { label: l.label, stroke: color, width: 2, points: { show: true }, spanGaps: true },
        { label: `${l.label} max`, stroke: `${color}66`, width: 1, spanGaps: true },
        { label: `${l.label} min`, stroke: `${color}66`, width: 1, spanGaps: true },
      );
      bands.push({ series: [base + 1, base + 2], fill: `${color}33` });
    });
    const axis = { stroke: '#a9b4c2', grid: { stroke: '#2c3846', width: 1 }, ticks: { stroke: '#2c3846' } };
    const tickValues = ticks ? (_u: uPlot, splits: number[]) => splits.map((v) => ticks[v] ?? '') : undefined;
    this.plot = new uPlot(
      {
        width: Math.max(240, this.clientWidth),
        height: 260,
        scales: {
          x: logX ? { time: false, distr: 3, log: 10 } : { time: false },
          y: this.logY ? { distr: 3, log: 10 } : {},
        },
        axes: [
          {
            ...axis,
            label: this.axis,
            ...(ticks ? { splits: () => ticks.map((_, i) => i), values: tickValues } : {}),
          },
          { ...axis, label: this.number, size: 64 },
        ],
        series,
        bands,
        legend: { live: false },
      },
      data as uPlot.AlignedData,
      this.plotEl,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-sweep-view': VgpSweepView;
  }
}
