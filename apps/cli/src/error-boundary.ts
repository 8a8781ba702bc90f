/**
 * The one place a CLI failure turns into words: one or two lines on stderr and exit code 1, never a
 * stack trace unless `--debug` asks for it. Typed errors (VgpError) already say what to change; the
 * rest get the nearest advice there is (out of memory: make the run smaller; anything unexpected: a
 * bug, with --debug for the trace).
 */
import { VgpError } from '@vgp/core';
import { CommanderError } from 'commander';
import type { Io } from './io.js';

/** The flag that turns stack traces on; accepted anywhere on the command line. */
export const DEBUG_FLAG = '--debug';

/** Node's system errors (ENOENT, EACCES, ...): their message already names the path and the call. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && 'syscall' in e;
}

/** Allocation failures of typed arrays, WASM memory and the JS heap all mean: the run is too big. */
function isOutOfMemory(e: unknown): boolean {
  return (
    e instanceof RangeError &&
    /typed array length|Array buffer allocation failed|WebAssembly\.Memory|out of memory|Invalid array length/i.test(
      e.message,
    )
  );
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? s;
  return line.length > 400 ? `${line.slice(0, 397)}...` : line;
}

/** Prints `e` as one or two lines (plus its stack with --debug) and returns the exit code. */
export function reportError(e: unknown, io: Io, debug: boolean): number {
  // commander has printed its own one-line message (unknown option, missing argument, bad choice).
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
  if (e instanceof VgpError) io.err(`vgp: ${e.message}\n`);
  else if (isOutOfMemory(e)) {
    io.err(
      `vgp: out of memory (${firstLine((e as Error).message)}): make the run smaller, ` +
        'e.g. lower model.width, model.depth, batchSize or the task size\n',
    );
  } else if (isSystemError(e)) io.err(`vgp: ${firstLine(e.message)}\n`);
  else {
    const what = e instanceof Error ? `${e.name}: ${firstLine(e.message)}` : firstLine(String(e));
    io.err(
      `vgp: unexpected error: ${what}\nvgp: this is a bug in vgp; rerun with ${DEBUG_FLAG} for the stack trace and report it\n`,
    );
  }
  if (debug && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
  return 1;
}

/**
 * Node ends a process whose top-level await can never settle (it awaits a promise nothing is left to
 * resolve) with exit code 13 and no word of what was waiting. Call before awaiting the command and call
 * the returned function once it has settled: if the process ends first, it says so as every other bug
 * is said (there is no stack to offer: nothing threw), and exits with 1.
 */
export function guardUnsettled(io: Io): () => void {
  let settled = false;
  process.once('exit', () => {
    if (settled || process.exitCode !== 13) return;
    io.err(
      `vgp: unexpected error: the command stopped before it finished, with nothing left to wait for\nvgp: this is a bug in vgp; please report it with the command you ran\n`,
    );
    process.exitCode = 1;
  });
  return () => {
    settled = true;
  };
}
