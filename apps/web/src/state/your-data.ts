/**
 * The CSV file the user loaded, kept in the page only: it is never uploaded, and never put in the URL
 * (state.shared.csvName records its name so a reopened link can ask for the file again). The worker
 * receives the text with each `configure`.
 */
export interface YourData {
  /** The file's name, as state.shared.csvName holds it. */
  name: string;
  /** The file's text. */
  text: string;
}

let loaded: YourData | null = null;

/** The loaded file, or null before one is loaded (or after a reload of the page). */
export function yourData(): YourData | null {
  return loaded;
}

export function setYourData(data: YourData | null): void {
  loaded = data;
}
