import { writeFileSync } from 'node:fs';

/** Where the CLI writes. `main.ts` wires it to the process; tests capture it. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (the progress bar draws only then). */
  isTTY: boolean;
  /** The stream the progress bar draws on, when there is one. */
  progressStream?: NodeJS.WritableStream;
}

/** Writes `text` to `file` (when --out is given) or to stdout, ending with one newline. */
export function emit(io: Io, text: string, file?: string): void {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (file) {
    writeFileSync(file, body);
    io.err(`wrote ${file}\n`);
  } else {
    io.out(body);
  }
}
