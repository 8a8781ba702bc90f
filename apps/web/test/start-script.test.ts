/**
 * `npm start -- --port N` / `PORT=N npm start` (scripts/start.mjs): a taken or malformed port is one
 * line on stderr naming the option to change, exit code 1, no stack trace.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = new URL('../scripts/start.mjs', import.meta.url).pathname;
let held: net.Server;
let port = 0;

beforeAll(async () => {
  held = net.createServer();
  await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
  port = (held.address() as net.AddressInfo).port;
});
afterAll(() => held?.close());

function start(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], {
    env: { ...process.env, PORT: '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, err: r.stderr, out: r.stdout };
}

describe('npm start: port option', () => {
  it.each([
    [
      '--port N, taken',
      () => start(['--port', String(port)]),
      /port \d+ \(--port\) is in use; choose another: npm start -- --port/,
    ],
    ['--port=N, taken', () => start([`--port=${port}`]), /\(--port\) is in use/],
    [
      'PORT=N, taken',
      () => start([], { PORT: String(port) }),
      /port \d+ \(PORT\) is in use.*PORT=4181 npm start/,
    ],
    ['--port abc', () => start(['--port', 'abc']), /--port must be a port number from 1 to 65535, got 'abc'/],
    ['--port 70000', () => start(['--port', '70000']), /--port must be a port number/],
    ['PORT=x', () => start([], { PORT: 'x' }), /PORT must be a port number/],
    ['--port without a number', () => start(['--port']), /--port needs a number/],
    ['an unknown option', () => start(['--prot', '1']), /unknown option '--prot'/],
  ])('%s: one line naming the option, exit 1', (_what, run, message) => {
    const r = run();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });
});
