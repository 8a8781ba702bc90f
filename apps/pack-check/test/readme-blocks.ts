import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './helpers.js';

/**
 * Code blocks taken from the READMEs exactly as a reader copies them, so the pack test runs the
 * documented commands and compiles the documented quick start instead of private copies that could
 * drift from the text.
 */
function readme(path: string): string {
  return readFileSync(join(REPO, path), 'utf8');
}

/** The fenced block right after `<!-- marker ... -->` (the marker names what runs it). */
export function markedBlock(path: string, marker: string): string {
  const text = readme(path);
  const at = text.indexOf(`<!-- ${marker}`);
  if (at < 0) throw new Error(`${path} has no <!-- ${marker} --> block`);
  const m = /```\w*\n([\s\S]*?)```/.exec(text.slice(at));
  if (!m) throw new Error(`${path}: no code block after <!-- ${marker} -->`);
  return m[1] as string;
}

/** Every ```ts block of a README that imports from @vgp/nn: the TypeScript quick starts. */
export function tsQuickStarts(path: string): string[] {
  return [...readme(path).matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] as string)
    .filter((code) => code.includes("from '@vgp/nn'"));
}

/** The READMEs that carry a TypeScript quick start. */
export const QUICK_START_READMES = ['README.md', 'packages/nn/README.md'] as const;
