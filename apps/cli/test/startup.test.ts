import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir, VGP_BIN } from './sweep-helpers.js';

const GOOD_CSV = fileURLToPath(
  new URL('../../../packages/nn/test/tasks/fixtures/csv/good/regression.csv', import.meta.url),
);

/**
 * Runs the built `vgp` with a preload that, at exit, prints which of ml-matrix and papaparse Node loaded
 * (both are CommonJS, so an import of either lands in the CommonJS module cache).
 */
function librariesLoaded(args: string[]): { code: number | null; loaded: string[]; err: string } {
  const hook = path.join(tempDir(), 'loaded.mjs');
  writeFileSync(
    hook,
    `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
process.on('exit', () => {
  const names = Object.keys(require.cache).map((k) => /node_modules[\\\\/](ml-matrix|papaparse)[\\\\/]/.exec(k)?.[1]);
  process.stderr.write('LOADED ' + JSON.stringify([...new Set(names.filter(Boolean))].sort()) + '\\n');
});
`,
  );
  const r = spawnSync(process.execPath, ['--import', hook, VGP_BIN, ...args], { encoding: 'utf8' });
  const line = /LOADED (.*)/.exec(r.stderr)?.[1];
  if (line === undefined) throw new Error(`vgp ${args.join(' ')} printed no LOADED line: ${r.stderr}`);
  return { code: r.status, loaded: JSON.parse(line), err: r.stderr };
}

// Every `vgp` start and every sweep thread imports @vgp/nn; the two CommonJS libraries only some commands
// need load on first use (they were a quarter of the start-up: 0.38 -> 0.29 s for `vgp --version`).
describe('vgp loads ml-matrix and papaparse only when a command uses them', () => {
  it('--version and a training run load neither', () => {
    expect(librariesLoaded(['--version'])).toMatchObject({ code: 0, loaded: [] });
    const run = librariesLoaded(['run', '--preset', 'deep-sigmoid', '--steps', '3', '--json']);
    expect(run).toMatchObject({ code: 0, loaded: [] });
  });

  it('a spectrum loads ml-matrix (its SVD); a CSV data file loads papaparse', () => {
    const spectrum = librariesLoaded(['spectrum', '--activation', 'tanh', '--depth', '3', '--width', '4']);
    expect(spectrum).toMatchObject({ code: 0, loaded: ['ml-matrix'] });
    const csv = librariesLoaded(['run', '--data', GOOD_CSV, '--steps', '3', '--json']);
    expect(csv).toMatchObject({ code: 0, loaded: ['papaparse'] });
  });
});
