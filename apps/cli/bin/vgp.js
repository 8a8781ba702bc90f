#!/usr/bin/env node
// A committed entry point so that `npm ci` can link `vgp` before the first build; the CLI itself is
// compiled TypeScript in dist/.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('vgp is not built yet: run `npm run build` at the repository root first.');
  process.exit(1);
}
await import(main.href);
