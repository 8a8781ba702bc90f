// The two libraries only some calls need, loaded on the first such call rather than with @vgp/nn. In
// Node both are CommonJS, which an ES module import has to lex for its exports and then run: together
// they were a quarter of every `vgp` start and of every sweep thread's (`vgp --version`: 0.38 s wall,
// 0.39 s CPU with them; 0.29 s and 0.25 s without). In a browser bundle they become their own chunks.
import type * as PapaModule from 'papaparse';

/** The part of papaparse vgp uses. */
export type Papa = Pick<typeof PapaModule, 'parse' | 'unparse'>;

const importMatrix = () => import('ml-matrix');
let papa: Promise<Papa> | null = null;
let matrix: ReturnType<typeof importMatrix> | null = null;

/** papaparse, loaded once. */
export function loadPapa(): Promise<Papa> {
  // Node and bundlers both give a CommonJS module's exports as the default export.
  papa ??= import('papaparse').then((m): Papa => m.default);
  return papa;
}

/** ml-matrix (SVD), loaded once. */
export function loadMatrix(): ReturnType<typeof importMatrix> {
  matrix ??= importMatrix();
  return matrix;
}
