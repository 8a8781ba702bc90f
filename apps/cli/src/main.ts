#!/usr/bin/env node
import { runCli } from './cli.js';
import { guardUnsettled } from './error-boundary.js';
import type { Io } from './io.js';

const io: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: process.stderr.isTTY === true,
  progressStream: process.stderr,
};
const settled = guardUnsettled(io);
process.exitCode = await runCli(process.argv.slice(2), io);
settled();
