// A 10-layer sigmoid network on the spiral task: its gradient vanishes on the way down.
// The same network with ReLU and He init, a remedy diagnose() suggests for it, keeps it flowing.
import { createBackend } from '@vgp/core';
import { buildModel, diagnose, fit, GradientMonitor, spiral } from '@vgp/nn';

const backend = await createBackend('wasm');
const data = spiral({ n: 512, noise: 0.05, seed: 1 });

function train(label, activation, init) {
  const spec = { kind: 'mlp', input: 2, output: 2, depth: 10, width: 16, activation, init };
  const model = buildModel(spec, { backend, seed: 1 });
  const monitor = new GradientMonitor(model, { every: 5, meta: { lossFloor: 0, chanceLoss: Math.log(2) } });
  // biome-ignore lint/suspicious/noFocusedTests: @vgp/nn's training loop, not a focused test
  fit(model, data, {
    optimizer: { kind: 'adam', lr: 0.003 },
    loss: 'softmaxCrossEntropy',
    batchSize: 32,
    steps: 300,
    seed: 1,
    onStep: (r) => void monitor.take(r.step, { loss: r.loss }),
  });
  const [verdict] = diagnose(monitor.log);
  console.log(`${label}: ${verdict.kind} (${verdict.severity}): ${verdict.message}`);
  monitor.dispose();
  model.dispose();
  return verdict;
}

const sick = train('deep sigmoid', 'sigmoid', 'glorotUniform');
const fix = sick.remedies.find((r) => r.id === 'relu-he');
console.log(`fix: ${fix.action} (${fix.reason})`);
train('with the fix', 'relu', 'heNormal');
backend.dispose();
