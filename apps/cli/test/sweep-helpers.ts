import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI: sweeps run worker threads from dist/, so these tests drive the real `vgp` process. */
export const VGP_BIN = fileURLToPath(new URL('../bin/vgp.js', import.meta.url));

/** A running `vgp` process and what it printed so far. */
export interface VgpProcess {
  child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
}

/** The `vgp` processes started and not yet exited. */
const running = new Set<ChildProcess>();

/** Kills every `vgp` process a test started that still runs (after a failed test, none is left behind). */
export function killStragglers(): void {
  for (const child of running) child.kill('SIGKILL');
}

export function startVgp(args: string[], cwd: string): VgpProcess {
  if (!existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url)))) {
    throw new Error('apps/cli is not built: run `npx turbo run build --filter=@vgp/cli` first');
  }
  const child = spawn(process.execPath, [VGP_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, out: () => out, err: () => err, exited };
}

/** Runs `vgp args` to the end. */
export async function vgpProcess(
  args: string[],
  cwd: string,
): Promise<{ code: number | string; out: string; err: string }> {
  const p = startVgp(args, cwd);
  const code = await p.exited;
  return { code, out: p.out(), err: p.err() };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vgp-sweep-test-'));
}

/** Polls `check` every 50 ms until it is true; throws after `ms` with `what` in the message. */
export async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The lines of a sweep's results file, parsed (NaN written as "NaN" stays a string: enough here). */
export function resultLines(
  dir: string,
): { id: string; group: string; status: string; timing: { worker: string } }[] {
  const path = join(dir, 'results.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** A redis-server of a test's own: on a free loopback port, nothing saved to disk. */
export interface TestRedis {
  url: string;
  process: ChildProcess;
  /** Stops it (SIGKILL: as a crash would) and waits until it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run does it)');
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let log = '';
  child.stdout?.on('data', (d) => {
    log += String(d);
  });
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(() => log.includes('Ready to accept connections'), 20_000, 'redis-server to start');
  return {
    url: `redis://127.0.0.1:${port}`,
    process: child,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await gone;
    },
  };
}
