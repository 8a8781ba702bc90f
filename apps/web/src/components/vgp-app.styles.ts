import { css } from 'lit';

/** Page layout: a settings column beside the charts at 1280 wide, one column on a phone. */
export const appStyles = css`
  :host {
    display: block;
    min-height: 100vh;
    background: var(--bg);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 16px;
    padding: 10px 16px;
    border-bottom: 1px solid var(--line);
    background: #131a22;
    position: sticky;
    top: 0;
    z-index: 2;
  }
  h1 {
    font-size: 18px;
    margin: 0;
  }
  h1 span {
    color: var(--muted);
    font-weight: 400;
    font-size: 13px;
  }
  h2 {
    font-size: 14px;
    margin: 0 0 8px;
  }
  .status {
    color: var(--muted);
    font-size: 12px;
  }
  .spacer {
    flex: 1;
  }
  .exports {
    display: flex;
    gap: 6px;
    flex-wrap: wrap;
  }
  .notices {
    padding: 8px 16px 0;
    display: grid;
    gap: 8px;
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(300px, 360px) minmax(0, 1fr);
    gap: 16px;
    padding: 12px 16px 24px;
    align-items: start;
  }
  aside,
  main {
    display: grid;
    gap: 12px;
    min-width: 0;
  }
  section {
    background: var(--panel);
    border: 1px solid var(--line);
    border-radius: 8px;
    padding: 10px;
    min-width: 0;
  }
  .runs {
    display: grid;
    gap: 12px;
  }
  .runs vgp-run-editor + vgp-run-editor {
    border-top: 1px solid var(--line);
    padding-top: 10px;
  }
  .curves {
    display: grid;
    /* minmax(0, ...) lets a column shrink below its canvas, so the charts can follow the window. */
    grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
    gap: 12px;
  }
  .chart-head {
    display: flex;
    justify-content: flex-end;
    gap: 6px;
  }
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(250px, 100%), 1fr));
    gap: 12px;
  }
  .curves.single {
    grid-template-columns: minmax(0, 1fr);
  }
  /* Scrolled to after a preset loads: the sticky header must not cover the first card's title. */
  .cards,
  .loaded {
    scroll-margin-top: 96px;
  }
  .loaded {
    border: 1px solid var(--accent);
    border-radius: 8px;
    padding: 8px 10px;
    background: var(--panel);
  }
  .why {
    color: var(--muted);
    font-size: 12px;
    margin: 0;
  }
  .cli pre {
    background: #0b0f14;
    border-radius: 6px;
    padding: 8px;
    overflow: auto;
    max-height: 320px;
    font-size: 12px;
    white-space: pre;
  }
  @media (max-width: 900px) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
      padding: 8px;
    }
    .curves {
      grid-template-columns: minmax(0, 1fr);
    }
    /* On a phone the runs come first; the settings follow below them. */
    main {
      order: -1;
    }
    header {
      position: static;
    }
  }
`;
