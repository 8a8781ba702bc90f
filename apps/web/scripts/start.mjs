#!/usr/bin/env node
/**
 * Serves the built playground (apps/web/dist) with Vite's preview server: `npm start -- --port N`,
 * `--port=N` or `PORT=N npm start` (default 4173). Every failure is one line naming what to change
 * (a taken port names --port and PORT), with exit code 1; never a stack trace.
 */
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const DEFAULT_PORT = 4173;
const HOST = '127.0.0.1';
const root = fileURLToPath(new URL('..', import.meta.url));

function fail(message) {
  process.stderr.write(`vgp start: ${message}\n`);
  process.exit(1);
}

/** The port from --port N / --port=N, else PORT, else the default; with the name it came from. */
function portOf(argv, env) {
  let raw = null;
  let from = '--port';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') {
      if (i + 1 >= argv.length) fail('--port needs a number, e.g. npm start -- --port 4181');
      raw = argv[++i];
    } else if (a.startsWith('--port=')) raw = a.slice('--port='.length);
    else fail(`unknown option '${a}'; the only option is --port N (or PORT=N npm start)`);
  }
  if (raw === null && env.PORT !== undefined && env.PORT !== '') {
    raw = env.PORT;
    from = 'PORT';
  }
  if (raw === null) return { port: DEFAULT_PORT, from: 'the default port' };
  const port = Number(raw);
  if (!(/^\d+$/.test(raw.trim()) && Number.isInteger(port) && port >= 1 && port <= 65535)) {
    fail(`${from} must be a port number from 1 to 65535, got '${raw}'`);
  }
  return { port, from };
}

/** Resolves when `port` can be listened on, else rejects with the system error (EADDRINUSE, EACCES). */
function probe(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, HOST, () => server.close(() => resolve()));
  });
}

const { port, from } = portOf(process.argv.slice(2), process.env);
try {
  await probe(port);
} catch (e) {
  const why =
    e?.code === 'EADDRINUSE'
      ? 'is in use'
      : e?.code === 'EACCES'
        ? 'needs privileges'
        : `cannot be used (${e?.message})`;
  fail(`port ${port} (${from}) ${why}; choose another: npm start -- --port 4181, or PORT=4181 npm start`);
}
if (!existsSync(new URL('../dist/index.html', import.meta.url))) {
  fail('the playground is not built yet; run `npm start` from the repository root (it builds first)');
}
try {
  const { preview } = await import('vite');
  const server = await preview({ root, logLevel: 'warn', preview: { port, strictPort: true, host: HOST } });
  process.stdout.write(`vgp playground: http://${HOST}:${port}/  (Ctrl-C stops it)\n`);
  void server;
} catch (e) {
  fail(`could not start the preview server on port ${port}: ${String(e?.message ?? e).split('\n')[0]}`);
}
