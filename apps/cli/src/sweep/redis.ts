import { ConfigError } from '@vgp/core';

/**
 * BullMQ connection options for a `redis://HOST:PORT` (or `rediss://`, with user, password and db)
 * URL. `maxRetriesPerRequest: null` is what BullMQ's workers require: they block on Redis.
 */
export function connectionFor(url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`--queue must be a URL like redis://HOST:PORT, got '${url}'`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(`--queue must start with redis:// or rediss://, got '${url}'`);
  }
  return { url, maxRetriesPerRequest: null };
}

/** How long `vgp sweep --queue` and `vgp worker` wait at start for Redis to answer. */
export const CONNECT_TIMEOUT_MS = 5000;

/**
 * Checks that Redis answers at `url` before any queue is opened, and returns the BullMQ connection
 * options for it ({@link connectionFor}). BullMQ's connections retry for ever (right for a Redis that
 * restarts during a sweep), so without this a wrong URL or a server that is not running would leave
 * the command waiting, printing each failed attempt. A `ConfigError` naming the URL and the cause
 * instead, after at most `ms`.
 */
export async function checkRedis(url: string, ms = CONNECT_TIMEOUT_MS) {
  const connection = connectionFor(url);
  const { Redis } = await import('ioredis');
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: ms,
    commandTimeout: ms,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The event carries the cause (ECONNREFUSED, ENOTFOUND, NOAUTH); connect() then only says
  // "Connection is closed".
  let cause: Error | undefined;
  probe.on('error', (e: Error) => {
    cause ??= e;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    throw new ConfigError(
      `cannot reach Redis at ${url} (${(cause ?? (e as Error)).message}); is redis-server running there, and does --queue name it?`,
    );
  } finally {
    // On a connection that has ended already, disconnect() would only start a 2 s timer.
    if (probe.status !== 'end') probe.disconnect();
  }
  return connection;
}

/**
 * An `error` listener for BullMQ's queues and workers: one line per outage, not a stack per attempt
 * (BullMQ prints each error it has no listener for). While Redis is gone BullMQ keeps reconnecting;
 * a line at most every `everyMs` says so.
 */
export function outageReporter(log: (line: string) => void, url: string, everyMs = 10_000) {
  let last = Number.NEGATIVE_INFINITY;
  return (e: Error) => {
    const now = performance.now();
    if (now - last < everyMs) return;
    last = now;
    log(`lost Redis at ${url} (${e.message}); retrying until it is back (Ctrl-C stops)`);
  };
}

/** Resolves once `signal` aborts; never without one. */
export function whenAborted(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** What {@link closeAll} closes: a BullMQ queue, worker or event stream. */
interface Closable {
  close(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Closes BullMQ objects, and cuts their connections if closing takes longer than `ms`: a Redis that is
 * gone never answers the commands a close sends, and the command would hang on them.
 */
export async function closeAll(objects: readonly Closable[], ms = 2000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const closed = Promise.allSettled(objects.map((o) => o.close()));
  if ((await Promise.race([closed, timeout])) === 'timeout') {
    // Not awaited: with the server gone these may never settle, and nothing else would keep Node
    // running until they did (it would exit mid-command, with code 13).
    for (const o of objects) o.disconnect().catch(() => undefined);
  }
  clearTimeout(timer);
}
