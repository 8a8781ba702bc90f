/**
 * The CLI's error boundary: typed errors print their message, allocation failures say to make the
 * run smaller, anything else is called a bug with the way to get its stack; one or two lines each,
 * and the stack trace only with --debug.
 */
import { spawnSync } from 'node:child_process';
import { ConfigError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { reportError } from '../src/error-boundary.js';
import { vgp } from './helpers.js';

function report(e: unknown, debug = false): { code: number; err: string } {
  let err = '';
  const code = reportError(e, { out() {}, err: (s) => (err += s), isTTY: false }, debug);
  return { code, err };
}

const lines = (s: string) => s.trim().split('\n').length;

describe('error boundary', () => {
  it('a VgpError prints its message on one line', () => {
    const r = report(new ConfigError('model.width must be a positive integer, got 0'));
    expect(r).toEqual({ code: 1, err: 'vgp: model.width must be a positive integer, got 0\n' });
  });

  it('a typed-array allocation failure says to make the run smaller', () => {
    const r = report(new RangeError('Invalid typed array length: 10000000000'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^vgp: out of memory \(Invalid typed array length: 10000000000\): make the run smaller/,
    );
    expect(lines(r.err)).toBe(1);
  });

  it('an unexpected error is two lines: what it was, and that --debug gives the stack', () => {
    const r = report(new TypeError('rec.params is not iterable\n    at foo (x.js:1:2)'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^vgp: unexpected error: TypeError: rec.params is not iterable\n/);
    expect(r.err).toMatch(/rerun with --debug/);
    expect(r.err).not.toMatch(/\s+at /);
    expect(lines(r.err)).toBe(2);
  });

  it('--debug adds the stack trace, wherever it is on the command line', async () => {
    const plain = await vgp(
      'run',
      '--preset',
      'deep-sigmoid',
      '--steps',
      '5',
      '--out',
      '/nonexistent/x.json',
    );
    const debug = await vgp(
      '--debug',
      'run',
      '--preset',
      'deep-sigmoid',
      '--steps',
      '5',
      '--out',
      '/nonexistent/x.json',
    );
    const after = await vgp('run', '--preset', 'deep-sigmoid', '--out', '/nonexistent/x.json', '--debug');
    expect(plain.code).toBe(1);
    expect(plain.err).not.toMatch(/\n\s+at /);
    for (const r of [debug, after]) {
      expect(r.code).toBe(1);
      expect(r.err.split('\n')[0]).toBe(plain.err.split('\n')[0]);
      expect(r.err).toMatch(/\n\s+at .*checkOutPath/);
    }
  });

  it('a command that can never finish exits 1 calling it a bug, not 13 with no word', () => {
    // The built module, as bin/vgp.js runs it: a child process awaits a promise nothing will resolve.
    const boundary = new URL('../dist/error-boundary.js', import.meta.url).href;
    const script = (wait: string) => `
      import { guardUnsettled } from '${boundary}';
      const settled = guardUnsettled({ out() {}, err: (s) => process.stderr.write(s), isTTY: false });
      await ${wait};
      settled();`;
    const run = (wait: string) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script(wait)], { encoding: 'utf8' });
    const stuck = run('new Promise(() => {})');
    expect(stuck.status).toBe(1);
    expect(stuck.stderr).toBe(
      'vgp: unexpected error: the command stopped before it finished, with nothing left to wait for\n' +
        'vgp: this is a bug in vgp; please report it with the command you ran\n',
    );
    const fine = run('new Promise((r) => setTimeout(r, 10))');
    expect(fine.status).toBe(0);
    expect(fine.stderr).toBe('');
  });
});
