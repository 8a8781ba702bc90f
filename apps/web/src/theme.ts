import { css } from 'lit';

/**
 * One colour per run, from the Okabe-Ito palette (distinguishable with the common colour-vision
 * deficiencies), each at least 7:1 against the page background.
 */
export const RUN_COLORS = ['#56b4e9', '#e69f00', '#3fd0a4', '#f0e442', '#e28ac2'] as const;

export function runColor(index: number): string {
  return RUN_COLORS[index % RUN_COLORS.length] as string;
}

/** Shared look of controls: visible focus rings, 4.5:1 text contrast or better, 32px hit targets. */
export const controlStyles = css`
  :host {
    --bg: #0f1419;
    --panel: #18202a;
    --line: #2c3846;
    --text: #e6e9ee;
    --muted: #a9b4c2;
    --accent: #56b4e9;
    --warn: #ffb454;
    --bad: #ff7b72;
    --good: #7ee787;
    color: var(--text);
  }
  button,
  select,
  input {
    font: inherit;
    color: var(--text);
    background: #222c38;
    border: 1px solid #4a5a6c;
    border-radius: 6px;
    min-height: 32px;
    padding: 2px 10px;
  }
  button {
    cursor: pointer;
  }
  button:hover {
    background: #2b3847;
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--accent);
    outline-offset: 1px;
  }
  button[aria-pressed='true'] {
    background: #2f5270;
    border-color: var(--accent);
  }
  input[type='checkbox'] {
    min-height: auto;
    width: 18px;
    height: 18px;
    accent-color: var(--accent);
  }
  label {
    color: var(--muted);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
