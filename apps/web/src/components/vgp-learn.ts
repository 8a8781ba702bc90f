import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PresetView } from '../state/presets.js';
import { controlStyles } from '../theme.js';

/**
 * Learn: each preset is a one-click scenario with a short explanation of what it shows.
 *
 * @fires vgp-load-preset - detail: the preset id
 */
@customElement('vgp-learn')
export class VgpLearn extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 6px;
      }
      details {
        background: #121a22;
        border-radius: 6px;
        padding: 4px 8px;
      }
      details[open] {
        border: 1px solid var(--accent);
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        padding: 4px 0;
      }
      p {
        margin: 4px 0;
        font-size: 13px;
      }
      .paper {
        color: var(--muted);
        font-style: italic;
      }
    `,
  ];

  @property({ attribute: false }) presets: PresetView[] = [];
  /** The preset currently loaded, opened by default. */
  @property() current: string | null = null;

  override render() {
    if (this.presets.length === 0) return html`<p>No presets available.</p>`;
    return html`<ul>
      ${this.presets.map(
        (p) => html`<li>
          <details ?open=${p.id === this.current}>
            <summary>${p.title}</summary>
            ${p.explanation.split('\n\n').map((para) => html`<p>${para}</p>`)}
            ${p.paper ? html`<p class="paper">${p.paper}</p>` : null}
            ${
              p.differences.length > 0
                ? html`<details class="diff"><summary>How the playground approximates it</summary>
                  <ul>${p.differences.map((d) => html`<li>${d}</li>`)}</ul></details>`
                : null
            }
            <button data-preset=${p.id} @click=${() => this.load(p.id)}>Load “${p.title}”</button>
          </details>
        </li>`,
      )}
    </ul>`;
  }

  private load(id: string): void {
    this.dispatchEvent(new CustomEvent('vgp-load-preset', { detail: id, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-learn': VgpLearn;
  }
}
