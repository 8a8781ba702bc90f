import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { BACKENDS, label, PLANE_TASKS, RANGES, SEQUENCE_TASKS, TASKS } from '../state/options.js';
import type { SharedSettings } from '../state/state.js';
import { controlStyles } from '../theme.js';
import './vgp-your-data.js';

type NumericKey =
  | 'depth'
  | 'width'
  | 'lr'
  | 'batchSize'
  | 'seqLen'
  | 'noise'
  | 'samples'
  | 'symbols'
  | 'seed'
  | 'steps';

/**
 * Settings every run shares: task, depth, width, learning rate, batch size, sequence length,
 * seed, step budget and backend.
 *
 * @fires vgp-shared-change - detail: the new `SharedSettings` after any valid edit
 */
@customElement('vgp-shared-settings')
export class VgpSharedSettings extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(120px, 1fr));
        gap: 6px 10px;
      }
      .field {
        display: flex;
        flex-direction: column;
        gap: 2px;
        font-size: 12px;
      }
      input,
      select {
        min-width: 0;
      }
    `,
  ];

  @property({ attribute: false }) settings!: SharedSettings;

  override render() {
    const s = this.settings;
    const num = (key: NumericKey, text: string, step = '1') => html`<div class="field">
      <label for=${key}>${text}</label>
      <input id=${key} name=${key} type="number" step=${step} min=${RANGES[key].min} max=${RANGES[key].max}
        .value=${String(s[key])} @change=${(e: Event) => this.setNumber(key, e.target as HTMLInputElement)} />
    </div>`;
    return html`<form @submit=${(e: Event) => e.preventDefault()} aria-label="Shared settings">
      <div class="field">
        <label for="task">Task</label>
        <select id="task" @change=${(e: Event) => this.emit({ task: (e.target as HTMLSelectElement).value })}>
          ${TASKS.map((t) => html`<option value=${t} ?selected=${s.task === t}>${label(t)}</option>`)}
        </select>
      </div>
      ${num('depth', SEQUENCE_TASKS.includes(s.task) ? 'Recurrent layers' : 'Hidden layers')}
      ${num('width', SEQUENCE_TASKS.includes(s.task) ? 'Hidden size' : 'Width')}
      ${num('lr', 'Learning rate', 'any')} ${num('batchSize', 'Batch size')}
      ${SEQUENCE_TASKS.includes(s.task) ? num('seqLen', 'Sequence length') : null}
      ${PLANE_TASKS.includes(s.task) ? num('noise', 'Noise', 'any') : null}
      ${s.task === 'copy' ? num('symbols', 'Symbols to copy') : null}
      ${s.task === 'csv' ? null : num('samples', 'Training samples')}
      ${num('seed', 'Seed')} ${num('steps', 'Stop after steps')}
      <div class="field">
        <label for="backend">Backend</label>
        <select id="backend" @change=${(e: Event) => this.emit({ backend: (e.target as HTMLSelectElement).value })}>
          ${BACKENDS.map((b) => html`<option value=${b} ?selected=${s.backend === b}>${label(b)}</option>`)}
        </select>
      </div>
    </form>
    ${s.task === 'csv' ? html`<vgp-your-data .settings=${s}></vgp-your-data>` : null}`;
  }

  private setNumber(key: NumericKey, input: HTMLInputElement): void {
    const v = Number(input.value);
    const r = RANGES[key];
    const ok = input.value.trim() !== '' && Number.isFinite(v) && v >= r.min && v <= r.max;
    if (!ok || (r.integer && !Number.isInteger(v))) {
      input.setCustomValidity(`Enter ${r.integer ? 'a whole number' : 'a number'} from ${r.min} to ${r.max}`);
      input.reportValidity();
      return;
    }
    input.setCustomValidity('');
    this.emit({ [key]: v });
  }

  private emit(patch: Record<string, unknown>): void {
    const detail = { ...this.settings, ...patch } as SharedSettings;
    this.dispatchEvent(new CustomEvent('vgp-shared-change', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-shared-settings': VgpSharedSettings;
  }
}
