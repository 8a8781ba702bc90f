import { createBackend } from '@vgp/core';
import { expect, it } from 'vitest';
import { addingProblem, buildModel, fit, type ModelSpec, toy2d } from '../../src/index.js';

// A steady-state training step allocates no backend memory. On WASM the linear memory is the same size
// after step 100 as after step 10,000. That alone could miss a small leak that fits in memory already
// reserved, so the same run on the TS backend, whose memoryBytes() counts the bytes of live buffers
// exactly, must also hold steady: there any buffer not freed would show (1,000 steps suffice there).
const cases: [string, ModelSpec, () => ReturnType<typeof toy2d>][] = [
  [
    'mlp with batch norm, dropout and residual blocks, AdamW, clipping, cosine schedule',
    {
      kind: 'mlp',
      input: 2,
      output: 1,
      depth: 3,
      width: 16,
      activation: 'relu',
      norm: 'batch',
      residual: true,
      dropout: 0.1,
    },
    () => toy2d('moons', { n: 256, noise: 0.1, seed: 1 }),
  ],
  [
    'lstm on the adding problem',
    { kind: 'recurrent', input: 2, output: 1, cell: 'lstm', hidden: 8, layers: 2 },
    () => addingProblem({ n: 64, length: 6, seed: 1 }),
  ],
];

const runs = (['wasm', 'ts'] as const).flatMap((kind) =>
  cases.map(([name, spec, data]) => [kind, name, spec, data] as const),
);

it.each(runs)(
  '%s memory is identical after step 100 and at the end: %s',
  async (kind, _name, spec, data) => {
    const backend = await createBackend(kind);
    const steps = kind === 'wasm' ? 10_000 : 1_000;
    const model = buildModel(spec, { backend, seed: 1 });
    const sizes = new Map<number, number>();
    const r = fit(model, data(), {
      optimizer: { kind: 'adamw', lr: 1e-3 },
      loss: spec.kind === 'mlp' ? 'bceWithLogits' : 'mse',
      batchSize: 16,
      steps,
      clip: { norm: 1, value: 5 },
      schedule: { kind: 'warmup', steps: 50, after: { kind: 'cosine', total: steps } },
      onStep: ({ step }) => {
        if (step === 100 || step === steps) sizes.set(step, backend.memoryBytes());
      },
    });
    expect(r.steps).toBe(steps);
    expect(Number.isFinite(r.losses[steps - 1])).toBe(true);
    expect(sizes.get(100)).toBeGreaterThan(0);
    expect(sizes.get(steps)).toBe(sizes.get(100));
    model.dispose();
    backend.dispose();
  },
  60_000,
);
