import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { controlStyles } from '../theme.js';

/** Speed choices: a cap on steps per second per run; the last one is "as fast as it goes". */
export const SPEEDS = [1, 5, 20, 60, 10_000] as const;

/**
 * Play / pause, single step, reset and speed. Space toggles play when focus is not in a field.
 *
 * @fires vgp-play
 * @fires vgp-pause
 * @fires vgp-step - one more step for every run
 * @fires vgp-reset - rebuild every run from its initial weights
 * @fires vgp-speed - detail: steps per second per run
 */
@customElement('vgp-transport')
export class VgpTransport extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
      }
      .play {
        min-width: 84px;
        font-weight: 600;
      }
    `,
  ];

  @property({ type: Boolean }) playing = false;
  @property({ type: Number }) speed = 10_000;

  override render() {
    return html`<button class="play" aria-pressed=${this.playing} @click=${this.toggle}
        aria-keyshortcuts="Space" title="Play or pause (Space)">${this.playing ? '❚❚ Pause' : '▶ Play'}</button>
      <button class="step" @click=${() => this.fire('vgp-step')} ?disabled=${this.playing}
        title="Train one step">${this.playing ? 'Step (pause first)' : 'Step'}</button>
      <button class="reset" @click=${() => this.fire('vgp-reset')} title="Start again from the initial weights">
        Reset</button>
      <label for="speed">Speed</label>
      <select id="speed" @change=${(e: Event) => this.fire('vgp-speed', Number((e.target as HTMLSelectElement).value))}>
        ${this.choices().map(
          (s) =>
            html`<option value=${s} ?selected=${s === this.speed}>${s >= 10_000 ? 'max' : `${s} steps/s`}</option>`,
        )}
      </select>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
  }

  private onKey = (e: KeyboardEvent): void => {
    const target = e.composedPath()[0] as HTMLElement | undefined;
    const inField = target && ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(target.tagName);
    if (e.key === ' ' && !inField && !e.repeat) {
      e.preventDefault();
      this.toggle();
    }
  };

  /** The standard speeds, plus a speed a shared link set that is not one of them. */
  private choices(): number[] {
    const all: number[] = [...SPEEDS];
    if (!all.includes(this.speed)) all.push(this.speed);
    return all.sort((a, b) => a - b);
  }

  private toggle(): void {
    this.fire(this.playing ? 'vgp-pause' : 'vgp-play');
  }

  private fire(type: string, detail?: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vgp-transport': VgpTransport;
  }
}
