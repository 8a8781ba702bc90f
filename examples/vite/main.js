// The browser twin of examples/node/vanishing.mjs: the same runs, printed into the page.
// Vite finds @vgp/core's .wasm through `new URL(..., import.meta.url)` and emits it with the build.
import { createBackend } from '@vgp/core';
import { buildModel, diagnose, fit, GradientMonitor, spiral } from '@vgp/nn';

const out = document.querySelector('#out');
const lines = [];
const print = (line) => {
  lines.push(line);
  out.textContent = lines.join('\n');
};
// fit() is synchronous; yielding between runs lets the page paint each line as it comes.
const paint = () => new Promise((resolve) => setTimeout(resolve, 0));

function train(backend, data, label, activation, init) {
  const spec = { kind: 'mlp', input: 2, output: 2, depth: 10, width: 16, activation, init };
  const model = buildModel(spec, { backend, seed: 1 });
  const monitor = new GradientMonitor(model, { every: 5, meta: { lossFloor: 0, chanceLoss: Math.log(2) } });
  fit(model, data, {
    optimizer: { kind: 'adam', lr: 0.003 },
    loss: 'softmaxCrossEntropy',
    batchSize: 32,
    steps: 300,
    seed: 1,
    onStep: (r) => void monitor.take(r.step, { loss: r.loss }),
  });
  const [verdict] = diagnose(monitor.log);
  print(`${label}: ${verdict.kind} (${verdict.severity}): ${verdict.message}`);
  monitor.dispose();
  model.dispose();
  return verdict;
}

async function main() {
  const backend = await createBackend('wasm');
  const data = spiral({ n: 512, noise: 0.05, seed: 1 });
  lines.length = 0;
  const sick = train(backend, data, 'deep sigmoid', 'sigmoid', 'glorotUniform');
  const fix = sick.remedies.find((r) => r.id === 'relu-he');
  print(`fix: ${fix.action} (${fix.reason})`);
  await paint();
  train(backend, data, 'with the fix', 'relu', 'heNormal');
  print('done');
  backend.dispose();
}

main().catch((e) => print(`error: ${e instanceof Error ? e.message : String(e)}`));
