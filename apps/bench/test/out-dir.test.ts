import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/main.js');
const work = mkdtempSync(path.join(os.tmpdir(), 'vgp-bench-out-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('--out', () => {
  it('that cannot be a folder stops the run before any suite, with a message naming it', () => {
    const file = path.join(work, 'a-file');
    writeFileSync(file, 'x');
    const r = spawnSync(
      process.execPath,
      [MAIN, 'gemm', '--quick', '--no-peers', '--no-relaxed', '--out', path.join(file, 'sub')],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out .*a-file.*sub: .*choose a folder bench can write to/);
    // No suite ran: nothing was measured, nothing printed.
    expect(r.stderr).not.toMatch(/gemm/i);
    expect(r.stdout).toBe('');
  });
});
