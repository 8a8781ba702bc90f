// The two libraries only some calls need, loaded on the first such call rather than with @vgp/nn. In
// Node both are CommonJS, which an ES module import has to lex for its exports and then run: together
// they were a quarter of every `vgp` start and of every sweep thread's (`vgp --version`: 0.38 s wall,
// 0.39 s CPU with them; 0.29 s and 0.25 s without). In a browser bundle they become their own chunks.
import { VgpError } from '@vgp/core';
import type * as PapaModule from 'papaparse';

/** The part of papaparse vgp uses. */
export type Papa = Pick<typeof PapaModule, 'parse' | 'unparse'>;

/**
 * `load`, run on the first call and its result kept. A failure (in a browser, a chunk that could not be
 * fetched) is a `VgpError` naming `what`, and is forgotten: the next call tries again.
 */
export function loadOnce<T>(what: string, load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= load().catch((e: unknown) => {
      pending = null;
      throw new VgpError(
        `could not load ${what} (${e instanceof Error ? e.message : String(e)}); check the network connection and try again`,
      );
    });
    return pending;
  };
}

const importMatrix = () => import('ml-matrix');

/** papaparse, loaded once. Node and bundlers both give a CommonJS module's exports as the default export. */
export const loadPapa: () => Promise<Papa> = loadOnce('the CSV reader (papaparse)', () =>
  import('papaparse').then((m): Papa => m.default),
);

/** ml-matrix (SVD), loaded once. */
export const loadMatrix: typeof importMatrix = loadOnce('the SVD (ml-matrix)', importMatrix);
