import { type Command, Option } from 'commander';
import type { Io } from '../io.js';
import { anyInteger, integer } from '../options.js';
import { spectrumCommand } from './spectrum.js';
import { activationName, realAtLeast, theoryCommand } from './theory.js';

/** `vgp theory` and `vgp spectrum`: mean-field theory and Jacobian spectra (docs/cli.md). */
export function registerMeanFieldCommands(program: Command, io: Io, exit: { code: number }): void {
  program
    .command('theory')
    .description(
      'mean-field theory at init: q*, chi_1, depth scale, predicted gradient ratio (--critical solves sigma_w)',
    )
    .requiredOption('--activation <name>', 'hidden activation, e.g. tanh', activationName)
    .option(
      '--sigma-w <s>',
      'weight scale: W ~ N(0, s^2 / fan_in)',
      realAtLeast('--sigma-w', Number.MIN_VALUE),
    )
    .option('--sigma-b <s>', 'bias standard deviation', realAtLeast('--sigma-b', 0), 0)
    .option(
      '--depth <n>',
      'hidden layers for the predicted gradient ratio (and --measure)',
      integer('--depth', 2),
      50,
    )
    .option('--critical', 'solve for the sigma_w at which chi_1 = 1 (the edge of chaos)')
    .option('--measure', 'also build the net at init (WASM) and fit the per-layer factor of ||dL/dh_l||^2')
    .option('--width <n>', 'with --measure: units per layer', integer('--width', 1), 256)
    .option('--seeds <n>', 'with --measure: seeds 1..n', integer('--seeds', 1), 5)
    .option('--json', 'print JSON')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (opts) => {
      exit.code = await theoryCommand(io, opts);
    });
  program
    .command('spectrum')
    .description("singular values of a deep net's input-output Jacobian at init, beside chi_1")
    .requiredOption('--activation <name>', 'hidden activation, e.g. tanh', activationName)
    .addOption(
      new Option('--init <kind>', 'weights: orthogonal times sigma_w, or normal N(0, sigma_w^2 / fan_in)')
        .choices(['orthogonal', 'normal'])
        .default('orthogonal'),
    )
    .option(
      '--sigma-w <s>',
      'weight scale (default: the edge of chaos for the activation and sigma_b)',
      realAtLeast('--sigma-w', Number.MIN_VALUE),
    )
    .option('--sigma-b <s>', 'bias standard deviation', realAtLeast('--sigma-b', 0), 0)
    .option('--depth <n>', 'hidden layers', integer('--depth', 1), 32)
    .option('--width <n>', 'units per layer (also the input and output width)', integer('--width', 1), 128)
    .option('--seed <n>', 'seed for weights and inputs', anyInteger('--seed'), 1)
    .option(
      '--input-variance <v>',
      'per-unit variance of the Gaussian inputs',
      realAtLeast('--input-variance', 0),
      1e-3,
    )
    .option(
      '--inputs <n>',
      'inputs at which to take the Jacobian (singular values pooled)',
      integer('--inputs', 1),
      1,
    )
    .addOption(new Option('--backend <name>', 'kernel backend').choices(['wasm', 'ts']).default('wasm'))
    .option('--json', 'print JSON')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (opts) => {
      exit.code = await spectrumCommand(io, opts);
    });
}
