import { Command, Option } from 'commander';
import { benchCommand } from './commands/bench.js';
import { CLIFF_DEFAULTS, cliffCommand, parseGrid, parseStart, positiveNumber } from './commands/cliff.js';
import { diagnoseCommand } from './commands/diagnose.js';
import { compareCommand, runCommand } from './commands/experiment.js';
import { presetsCommand } from './commands/presets.js';
import { registerMeanFieldCommands } from './commands/register-mean-field.js';
import { registerSweepCommands } from './commands/register-sweep.js';
import { DEBUG_FLAG, reportError } from './error-boundary.js';
import { checkOutPath, type Io } from './io.js';
import { anyInteger, fraction, integer, nonEmpty } from './options.js';

/** The options `run` and `compare` share. */
function experimentOptions(cmd: Command): Command {
  return cmd
    .option('-p, --preset <name>', 'a preset (list them with `vgp presets`)')
    .option(
      '-c, --config <file>',
      'an ExperimentConfig JSON file, or { "base": ..., "variants": [...] }',
      nonEmpty('--config', 'a file name'),
    )
    .option('--seed <n>', 'seed for data, weights and batch order', anyInteger('--seed'))
    .addOption(new Option('--backend <name>', 'kernel backend').choices(['wasm', 'ts']))
    .option('--steps <n>', 'training steps per run', integer('--steps', 1))
    .option('--every <n>', 'record diagnostics every n-th step', integer('--every', 1))
    .option(
      '--data <file.csv>',
      "train on your own CSV table (replaces the preset's or config's task; alone: the deep-sigmoid preset's networks)",
      nonEmpty('--data', 'a CSV file name'),
    )
    .option('--target <column>', "--data's target column: header name or 0-based index (default: the last)")
    .addOption(
      new Option('--task <kind>', "--data's target: class labels or a quantity (default: detected)").choices([
        'classification',
        'regression',
      ]),
    )
    .option(
      '--test-fraction <f>',
      'share of --data rows held out for testing (default 0.2)',
      fraction('--test-fraction'),
    )
    .option('--json', 'print JSON (schema: docs/compare-output.schema.json)')
    .option('--csv', 'print every recorded step as CSV')
    .option(
      '--histograms',
      'with --csv: the gradient histograms instead, long format (run, step, layer, param, bin, count)',
    )
    .option('-o, --out <file>', 'write the output to a file instead of stdout')
    .option(
      '--no-progress',
      'no progress bar (it is also off when stderr is not a terminal, and with --json)',
    );
}

export function buildProgram(io: Io, exit: { code: number }): Command {
  const program = new Command('vgp')
    .description('See, measure and fix vanishing and exploding gradients, headless.')
    .version('0.1.0')
    .showHelpAfterError('(run `vgp --help` for usage)')
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      // commander's "(Did you mean --steps?)" joins the error's line: every failure is one or two lines.
      outputError: (s, write) => write(s.replace(/\n\((Did you mean .*?)\)/, ' ($1)')),
    })
    .exitOverride();

  experimentOptions(program.command('compare'))
    .description('train a base config and its variants on the same data and seed; table and verdicts')
    .option('--history', 'with --json: include every recorded step (needed by `vgp diagnose`)')
    .option(
      '--seeds <n>',
      'run every config on n seeds (the --seed and the next ones): median [min, max] and k/N per verdict',
      integer('--seeds', 1),
    )
    .action(async (opts) => {
      exit.code = await compareCommand(io, opts);
    });

  experimentOptions(program.command('run'))
    .description('train one config (a preset base, or --variant LABEL) and diagnose it')
    .option('--variant <label>', "with --preset: run this variant instead of the base (e.g. 'LSTM')")
    .action(async (opts) => {
      exit.code = await runCommand(io, opts);
    });

  program
    .command('diagnose')
    .description('verdicts from a recorded run: `vgp run --json` output, or `vgp compare --json --history`')
    .argument('<file>', 'JSON file with per-step histories', nonEmpty('vgp diagnose', 'a file name'))
    .option('--json', 'print the verdicts as JSON')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action((file: string, opts) => {
      exit.code = diagnoseCommand(io, file, opts);
    });

  program
    .command('presets')
    .description('list the presets, or explain one')
    .argument('[name]', 'a preset to explain')
    .option('--json', 'print JSON')
    .action((name: string | undefined, opts) => {
      exit.code = presetsCommand(io, name, opts);
    });

  registerSweepCommands(program, io, exit);

  program
    .command('cliff')
    .description(
      "the exploding-gradient cliff of Pascanu et al. 2013: a one-unit RNN's gradient over (w, b), descent with and without clipping",
    )
    .option('--T <n>', 'unrolled steps', integer('--T', 1), CLIFF_DEFAULTS.T)
    .option(
      '--grid <W0,W1,B0,B1,NW,NB>',
      'w range, b range, points along w and b (default -2,12,-6,2,281,161)',
      parseGrid,
      CLIFF_DEFAULTS.grid,
    )
    .option('--start <w,b>', 'where descent starts (default 6,-3)', parseStart, CLIFF_DEFAULTS.start)
    .option('--lr <x>', 'learning rate', positiveNumber('--lr'), CLIFF_DEFAULTS.lr)
    .option(
      '--clip <x>',
      'gradient-norm threshold of the clipped run',
      positiveNumber('--clip'),
      CLIFF_DEFAULTS.clip,
    )
    .option('--steps <n>', 'descent steps', integer('--steps', 1), CLIFF_DEFAULTS.steps)
    .option('--json', 'print JSON (both trajectories point by point)')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action((opts) => {
      exit.code = cliffCommand(io, opts);
    });

  registerMeanFieldCommands(program, io, exit);

  program
    .command('bench')
    .description('run the benchmarks (apps/bench); arguments go to it, e.g. `vgp bench train --quick`')
    .argument('[args...]', 'suites and options for the bench harness')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (args: string[]) => {
      exit.code = await benchCommand(args);
    });

  return program;
}

/**
 * Runs the CLI on `argv` (without node and script) and returns the exit code: 0 on success, 1 for
 * any failure (one or two lines saying what to change; the stack trace only with --debug), 130 when
 * interrupted by Ctrl-C (after writing what ran so far).
 */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const exit = { code: 0 };
  // --debug is global: taken out before commander sees it, so it works before or after the command.
  const debug = argv.includes(DEBUG_FLAG);
  const program = buildProgram(io, exit)
    .option(DEBUG_FLAG, 'print the stack trace of an error (for bug reports)')
    // Every --out is checked before the command runs: a run is never lost to an unwritable path.
    .hook('preAction', (_program, command) => {
      const out = command.opts().out;
      if (typeof out === 'string') checkOutPath(out);
    });
  try {
    await program.parseAsync(
      argv.filter((a) => a !== DEBUG_FLAG),
      { from: 'user' },
    );
    return exit.code;
  } catch (e) {
    return reportError(e, io, debug);
  }
}
