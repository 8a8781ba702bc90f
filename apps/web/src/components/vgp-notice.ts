import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { controlStyles } from '../theme.js';

/**
 * A visible, dismissible notice (role="alert"), e.g. "the link's settings were invalid".
 *
 * @fires vgp-dismiss
 */
@customElement('vgp-notice')
export class VgpNotice extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      div {
        display: flex;
        gap: 12px;
        align-items: start;
        background: #3a2a10;
        border: 1px solid var(--warn);
        border-radius: 8px;
        padding: 8px 12px;
      }
      ul {
        margin: 4px 0 0;
        padding-left: 18px;
      }
      p {
        margin: 0;
        flex: 1;
      }
    `,
  ];

  @property() heading = '';
  @property({ attribute: false }) items: string[] = [];

  override render() {
    return html`<div role="alert">
      <p><strong>${this.heading}</strong>
        ${this.items.length > 0 ? html`<ul>${this.items.map((i) => html`<li>${i}</li>`)}</ul>` : null}</p>
      <button @click=${() => this.dispatchEvent(new CustomEvent('vgp-dismiss', { bubbles: true, composed: true }))}>
        Dismiss</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-notice': VgpNotice;
  }
}
