import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/cli/dist/commands/ -> the repository root, where `npm run bench` is defined. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * `vgp bench [args...]`: the benchmarks live in apps/bench (the root's `npm run bench` builds and runs
 * them); this forwards the arguments to it and returns its exit code.
 */
export function benchCommand(args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', 'bench', '--', ...args], { stdio: 'inherit', cwd: ROOT });
    child.on('error', () => resolve(127));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}
