import { type CsvData, type CsvTable, cellNumber, datasetFromCsv, parseCsvTable } from '@vgp/nn';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SharedSettings } from '../state/state.js';
import { setYourData, yourData } from '../state/your-data.js';
import { controlStyles } from '../theme.js';

/** Rows shown in the preview table. */
const PREVIEW_ROWS = 5;

interface Loaded {
  name: string;
  text: string;
  table: CsvTable;
  data: CsvData;
}

/**
 * "Your data": pick or drop a CSV file, see its first rows, each column's detected type and the class
 * balance, choose the target. The file is read in the page and never leaves it. A bad file shows the
 * library's message, which points at the cell, and nothing of it is used.
 *
 * @fires vgp-shared-change - detail: the new `SharedSettings` (task 'csv', the file's name, the target)
 */
@customElement('vgp-your-data')
export class VgpYourData extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        margin-top: 8px;
        font-size: 12px;
      }
      .drop {
        border: 1px dashed var(--line);
        border-radius: 8px;
        padding: 8px;
      }
      .drop.over {
        border-color: var(--accent);
      }
      .muted {
        color: var(--muted);
      }
      .csv-error {
        color: var(--bad);
        white-space: pre-wrap;
      }
      .reload {
        color: var(--warn);
      }
      .scroll {
        overflow-x: auto;
        max-width: 100%;
      }
      table {
        border-collapse: collapse;
        margin: 6px 0;
      }
      th,
      td {
        border: 1px solid var(--line);
        padding: 2px 6px;
        text-align: right;
        white-space: nowrap;
      }
      th.target {
        color: var(--accent);
      }
      .type {
        display: block;
        font-weight: normal;
        color: var(--muted);
      }
      .balance {
        list-style: none;
        padding: 0;
        margin: 4px 0;
      }
      .bar {
        display: inline-block;
        height: 8px;
        background: var(--accent);
        margin-left: 6px;
      }
    `,
  ];

  @property({ attribute: false }) settings!: SharedSettings;
  @state() private loaded: Loaded | null = null;
  @state() private error: string | null = null;
  @state() private over = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // Back to this task after another one: the file read earlier is still in the page.
    const kept = yourData();
    if (kept && !this.loaded)
      void this.read(kept.name, kept.text, this.settings?.csvTarget || undefined, false);
  }

  override render() {
    const missing = this.settings.csvName !== '' && !this.loaded;
    return html`<div class="drop ${this.over ? 'over' : ''}" @dragover=${this.onDragOver}
        @dragleave=${() => (this.over = false)} @drop=${this.onDrop}>
        <label for="csv-file">Your data: choose or drop a CSV file</label>
        <input id="csv-file" type="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
          @change=${this.onPick} />
        <div class="muted">Comma, semicolon or tab separated; a header row; numeric features; the target
          column is the last unless you choose another. The file stays in this page: nothing is uploaded.</div>
      </div>
      ${
        missing
          ? html`<p class="reload">This link trained on your file '${this.settings.csvName}'. Links cannot carry
            files: load it again to train.</p>`
          : null
      }
      ${this.error ? html`<p class="csv-error" role="alert">${this.error}</p>` : null}
      ${this.loaded ? this.preview(this.loaded) : null}`;
  }

  private preview(l: Loaded) {
    const { table, data } = l;
    const target = table.columns.indexOf(data.target);
    const types = table.columns.map((_, j) =>
      table.rows.every((r) => cellNumber(r[j]) !== null) ? 'number' : 'text',
    );
    const total = data.train.xShape[0] + data.test.xShape[0];
    return html`<p class="summary"><strong>${l.name}</strong>: ${total} rows, ${data.features.length} features,
        ${
          data.task === 'classification'
            ? `classification into ${data.labels?.length} classes`
            : `regression (target mean ${data.targetScale?.mean.toPrecision(4)}, std ${data.targetScale?.std.toPrecision(4)})`
        }; ${data.test.xShape[0]} rows held out for testing.</p>
      <label for="csv-target">Target column</label>
      <select id="csv-target" @change=${this.onTarget}>
        ${table.columns.map((c) => html`<option value=${c} ?selected=${c === data.target}>${c}</option>`)}
      </select>
      <div class="scroll"><table class="preview">
        <thead><tr>${table.columns.map(
          (c, j) =>
            html`<th class=${j === target ? 'target' : ''}>${c}<span class="type">${j === target ? `target, ${types[j]}` : types[j]}</span></th>`,
        )}</tr></thead>
        <tbody>${table.rows.slice(0, PREVIEW_ROWS).map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody>
      </table></div>
      ${
        data.labels && data.classCounts
          ? html`<div>Class balance</div><ul class="balance">${data.labels.map((label, k) => {
              const count = data.classCounts?.[k] ?? 0;
              const share = count / total;
              return html`<li data-label=${label}>${label}: ${count} (${(share * 100).toFixed(1)}%)<span class="bar"
                style="width:${Math.round(share * 120)}px"></span></li>`;
            })}</ul>`
          : null
      }`;
  }

  private onDragOver = (e: DragEvent) => {
    e.preventDefault();
    this.over = true;
  };

  private onDrop = async (e: DragEvent) => {
    e.preventDefault();
    this.over = false;
    const file = e.dataTransfer?.files[0];
    if (file) await this.read(file.name, await file.text(), undefined, true);
  };

  private onPick = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) await this.read(file.name, await file.text(), undefined, true);
  };

  private onTarget = async (e: Event) => {
    const select = e.target as HTMLSelectElement;
    const kept = this.loaded;
    // A target that cannot work (it would leave a text column as a feature) keeps the one in use.
    if (kept && !(await this.read(kept.name, kept.text, select.value, true))) select.value = kept.data.target;
  };

  /**
   * Parses the file as the worker will (same function, same seed), so what the preview shows is what
   * trains. A bad file shows why and is not used (nothing of it reaches the runs); a bad target choice
   * shows why and keeps the file and target in use. Returns whether the file was taken.
   */
  private async read(
    name: string,
    text: string,
    target: string | undefined,
    emit: boolean,
  ): Promise<boolean> {
    let data: CsvData;
    let table: CsvTable;
    try {
      table = await parseCsvTable(text, { name });
      const t = target !== undefined && table.columns.includes(target) ? target : undefined;
      data = await datasetFromCsv(text, { name, target: t, seed: this.settings?.seed ?? 1 });
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      if (this.loaded?.text !== text) this.loaded = null;
      return false;
    }
    this.error = null;
    this.loaded = { name, text, table, data };
    setYourData({ name, text });
    if (emit) {
      const detail: SharedSettings = { ...this.settings, task: 'csv', csvName: name, csvTarget: data.target };
      this.dispatchEvent(new CustomEvent('vgp-shared-change', { detail, bubbles: true, composed: true }));
    }
    return true;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-your-data': VgpYourData;
  }
}
