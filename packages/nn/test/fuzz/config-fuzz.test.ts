/**
 * 2,000 damaged ExperimentConfigs through validateConfig and, when it accepts one, through everything
 * a run builds before its first step (data, model, trainer with its optimizer and schedule, monitor).
 * Every failure must be a typed VgpError; nothing else may escape. Nothing is trained, and configs
 * estimated above a few MB are only validated (the estimate itself is what keeps them cheap).
 */
import { createBackend, VgpError } from '@vgp/core';
import { mutated } from '@vgp/test-utils';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyRemedies,
  buildModel,
  type ExperimentConfig,
  estimateRunBytes,
  GradientMonitor,
  loadTask,
  modelSpecFor,
  PRESETS,
  Trainer,
  validateConfig,
  variantConfig,
} from '../../src/index.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
/** Above this estimate a config is validated but not built: building is what the fuzz checks, not speed. */
const BUILD_LIMIT_BYTES = 8e6;

const bases: ExperimentConfig[] = PRESETS.flatMap((p) => [
  p.base,
  ...p.variants.map((v) => variantConfig(p.base, v)),
]).filter((c) => c.task.kind !== 'mnist');

let backend: Awaited<ReturnType<typeof createBackend>>;
beforeAll(async () => {
  backend = await createBackend('ts');
});
afterAll(() => backend?.dispose());

async function build(c: ExperimentConfig): Promise<void> {
  const effective = applyRemedies(c);
  const data = await loadTask(c.task, c.seed);
  const model = buildModel(modelSpecFor(c, data), { backend, seed: c.seed });
  try {
    const trainer = new Trainer(model, data.train, {
      optimizer: effective.optimizer,
      loss: data.loss,
      batchSize: c.batchSize,
      clip: effective.clip,
      schedule: effective.schedule,
      seed: c.seed,
    });
    new GradientMonitor(model, { optimizer: trainer.optimizer }).dispose();
    trainer.dispose();
  } finally {
    model.dispose();
  }
}

describe('fuzz: damaged experiment configs', () => {
  it(`${RUNS} mutated configs: accepted ones build, rejected ones throw a VgpError naming a field`, async () => {
    const counts = { accepted: 0, built: 0, rejected: 0 };
    const arb = fc.constantFrom(...bases).chain((b) => mutated(b));
    await fc.assert(
      fc.asyncProperty(arb, async (raw) => {
        let config: ExperimentConfig;
        try {
          config = validateConfig(raw);
        } catch (e) {
          expect(e).toBeInstanceOf(VgpError);
          expect((e as Error).message).toMatch(/[a-zA-Z]+/);
          counts.rejected++;
          return;
        }
        counts.accepted++;
        const effective = applyRemedies(config);
        const t = config.task as { n?: number; length?: number };
        const bytes = estimateRunBytes(config, { ...effective.model, input: 28, output: 10 } as never);
        if (bytes.backend > BUILD_LIMIT_BYTES || (t.n ?? 0) > 5000 || (t.length ?? 0) > 500) return;
        try {
          await build(config);
          counts.built++;
        } catch (e) {
          if (!(e instanceof VgpError)) throw e;
        }
      }),
      { numRuns: RUNS, seed: 11 },
    );
    console.log(
      `config fuzz: ${RUNS} cases, ${counts.rejected} rejected, ${counts.accepted} accepted, ${counts.built} built`,
    );
    expect(counts.rejected + counts.accepted).toBe(RUNS);
    expect(counts.rejected).toBeGreaterThan(RUNS / 4);
    expect(counts.built).toBeGreaterThan(RUNS / 20);
  }, 120_000);
});
