import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Builds the playground once before the browser tests, exactly as `npm start` serves it. */
export default function setup(): void {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const run = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd, stdio: 'inherit' });
  if (run.status !== 0)
    throw new Error(`vite build failed (exit ${run.status}); run \`npm run build -w @vgp/web\``);
}
