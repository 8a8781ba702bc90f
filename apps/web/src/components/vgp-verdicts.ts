import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { RunSpec } from '../state/state.js';
import { controlStyles } from '../theme.js';
import { fmt } from '../views/color-scale.js';
import type { GainView, RemedyView, VerdictView } from '../worker/protocol.js';

export type AddVariantDetail = { from: number; patch: Partial<RunSpec>; label: string };

/**
 * A run's verdicts in words, with their evidence and remedies, and the measured backward gain
 * beside what the activation's slope allows.
 *
 * @fires vgp-add-variant - detail `{ from, patch, label }`: add a variant = run `from` + the remedy
 */
@customElement('vgp-verdicts')
export class VgpVerdicts extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
        font-size: 13px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .verdict {
        border-left: 4px solid var(--muted);
        padding: 4px 8px;
        margin: 4px 0;
        background: #121a22;
      }
      .verdict[data-severity='severe'],
      .verdict[data-severity='critical'] {
        border-color: var(--bad);
      }
      .verdict[data-severity='warning'],
      .verdict[data-severity='moderate'] {
        border-color: var(--warn);
      }
      .verdict[data-kind='healthy'] {
        border-color: var(--good);
      }
      .kind {
        font-weight: 700;
        text-transform: capitalize;
      }
      summary {
        cursor: pointer;
        color: var(--muted);
        font-size: 12px;
      }
      .message {
        margin: 2px 0;
      }
      .evidence {
        color: var(--muted);
        margin: 2px 0;
      }
      .remedy {
        display: flex;
        gap: 6px;
        align-items: baseline;
        flex-wrap: wrap;
        margin-top: 2px;
      }
      .remedy button {
        min-height: 26px;
        font-size: 12px;
      }
      .gain {
        color: var(--muted);
        margin-top: 6px;
      }
      .gain b {
        color: var(--text);
      }
    `,
  ];

  @property({ attribute: false }) verdicts: VerdictView[] = [];
  @property({ attribute: false }) gain: GainView | null = null;
  /** Index of the run these verdicts belong to. */
  @property({ type: Number }) run = 0;
  /** False once the maximum number of variants is reached. */
  @property({ type: Boolean }) canAdd = true;

  override render() {
    if (this.verdicts.length === 0) {
      return html`<p class="evidence">No verdict yet: train a few steps.</p>`;
    }
    return html`<ul aria-label="Verdicts">
        ${this.verdicts.map(
          (v) => html`<li class="verdict" data-kind=${v.kind} data-severity=${v.severity}>
            <span class="kind">${v.kind.replaceAll('-', ' ')}</span>
            <span> (${v.severity}${v.layers.length > 0 ? `, layers ${v.layers.map((l) => l + 1).join(', ')}` : ''})</span>
            <div class="message">${v.evidence[0]}</div>
            ${
              v.evidence.length > 1
                ? html`<details><summary>Evidence</summary>
                  ${v.evidence.slice(1).map((e) => html`<div class="evidence">${e}</div>`)}</details>`
                : null
            }
            ${v.remedies.slice(0, 1).map((r) => this.renderRemedy(r))}
            ${
              v.remedies.length > 1
                ? html`<details><summary>Other remedies (${v.remedies.length - 1})</summary>
                    ${v.remedies.slice(1).map((r) => this.renderRemedy(r))}</details>`
                : null
            }
          </li>`,
        )}
      </ul>
      ${this.renderGain()}`;
  }

  private renderRemedy(r: RemedyView) {
    return html`<div class="remedy">
      ${
        r.patch
          ? html`<button ?disabled=${!this.canAdd} @click=${() => this.add(r.short, r.patch)}
            title=${this.canAdd ? 'Add a variant with this remedy' : 'At most four variants'}
            aria-label="Add variant: ${r.name}">+ ${r.name}</button>${
              this.canAdd ? null : html`<span class="why">(off: at most four variants)</span>`
            }`
          : html`<b>${r.name}</b>`
      }
      <span>${r.reason}</span>
    </div>`;
  }

  private renderGain() {
    const g = this.gain;
    if (!g) return null;
    const halving = g.halvingDepth === null ? 'does not halve' : `halves every ${fmt(g.halvingDepth)} layers`;
    // The slope limit is a fact about the activation alone: the weights can make the gain larger than it.
    const slope =
      g.bound === null
        ? ''
        : `; the activation's slope is at most ${fmt(g.bound)}, so across ${g.layers} layers the slopes alone pass back at most ${fmt(g.boundOverDepth ?? 0)} (the weights scale it further)`;
    return html`<div class="gain" data-testid="gain">
      Measured backward gain per layer <b>${fmt(g.measured)}</b> over the last half of the recorded steps (${halving})${slope}.
    </div>`;
  }

  private add(name: string, patch: Partial<RunSpec> | null): void {
    if (!patch) return;
    const detail: AddVariantDetail = { from: this.run, patch, label: name };
    this.dispatchEvent(new CustomEvent('vgp-add-variant', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-verdicts': VgpVerdicts;
  }
}
