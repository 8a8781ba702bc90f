import { type Command, Option } from 'commander';
import type { Io } from '../io.js';
import { integer, nonEmpty, queueName } from '../options.js';
import { sweepCommand } from './sweep.js';
import { workerCommand } from './worker.js';

/** Adds `vgp sweep` and `vgp worker` to the program. */
export function registerSweepCommands(program: Command, io: Io, exit: { code: number }): void {
  program
    .command('sweep')
    .description(
      'run a grid of configs x seeds on every core (or through a Redis queue) and aggregate over seeds',
    )
    .option('-p, --preset <name>', "a preset: its base and variants are the sweep's variants")
    .option(
      '-c, --config <file>',
      'a sweep spec JSON file: { base, variants?, axes } (docs/sweeps.md)',
      nonEmpty('--config', 'a file name'),
    )
    .option('--seeds <n>', 'add a seed axis: the base seed and the n-1 after it', integer('--seeds', 1))
    .option('--steps <n>', "override the base's training steps", integer('--steps', 1))
    .option('--every <n>', 'record diagnostics every n-th step', integer('--every', 1))
    .addOption(new Option('--backend <name>', 'kernel backend').choices(['wasm', 'ts']))
    .option('-j, --jobs <n>', 'worker threads (default: the number of cores)', integer('--jobs', 1))
    .option(
      '-d, --dir <dir>',
      'output directory; rerunning into it skips finished jobs (default: named after the sweep)',
      nonEmpty('--dir', 'a folder name (leave it out for the default)'),
    )
    .option(
      '--queue <url>',
      'run the jobs through a Redis queue, e.g. redis://HOST:6379, served by `vgp worker`',
    )
    .option('--queue-name <name>', 'the queue to use (default vgp-sweep)', queueName)
    .option('--json', 'print the aggregate as JSON')
    .option('--csv', 'print the aggregate as CSV, one row per grid point')
    .option('-o, --out <file>', 'write the output to a file instead of stdout')
    .option(
      '--no-progress',
      'no progress bar (it is also off when stderr is not a terminal, and with --json)',
    )
    .action(async (opts) => {
      exit.code = await sweepCommand(io, opts);
    });

  program
    .command('worker')
    .description('take sweep jobs from a Redis queue until it is empty (start one per machine)')
    .requiredOption('--queue <url>', 'the Redis queue, e.g. redis://HOST:6379')
    .option('--queue-name <name>', 'the queue to use (default vgp-sweep)', queueName)
    .option(
      '-j, --jobs <n>',
      'jobs at once, one per thread (default: the number of cores)',
      integer('--jobs', 1),
    )
    .option(
      '--idle <seconds>',
      'exit after the queue has been empty this long (default 10)',
      integer('--idle', 0),
    )
    .option(
      '--lock <seconds>',
      'take over a job whose worker stopped answering after this long (default 30); also how often to look',
      integer('--lock', 1),
    )
    .option('-q, --quiet', 'no line per job on stderr')
    .action(async (opts) => {
      exit.code = await workerCommand(io, opts);
    });
}
