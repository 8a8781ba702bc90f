import { basename } from 'node:path';

/**
 * A TypeScript user of both packages, compiled in the temporary project under each module resolution.
 * It touches types that cross the package boundary (a `Backend` from @vgp/core handed to @vgp/nn),
 * so a broken `types` condition or an unresolvable import in either package's .d.ts fails to compile.
 */
export const CONSUMER_TS = `import { type Backend, ConfigError, createBackend, VgpError } from '@vgp/core';
import {
  buildModel,
  diagnose,
  fit,
  GradientMonitor,
  type MlpSpec,
  spiral,
  type Verdict,
} from '@vgp/nn';

export async function deepSigmoidVerdict(): Promise<Verdict | undefined> {
  const backend: Backend = await createBackend('ts', { precision: 'f64' });
  const spec: MlpSpec = { kind: 'mlp', input: 2, output: 2, depth: 10, width: 8, activation: 'sigmoid' };
  const model = buildModel(spec, { backend, seed: 1 });
  const monitor = new GradientMonitor(model, { every: 5 });
  fit(model, spiral({ n: 64, seed: 1 }), {
    optimizer: { kind: 'adam', lr: 0.003 },
    loss: 'softmaxCrossEntropy',
    batchSize: 16,
    steps: 10,
    onStep: (r) => void monitor.take(r.step, { loss: r.loss }),
  });
  const verdicts: Verdict[] = diagnose(monitor.log);
  const isTyped: boolean = new ConfigError('x') instanceof VgpError;
  return isTyped ? verdicts[0] : undefined;
}
`;

/**
 * One tsconfig per resolution a user may have; `skipLibCheck: false` so our .d.ts are checked too
 * (`skipDefaultLibCheck` only skips TypeScript's own lib files, which cost most of the time).
 * `lib` has `dom` because @vgp/core's declarations name `WebAssembly.Memory`, which @types/node 20
 * does not declare: a Node-only project without `dom` needs `skipLibCheck` until core stops exporting it.
 */
export const RESOLUTIONS = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const;

export function consumerTsconfig(resolution: keyof typeof RESOLUTIONS, file: string): string {
  return JSON.stringify(
    {
      compilerOptions: {
        ...RESOLUTIONS[resolution],
        target: 'es2022',
        lib: ['es2022', 'dom'],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        skipDefaultLibCheck: true,
      },
      files: [basename(file)],
    },
    null,
    2,
  );
}
