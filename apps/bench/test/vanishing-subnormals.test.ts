// Why the vanishing suite's flush matters: the 60-layer sigmoid MLP it times does fill its gradients
// and optimizer state with float32 subnormals (the values x86 computes on slowly) when they are kept
// (IEEE), and holds none when they are flushed (the default); the run is otherwise the same run. The
// diagnosis says what a flushed gradient is, never a ratio of 0.
import { type Backend, createBackend, F32_MIN_NORMAL } from '@vgp/core';
import { applyRemedies, buildModel, loadTask, modelSpecFor, runExperiment, Trainer } from '@vgp/nn';
import { describe, expect, it } from 'vitest';
import { caseConfigs } from '../src/suites/vanishing-runs.js';

const subnormals = (be: Backend, bufs: Parameters<Backend['read']>[0][]) =>
  bufs.reduce(
    (n, b) => n + Array.from(be.read(b)).filter((v) => v !== 0 && Math.abs(v) < F32_MIN_NORMAL).length,
    0,
  );

async function train(flush: boolean, steps: number) {
  const config = caseConfigs(false)['mlp60-sigmoid'];
  const data = await loadTask(config.task, config.seed);
  const backend = await createBackend('wasm', { wasmBuild: 'simd', flushSubnormals: flush });
  const model = buildModel(modelSpecFor(config, data), { backend, seed: config.seed });
  const trainer = new Trainer(model, data.train, {
    optimizer: applyRemedies(config).optimizer,
    loss: data.loss,
    batchSize: config.batchSize,
    seed: config.seed,
  });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) losses.push(trainer.step().loss);
  const params = model.params();
  return {
    losses,
    grads: subnormals(
      backend,
      params.map((p) => p.grad.buf),
    ),
    state: subnormals(
      backend,
      params.flatMap((p) => trainer.optimizer.stateOf(p)),
    ),
  };
}

describe('the 60-layer sigmoid MLP of the vanishing suite, after 60 steps', () => {
  it('keeps thousands of subnormal gradients and velocities under IEEE, none when flushed', async () => {
    const ieee = await train(false, 60);
    const flushed = await train(true, 60);
    expect(ieee.grads).toBeGreaterThan(1000);
    expect(ieee.state).toBeGreaterThan(1000);
    expect([flushed.grads, flushed.state]).toEqual([0, 0]);
    // Values below 1.2e-38 change nothing a float32 loss can show.
    expect(flushed.losses).toEqual(ieee.losses);
  });
});

it('the diagnosis of the flushed run says the first layer gradient is below 1.2e-38, flushed, not 0', async () => {
  const config = { ...caseConfigs(false)['mlp60-sigmoid'], steps: 150 };
  const run = await runExperiment(config);
  expect(run.summary.firstLastRatio).toBe(0);
  const depth = run.verdicts.find((v) => v.kind === 'vanishing');
  expect(depth?.message).toContain("below 1.2e-38 (float32's smallest normal), flushed to zero");
  expect(depth?.message).not.toMatch(/gets 0 of|ratio 0\b|gain 0 per/);
});
