import { accessSync, constants, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '@vgp/core';

/** Where the CLI writes. `main.ts` wires it to the process; tests capture it. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (the progress bar draws only then). */
  isTTY: boolean;
  /** The stream the progress bar draws on, when there is one. */
  progressStream?: NodeJS.WritableStream;
}

function stat(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function writable(p: string): boolean {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks that `file` can be written, before any work that would be lost if it could not: its folder
 * exists and is writable, and it is not itself a folder or a read-only file. Throws a `ConfigError`
 * naming `option` and what to do.
 */
export function checkOutPath(file: string, option = '--out'): void {
  if (file.trim() === '') throw new ConfigError(`${option} needs a file name, got ''`);
  const target = path.resolve(file);
  const dir = path.dirname(target);
  const here = stat(target);
  if (here?.isDirectory()) {
    throw new ConfigError(
      `${option} ${file} is a folder; give a file path, e.g. ${option} ${path.join(file, 'result.json')}`,
    );
  }
  const parent = stat(dir);
  if (!parent) {
    throw new ConfigError(
      `${option} ${file}: the folder ${dir} does not exist; create it (mkdir -p ${dir}) or choose another path`,
    );
  }
  if (!parent.isDirectory())
    throw new ConfigError(`${option} ${file}: ${dir} is not a folder; choose another path`);
  if (!writable(dir))
    throw new ConfigError(
      `${option} ${file}: cannot write in ${dir} (permission denied); choose another folder`,
    );
  if (here && !writable(target))
    throw new ConfigError(`${option} ${file} is read-only; choose another path or make it writable`);
}

/**
 * `mkdir -p dir`, one folder at a time from the deepest one that exists. Node 20's own recursive mkdir
 * never returns where mkdir answers ENOENT under a folder that exists (a file system that cannot hold
 * new folders, such as /proc): it creates the parent, finds it there and tries the child again,
 * forever. Errors are Node's (ENOENT, EACCES, ENOTDIR, EROFS...), for the caller to word.
 */
export function makeDir(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!stat(at)) {
    missing.push(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      // Made meanwhile by another process (two sweeps started together): fine if it is a folder.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !stat(d)?.isDirectory()) throw e;
    }
  }
  if (missing.length === 0 && !stat(at)?.isDirectory()) {
    const err = new Error(`ENOTDIR: not a directory, mkdir '${dir}'`) as NodeJS.ErrnoException;
    err.code = 'ENOTDIR';
    throw err;
  }
}

/**
 * Writes `text` to `file` atomically: into a temporary file beside it, then renamed over it, so a run
 * that is interrupted or fails mid-write leaves the old file or the new one, never half of one.
 */
export function writeAtomic(file: string, text: string, option = '--out'): void {
  const target = path.resolve(file);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing was written, or it is already gone.
    }
    throw new ConfigError(
      `${option} ${file}: could not write it (${(e as Error).message}); choose another path`,
    );
  }
}

/** Writes `text` to `file` (when --out is given) or to stdout, ending with one newline. */
export function emit(io: Io, text: string, file?: string): void {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (file) {
    writeAtomic(file, body);
    io.err(`wrote ${file}\n`);
  } else {
    io.out(body);
  }
}
