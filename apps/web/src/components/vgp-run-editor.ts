import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ACTIVATIONS, CELLS, CLIPS, INITS, label, NORMS, OPTIMIZERS, RANGES } from '../state/options.js';
import type { RunSpec } from '../state/state.js';
import { controlStyles } from '../theme.js';

/** A plain RNN cell's nonlinearity; LSTM and GRU have fixed ones. */
const RNN_ACTIVATIONS = ['tanh', 'relu'] as const;

export type RunChangeDetail = { index: number; spec: RunSpec };

/**
 * The remedy toggles of one run (baseline or variant). Edits are sent up as a whole new spec.
 *
 * @fires vgp-run-change - detail `{ index, spec }` after any edit
 * @fires vgp-run-remove - detail `{ index }` when a variant's remove button is pressed
 */
@customElement('vgp-run-editor')
export class VgpRunEditor extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
        gap: 6px 10px;
      }
      .field {
        display: flex;
        flex-direction: column;
        gap: 2px;
        font-size: 12px;
      }
      .check {
        flex-direction: row;
        align-items: center;
        gap: 6px;
        padding-top: 16px;
      }
      .head {
        display: flex;
        gap: 8px;
        align-items: end;
        margin-bottom: 6px;
      }
      .head .field {
        flex: 1;
      }
    `,
  ];

  @property({ attribute: false }) spec!: RunSpec;
  /** 0 is the baseline; it cannot be removed. */
  @property({ type: Number }) index = 0;
  /** Recurrent tasks show the cell choice. */
  @property({ type: Boolean }) recurrent = false;
  @property() color = '#56b4e9';

  override render() {
    const s = this.spec;
    const id = (k: string) => `r${this.index}-${k}`;
    const select = (key: keyof RunSpec, options: readonly string[], text: string) => html`<div class="field">
      <label for=${id(key)}>${text}</label>
      <select id=${id(key)} @change=${(e: Event) => this.set(key, (e.target as HTMLSelectElement).value)}>
        ${options.map((o) => html`<option value=${o} ?selected=${s[key] === o}>${label(o)}</option>`)}
      </select>
    </div>`;
    const number = (key: 'clipValue' | 'weightDecay', text: string) => html`<div class="field">
      <label for=${id(key)}>${text}</label>
      <input id=${id(key)} type="number" step="any" min=${RANGES[key].min} max=${RANGES[key].max}
        .value=${String(s[key])} @change=${(e: Event) => this.setNumber(key, e.target as HTMLInputElement)} />
    </div>`;
    return html`<div class="head">
        <div class="field">
          <label for=${id('label')}>${this.index === 0 ? 'Baseline' : `Variant ${this.index}`} name</label>
          <input id=${id('label')} maxlength="40" .value=${s.label} style="border-left: 6px solid ${this.color}"
            @change=${(e: Event) => this.set('label', (e.target as HTMLInputElement).value.slice(0, 40))} />
        </div>
        ${
          this.index > 0
            ? html`<button @click=${this.requestRemove} aria-label="Remove variant ${s.label}">Remove</button>`
            : null
        }
      </div>
      <div class="grid">
        ${this.recurrent ? select('cell', CELLS, 'Cell') : null}
        ${
          this.recurrent && s.cell !== 'rnn'
            ? null
            : select('activation', this.recurrent ? RNN_ACTIVATIONS : ACTIVATIONS, 'Activation')
        }
        ${select('init', INITS, 'Init')} ${this.recurrent ? null : select('norm', NORMS, 'Normalization')}
        ${select('optimizer', OPTIMIZERS, 'Optimizer')}
        ${select('clip', CLIPS, 'Gradient clipping')}
        ${s.clip === 'none' ? null : number('clipValue', 'Clip threshold')}
        ${number('weightDecay', 'Weight decay')}
        ${
          this.recurrent
            ? null
            : html`<div class="field check">
          <input id=${id('res')} type="checkbox" .checked=${s.residual}
            @change=${(e: Event) => this.set('residual', (e.target as HTMLInputElement).checked)} />
          <label for=${id('res')}>Residual connections</label>
        </div>`
        }
      </div>`;
  }

  private set<K extends keyof RunSpec>(key: K, value: unknown): void {
    const spec = { ...this.spec, [key]: value } as RunSpec;
    this.dispatchEvent(
      new CustomEvent<RunChangeDetail>('vgp-run-change', {
        detail: { index: this.index, spec },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private setNumber(key: 'clipValue' | 'weightDecay', input: HTMLInputElement): void {
    const v = Number(input.value);
    const r = RANGES[key];
    if (input.value.trim() === '' || !Number.isFinite(v) || v < r.min || v > r.max) {
      input.setCustomValidity(`Enter a number from ${r.min} to ${r.max}`);
      input.reportValidity();
      return;
    }
    input.setCustomValidity('');
    this.set(key, v);
  }

  private requestRemove(): void {
    this.dispatchEvent(
      new CustomEvent('vgp-run-remove', { detail: { index: this.index }, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-run-editor': VgpRunEditor;
  }
}
