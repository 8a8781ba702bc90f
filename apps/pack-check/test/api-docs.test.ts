import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, REPO } from './helpers.js';

// The API reference (`npm run docs`, typedoc.json at the root) is generated from the doc comments of
// @vgp/core and @vgp/nn. typedoc.json validates that every export is documented, that no exported
// signature refers to an unexported type, and that every {@link} resolves; here any such warning fails.
// It reads the packages' sources, and @vgp/nn's imports of @vgp/core resolve to core's built types,
// which `npm test` builds first (turbo: ^build).

let out = '';

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'vgp-api-docs-'));
});

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe('the API reference', () => {
  it('builds from the doc comments with no warning (every export documented, every link valid)', async () => {
    const typedoc = join(REPO, 'node_modules', '.bin', 'typedoc');
    const result = await new Promise<{ code: number | string | null | undefined; output: string }>((done) => {
      execFile(
        typedoc,
        ['--treatWarningsAsErrors', '--out', out],
        { cwd: REPO, env: { ...cleanEnv(), NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 60_000 },
        (error, stdout, stderr) =>
          done({ code: error ? (error.code ?? error.signal) : 0, output: stdout + stderr }),
      );
    });
    const warnings = result.output
      .split('\n')
      .filter((l) => /\[(warning|error)\]/.test(l))
      .join('\n');
    expect(result.code, `typedoc reported (warnings count as errors):\n${warnings || result.output}`).toBe(0);
  }, 90_000);
});
