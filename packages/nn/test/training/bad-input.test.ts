import { type Backend, ConfigError, createBackend, ShapeError, VgpError } from '@vgp/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addingProblem,
  buildModel,
  DataError,
  type FitOptions,
  fit,
  loadWeights,
  type MlpSpec,
  type Model,
  saveWeights,
  Tensor,
  toy2d,
} from '../../src/index.js';

// Each kind of bad input throws a typed error (a VgpError subclass) whose message names the culprit
// and says what to change. All go through the public API a user calls.
const MLP: MlpSpec = { kind: 'mlp', input: 2, output: 1, depth: 2, width: 8, activation: 'tanh' };
const FIT: FitOptions = {
  optimizer: { kind: 'sgd', lr: 0.1 },
  loss: 'bceWithLogits',
  batchSize: 8,
  steps: 2,
};
let backend: Backend;
let model: Model;
const xor = () => toy2d('xor', { n: 32, seed: 1 });

beforeAll(async () => {
  backend = await createBackend('ts');
  model = buildModel(MLP, { backend, seed: 1 });
});

function expectTyped(f: () => unknown, type: new (...a: never[]) => VgpError, message: RegExp): void {
  let caught: unknown = null;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  expect(caught).toBeInstanceOf(VgpError);
  expect((caught as Error).message).toMatch(message);
}

describe('bad input throws a typed error that says what to change', () => {
  it('1. shape mismatch: data with more features than the model takes', () => {
    const d = toy2d('xor', { n: 32, seed: 1 });
    const wide = { ...d, x: new Float32Array(96), xShape: [32, 3] };
    expectTyped(
      () => fit(model, wide, FIT),
      ShapeError,
      /model takes 2 input features but 'xor' has 3 per sample/,
    );
  });

  it('2. wrong rank: a sequence fed to an mlp', () => {
    const x = Tensor.zeros(backend, [5, 4, 2]);
    expectTyped(
      () => model.forward(x, { training: false }),
      ShapeError,
      /mlp model: input has shape \[5, 4, 2\], expected \[batch, 2\]; flatten each sample or use a recurrent spec/,
    );
    x.dispose();
  });

  it('3. NaN in the data names the data set and the sample', () => {
    const d = xor();
    d.x[9] = Number.NaN;
    expectTyped(
      () => fit(model, d, FIT),
      DataError,
      /'xor': input of sample 4 \(feature 1\) is NaN; remove or impute/,
    );
  });

  it('4. unknown activation lists the valid ones', () => {
    expectTyped(
      () => buildModel({ ...MLP, activation: 'rleu' as never }, { backend, seed: 1 }),
      ConfigError,
      /unknown activation 'rleu'; use one of identity, sigmoid, tanh, relu/,
    );
  });

  it('5. unknown initializer lists the valid ones', () => {
    expectTyped(
      () => buildModel({ ...MLP, init: 'xavier' as never }, { backend, seed: 1 }),
      ConfigError,
      /unknown initializer 'xavier' in init; use one of zeros, constant, .*glorotUniform/,
    );
  });

  it('6. negative or NaN learning rate names the field and its range', () => {
    for (const lr of [-0.01, Number.NaN]) {
      expectTyped(
        () => fit(model, xor(), { ...FIT, optimizer: { kind: 'adam', lr } }),
        ConfigError,
        /adam: lr must be in \[0, inf\), e.g. 0.01, got (-0.01|NaN)/,
      );
    }
  });

  it('7. zero depth', () => {
    expectTyped(
      () => buildModel({ ...MLP, depth: 0 }, { backend, seed: 1 }),
      ConfigError,
      /model spec: depth must be a positive integer, got 0/,
    );
  });

  it('8. empty batch: batch size 0, or a data set without samples', () => {
    expectTyped(
      () => fit(model, xor(), { ...FIT, batchSize: 0 }),
      ConfigError,
      /batchSize must be an integer in \[1, 32\]/,
    );
    const empty = {
      ...xor(),
      x: new Float32Array(0),
      xShape: [0, 2],
      y: new Float32Array(0),
      yShape: [0, 1],
    };
    expectTyped(() => fit(model, empty, FIT), DataError, /'xor': no samples; a data set needs at least one/);
  });

  it('9. label count not matching the input count', () => {
    const d = xor();
    const short = { ...d, y: d.y.subarray(0, 30), yShape: [30, 1] };
    expectTyped(
      () => fit(model, short, FIT),
      DataError,
      /32 inputs but 30 targets\/labels; give exactly one target per input/,
    );
  });

  it('10. loading weights of another architecture says which param and shape differ', () => {
    const wider = buildModel({ ...MLP, width: 9 }, { backend, seed: 1 });
    expectTyped(
      () => loadWeights(model, saveWeights(wider)),
      ShapeError,
      /param 'dense1.weight' has shape \[2, 9\] in the file but \[2, 8\] in the model; build the model from the spec/,
    );
    const deeper = buildModel({ ...MLP, depth: 3 }, { backend, seed: 1 });
    expectTyped(
      () => loadWeights(model, saveWeights(deeper)),
      ConfigError,
      /weights hold param 'dense3.weight' that this model does not have; they come from another architecture/,
    );
    wider.dispose();
    deeper.dispose();
  });

  it('11. batch size larger than the data, or not an integer', () => {
    expectTyped(
      () => fit(model, xor(), { ...FIT, batchSize: 33 }),
      ConfigError,
      /integer in \[1, 32\].*got 33; lower it/,
    );
    expectTyped(
      () => fit(model, xor(), { ...FIT, batchSize: 2.5 }),
      ConfigError,
      /batchSize must be an integer.*got 2.5/,
    );
  });

  it('12. unknown optimizer or loss lists the valid ones', () => {
    expectTyped(
      () => fit(model, xor(), { ...FIT, optimizer: { kind: 'adagrad' as never } }),
      ConfigError,
      /unknown optimizer 'adagrad'; use one of sgd, momentum, nesterov, rmsprop, adam, adamw/,
    );
    expectTyped(
      () => fit(model, xor(), { ...FIT, loss: 'hinge' as never }),
      ConfigError,
      /unknown loss 'hinge'; use one of mse, softmaxCrossEntropy, bceWithLogits/,
    );
  });

  it('13. steps and epochs both given, or neither', () => {
    expectTyped(
      () => fit(model, xor(), { ...FIT, epochs: 2 }),
      ConfigError,
      /exactly one of steps or epochs, got both/,
    );
    expectTyped(() => fit(model, xor(), { ...FIT, steps: undefined }), ConfigError, /got neither/);
  });

  it('14. a label outside the classes', () => {
    const d = xor();
    d.y[3] = -1;
    expectTyped(
      () => fit(model, d, FIT),
      DataError,
      /label of sample 3 .* is -1; labels must be integers in \[0, 2\)/,
    );
  });

  it('15. binary cross-entropy on a 10-class task', async () => {
    const d = { ...xor(), classes: 10 };
    expectTyped(
      () => fit(model, d, FIT),
      ConfigError,
      /bceWithLogits needs 2 classes but 'xor' has 10; use softmaxCrossEntropy/,
    );
  });

  it('16. a misspelt spec field or an unknown model kind', () => {
    expectTyped(
      () => buildModel({ ...MLP, widht: 4 } as never, { backend, seed: 1 }),
      ConfigError,
      /model spec has no field 'widht'; a mlp spec has kind, input, output, depth, width/,
    );
    expectTyped(
      () => buildModel({ kind: 'cnn' } as never, { backend, seed: 1 }),
      ConfigError,
      /unknown model kind 'cnn'; use 'mlp' or 'recurrent'/,
    );
  });

  it('17. an option the optimizer does not have', () => {
    expectTyped(
      () => fit(model, xor(), { ...FIT, optimizer: { kind: 'adam', momentum: 0.9 } as never }),
      ConfigError,
      /optimizer 'adam' has no option 'momentum'; its options are kind, lr, weightDecay, beta1, beta2, eps/,
    );
  });

  it('18. a recurrent model given flat data', () => {
    const rnn = buildModel(
      { kind: 'recurrent', input: 2, output: 1, cell: 'gru', hidden: 4, layers: 1 },
      { backend, seed: 1 },
    );
    expectTyped(
      () => fit(rnn, xor(), { ...FIT, loss: 'mse' }),
      ShapeError,
      /a recurrent model takes \[time, n, features\] data but 'xor' is \[32, 2\]; use an mlp spec or the task's sequence layout/,
    );
    const seq = addingProblem({ n: 16, length: 5, seed: 1 });
    expect(fit(rnn, seq, { ...FIT, loss: 'mse' }).steps).toBe(2);
    rnn.dispose();
  });

  it('20. an unknown schedule, leaking no backend memory', () => {
    const before = backend.memoryBytes();
    expectTyped(
      () => fit(model, xor(), { ...FIT, optimizer: { kind: 'adam' }, schedule: { kind: 'linear' } as never }),
      ConfigError,
      /unknown schedule 'linear'; use one of constant, step, cosine, warmup/,
    );
    expect(backend.memoryBytes()).toBe(before);
  });

  it('19. a non-positive clip limit', () => {
    expectTyped(
      () => fit(model, xor(), { ...FIT, clip: { norm: -1 } }),
      ConfigError,
      /clip.norm must be a finite number > 0/,
    );
  });
});
