// Runs the browser end-to-end tests (apps/web) in Debian's Chromium when one is found.
// Without a browser it says so loudly; under CI (CI=true) a missing browser is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const line = '!'.repeat(78);
  console.error(`${line}\n!! No Chromium at ${chromium}: the browser end-to-end tests did NOT run.`);
  console.error('!! Install it (apt-get install -y chromium) or set CHROMIUM_PATH.');
  console.error(line);
  process.exit(process.env.CI === 'true' ? 1 : 0);
}
const run = spawnSync('npm', ['run', 'test:e2e', '-w', '@vgp/web'], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(run.status ?? 1);
