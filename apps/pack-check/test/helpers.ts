import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is apps/pack-check/test/helpers.ts). */
export const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/**
 * The environment for npm and node in the temporary project. `npm test` runs us under npm, which
 * exports its own settings; `npm_config_local_prefix=<repo>` would make a nested `npm install` treat
 * the repository as the project, so every npm_* variable that names a project or workspace goes.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const k = key.toLowerCase();
    if (k.startsWith('npm_package_') || k.startsWith('npm_lifecycle_')) continue;
    if (['npm_config_local_prefix', 'npm_config_workspace', 'npm_config_workspaces'].includes(k)) continue;
    if (k === 'npm_config_include_workspace_root' || k === 'init_cwd') continue;
    env[key] = value;
  }
  return env;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; a non-zero exit throws with the command, its output and its code. */
export function run(
  cmd: string,
  args: string[],
  cwd: string,
  timeoutMs = 180_000,
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  return new Promise((done, fail) => {
    execFile(
      cmd,
      args,
      { cwd, env: { ...cleanEnv(), ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          fail(
            new Error(
              `\`${cmd} ${args.join(' ')}\` in ${cwd} failed (${error.code ?? error.signal}):\n${stdout}\n${stderr}`,
            ),
          );
        } else {
          done({ stdout, stderr });
        }
      },
    );
  });
}

/** Whether `child` lies inside `parent` (both absolute). */
export function isInside(child: string, parent: string): boolean {
  const p = resolve(parent) + sep;
  return resolve(child).startsWith(p);
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

/** A static file server for a built site on 127.0.0.1 and a free port; resolves to it and its URL. */
export async function serveStatic(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    const ok = isInside(file, root) && (await stat(file).catch(() => null))?.isFile();
    if (!ok) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the static server has no port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

/** Bytes of every file under `dir` (symbolic links counted as themselves, not followed): what an install puts on disk. */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await dirBytes(path) : (await lstat(path)).size;
  }
  return total;
}

/** A byte count in MB with one decimal, for messages. */
export function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
