/**
 * The one declaration of every vgp kernel. `TsBackend` (the readable reference) and
 * `WasmBackend` (AssemblyScript + SIMD) both implement it; the compiler checks that they do.
 *
 * Conventions shared by every kernel:
 * - Matrices are row-major and contiguous: a `rows x cols` matrix `M` has `M[r, c] = buf[r * cols + c]`.
 * - Kernels never allocate; every output buffer is passed in by the caller.
 * - Unless a kernel says otherwise, outputs are overwritten, and an output may alias an input
 *   only where the doc comment says "may alias".
 * - Lengths are checked by the kernels' callers in `@vgp/nn`; a backend may assume them valid
 *   (the WASM debug build asserts them).
 * - Flush to zero (f32 only, on by default, `flushSubnormals`): the kernels that produce gradients and
 *   states store a result whose magnitude is below float32's smallest normal, 2^-126 ~ 1.18e-38
 *   (`F32_MIN_NORMAL`), as +0. They are `gemm`, `activationGrad`, `biasGrad`, `scale`, the outputs of
 *   `batchNormBackward` and `layerNormBackward`, the states and gradients of the LSTM and GRU cells, and
 *   the optimizer state (momentum's velocity, RMSprop's squares, Adam's m and v). Why: x86 takes a slow
 *   path for arithmetic on subnormals (issue 17 measured a 60-layer sigmoid net, whose gradient had
 *   vanished, at 1/5 of the speed of the same net with tanh) and WebAssembly has no flush-to-zero mode; TensorFlow flushes on CPU by
 *   default, PyTorch has `torch.set_flush_denormal`. A flushed value differs from the IEEE result by
 *   less than 1.18e-38 in absolute terms. float64 (`TsBackend` with precision 'f64') never flushes: it is
 *   the exact reference. Every other kernel (forward activations, losses, reductions...) keeps IEEE
 *   subnormals. Pass `flushSubnormals: false` to `createBackend` to keep them everywhere.
 */

/** Floating-point precision of a backend's buffers. WASM is always `'f32'`. */
export type Precision = 'f32' | 'f64';

/** float32's smallest normal, 2^-126 ~ 1.18e-38: below it the flushing kernels store +0 (see the header). */
export const F32_MIN_NORMAL = 2 ** -126;

/** A copy of a buffer's contents, typed by the backend's precision. */
export type Floats = Float32Array | Float64Array;

/**
 * An opaque handle to `length` floats owned by a backend. Only the backend that made it may use it.
 * Views (`Backend.view`) share memory with their parent and must not be freed.
 */
export interface Buf {
  /** Number of floats. */
  readonly length: number;
}

/** Activation functions. The index in this list is the code the WASM module uses. */
export const ACTIVATIONS = [
  'identity',
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'elu',
  'selu',
  'gelu',
  'softplus',
  'swish',
] as const;

/** The name of an activation function; see `Backend.activation` for each formula. */
export type ActivationKind = (typeof ACTIVATIONS)[number];

/** Default `alpha` for `leakyRelu` (negative slope, as PyTorch) and `elu` (as PyTorch). */
export const DEFAULT_ALPHA: Readonly<Record<ActivationKind, number>> = {
  identity: 0,
  sigmoid: 0,
  tanh: 0,
  relu: 0,
  leakyRelu: 0.01,
  elu: 1,
  selu: 0,
  gelu: 0,
  softplus: 0,
  swish: 0,
};

/** SELU's alpha (Klambauer et al. 2017): the negative-side scale, shared by both backends. */
export const SELU_ALPHA = 1.6732632423543772;
/**
 * SELU's lambda (Klambauer et al. 2017): the overall scale. With `SELU_ALPHA` it makes zero mean and
 * unit variance a fixed point of a layer, the self-normalizing property.
 */
export const SELU_LAMBDA = 1.0507009873554805;

/** Activations whose saturation `countSaturated` can measure. */
export type SaturatingKind = 'sigmoid' | 'tanh';

/**
 * The kernels every backend implements: memory, elementwise, linear algebra, activations, fused
 * losses, normalization, dropout, recurrent cells, optimizer steps and the reductions the
 * diagnostics read. Get one from {@link createBackend}. The conventions (row-major, caller-allocated
 * outputs, aliasing only where stated) are in this module's header.
 */
export interface Backend {
  /** Which implementation this is. */
  readonly name: 'wasm' | 'ts';
  /** The precision of every buffer this backend allocates. */
  readonly precision: Precision;
  /**
   * Whether the gradient- and state-producing kernels store results below `F32_MIN_NORMAL` as +0 (see
   * this module's header for the list). Default true in f32; always false in f64.
   */
  readonly flushSubnormals: boolean;

  // ---------------------------------------------------------------- memory

  /** A new zero-filled buffer of `n` floats (n >= 0). Throws `OutOfMemoryError` if it cannot. */
  alloc(n: number): Buf;
  /** Returns a buffer to the backend for reuse. Freeing a view or freeing twice throws `VgpError`. */
  free(buf: Buf): void;
  /** A window `[offset, offset + length)` of `buf` that shares its memory (no copy, no allocation of backend memory). */
  view(buf: Buf, offset: number, length: number): Buf;
  /** A copy of the buffer's contents (safe to keep across later allocations). */
  read(buf: Buf): Floats;
  /** Copies `src` (exactly `buf.length` numbers) into the buffer. */
  write(buf: Buf, src: ArrayLike<number>): void;
  /** Bytes of backend memory currently reserved (WASM: linear memory size; TS: bytes of live buffers). */
  memoryBytes(): number;

  // ---------------------------------------------------------------- elementwise

  /** x[i] = value */
  fill(x: Buf, value: number): void;
  /** dst[i] = src[i] */
  copy(src: Buf, dst: Buf): void;
  /** x[i] = s * x[i] */
  scale(x: Buf, s: number): void;
  /** y[i] = alpha * x[i] + beta * y[i]; with beta = 0, y's old contents (even NaN) are ignored. */
  axpby(alpha: number, x: Buf, beta: number, y: Buf): void;
  /** out[i] = a[i] * b[i]; out may alias a or b. */
  mul(a: Buf, b: Buf, out: Buf): void;

  // ---------------------------------------------------------------- linear algebra

  /**
   * C = alpha * op(A) * op(B) + beta * C, with op(A) `m x k`, op(B) `k x n`, C `m x n`.
   * op(A) = A (stored `m x k`) or, with `transA`, A^T (A stored `k x m`); likewise B (`k x n` or `n x k`).
   * With beta = 0, C's old contents (even NaN) are ignored, as BLAS does.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Buf,
    b: Buf,
    beta: number,
    c: Buf,
  ): void;
  /** y[r, c] += bias[c] for a `rows x cols` y. */
  biasAdd(y: Buf, bias: Buf, rows: number, cols: number): void;
  /** dbias[c] = beta * dbias[c] + sum_r dy[r, c]  (beta = 1 accumulates, e.g. over time steps). */
  biasGrad(dy: Buf, rows: number, cols: number, beta: number, dbias: Buf): void;

  // ---------------------------------------------------------------- activations

  /**
   * y = f(x) elementwise; y may alias x. `alpha` is the leakyRelu negative slope or the elu alpha
   * (ignored by the others; see `DEFAULT_ALPHA`).
   * identity x; sigmoid 1/(1+e^-x); tanh; relu max(0,x); leakyRelu x>0 ? x : alpha*x;
   * elu x>0 ? x : alpha*(e^x-1); selu lambda*(x>0 ? x : a*(e^x-1)) with SELU_LAMBDA, SELU_ALPHA;
   * gelu, the tanh form of Hendrycks & Gimpel (PyTorch `approximate='tanh'`):
   *   0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x^3)));
   * softplus log(1+e^x) (computed stably); swish x*sigmoid(x) (SiLU).
   * Sigmoid and softplus must not overflow for |x| up to 1e30.
   */
  activation(kind: ActivationKind, x: Buf, y: Buf, alpha: number): void;
  /**
   * dx = dy * f'(x), given x and y = f(x) (kernels use whichever is cheaper); dx may alias dy.
   * At x = 0 the kinks take the right-hand derivative's convention of PyTorch: relu'(0) = 0,
   * leakyRelu'(0) = alpha, elu'(0) = alpha.
   */
  activationGrad(kind: ActivationKind, x: Buf, y: Buf, dy: Buf, dx: Buf, alpha: number): void;
  /** Row-wise softmax of a `rows x cols` x, computed stably (max subtracted); y may alias x. */
  softmax(x: Buf, rows: number, cols: number, y: Buf): void;

  // ---------------------------------------------------------------- losses (fused with their gradient)

  /** Returns mean((pred - target)^2) over all N elements; grad = 2 * (pred - target) / N. */
  mseLoss(pred: Buf, target: Buf, grad: Buf): number;
  /**
   * Softmax cross-entropy of `rows x cols` logits against target probabilities (one-hot or soft),
   * averaged over rows: L = -(1/rows) * sum_r sum_c t[r,c] * log softmax(z)[r,c] (log-sum-exp, stable).
   * grad = (softmax(z) - t) / rows.
   */
  softmaxCrossEntropy(logits: Buf, target: Buf, rows: number, cols: number, grad: Buf): number;
  /**
   * Binary cross-entropy on logits z with targets t in [0, 1], averaged over all N elements:
   * L = mean(max(z,0) - z*t + log(1 + e^-|z|)); grad = (sigmoid(z) - t) / N.
   */
  bceWithLogits(logits: Buf, target: Buf, grad: Buf): number;

  // ---------------------------------------------------------------- normalization

  /**
   * Batch norm in training mode over the rows of a `rows x cols` x (statistics per column):
   * mean_c, var_c (biased) over rows; invStd_c = 1/sqrt(var_c + eps); y = gamma*(x-mean)*invStd + beta.
   * Saves mean and invStd (length cols) for the backward pass, and updates the running statistics as
   * PyTorch does: running = (1 - momentum)*running + momentum*batch, the variance unbiased (rows/(rows-1)).
   */
  batchNormForward(
    x: Buf,
    rows: number,
    cols: number,
    gamma: Buf,
    beta: Buf,
    eps: number,
    momentum: number,
    runningMean: Buf,
    runningVar: Buf,
    y: Buf,
    mean: Buf,
    invStd: Buf,
  ): void;
  /** Batch norm in inference mode: y = gamma*(x - runningMean)/sqrt(runningVar + eps) + beta. */
  batchNormInference(
    x: Buf,
    rows: number,
    cols: number,
    gamma: Buf,
    beta: Buf,
    runningMean: Buf,
    runningVar: Buf,
    eps: number,
    y: Buf,
  ): void;
  /**
   * Backward of `batchNormForward` (training mode), with xhat = (x - mean)*invStd, per column over N rows:
   * dbeta = sum dy; dgamma = sum dy*xhat; dx = gamma*invStd/N * (N*dy - dbeta - xhat*dgamma).
   * dgamma and dbeta are overwritten.
   */
  batchNormBackward(
    dy: Buf,
    x: Buf,
    rows: number,
    cols: number,
    gamma: Buf,
    mean: Buf,
    invStd: Buf,
    dx: Buf,
    dgamma: Buf,
    dbeta: Buf,
  ): void;
  /**
   * Layer norm over the columns of each row of a `rows x cols` x: mean_r, var_r (biased),
   * invStd_r = 1/sqrt(var_r + eps), y = gamma*(x-mean)*invStd + beta (gamma, beta of length cols).
   * Saves mean and invStd (length rows).
   */
  layerNormForward(
    x: Buf,
    rows: number,
    cols: number,
    gamma: Buf,
    beta: Buf,
    eps: number,
    y: Buf,
    mean: Buf,
    invStd: Buf,
  ): void;
  /**
   * Backward of `layerNormForward`: with g = dy*gamma and xhat per row over D = cols,
   * dx = invStd/D * (D*g - sum g - xhat * sum(g*xhat)); dgamma = sum_r dy*xhat; dbeta = sum_r dy
   * (dgamma and dbeta overwritten).
   */
  layerNormBackward(
    dy: Buf,
    x: Buf,
    rows: number,
    cols: number,
    gamma: Buf,
    mean: Buf,
    invStd: Buf,
    dx: Buf,
    dgamma: Buf,
    dbeta: Buf,
  ): void;

  // ---------------------------------------------------------------- dropout

  /**
   * Inverted dropout: mask[i] = u_i >= p ? 1/(1-p) : 0 and y[i] = x[i]*mask[i], where u_i in [0, 1) is
   * `dropoutUniform(seed, i)` (a counter-based hash, so both backends draw the same mask). 0 <= p < 1.
   * The backward pass is `mul(dy, mask, dx)`.
   */
  dropoutForward(x: Buf, p: number, seed: number, y: Buf, mask: Buf): void;

  // ---------------------------------------------------------------- recurrent cells

  /**
   * LSTM pointwise step for `batch x hidden` states. `gates` (batch x 4*hidden, per row the blocks
   * i, f, g, o as in PyTorch) holds the pre-activations x*W_ih + h*W_hh + b on entry and is
   * overwritten with the activations i=sigmoid, f=sigmoid, g=tanh, o=sigmoid.
   * c = f*cPrev + i*g; h = o*tanh(c).
   */
  lstmCellForward(gates: Buf, cPrev: Buf, batch: number, hidden: number, c: Buf, h: Buf): void;
  /**
   * Backward of one LSTM step. In: the activated `gates`, cPrev, c, dh (total gradient reaching h_t)
   * and dc (gradient reaching c_t from step t+1; zeros at the last step). Out: dgates, the gradient
   * wrt the gate pre-activations (batch x 4*hidden, order i, f, g, o), and dcPrev = dcTotal*f where
   * dcTotal = dc + dh*o*(1 - tanh(c)^2). dcPrev may alias dc.
   */
  lstmCellBackward(
    gates: Buf,
    cPrev: Buf,
    c: Buf,
    dh: Buf,
    dc: Buf,
    batch: number,
    hidden: number,
    dgates: Buf,
    dcPrev: Buf,
  ): void;
  /**
   * GRU pointwise step (PyTorch's formulation), gate blocks r, z, n per row.
   * gx = x*W_ih + b_ih and gh = hPrev*W_hh + b_hh (both batch x 3*hidden).
   * r = sigmoid(gx_r + gh_r); z = sigmoid(gx_z + gh_z); n = tanh(gx_n + r*gh_n); h = (1-z)*n + z*hPrev.
   * gx is overwritten with the activations r, z, n; gh is left unchanged (its n block is needed backward).
   */
  gruCellForward(gx: Buf, gh: Buf, hPrev: Buf, batch: number, hidden: number, h: Buf): void;
  /**
   * Backward of one GRU step. In: activated gx (r, z, n), gh, hPrev, dh. Out: dgx and dgh, the gradients
   * wrt gx and gh (dgx = [dr', dz', dn'] and dgh = [dr', dz', dn'*r], where ' is the pre-activation
   * gradient), and dhPrev = dh*z, the direct path only: the caller adds dgh * W_hh^T.
   */
  gruCellBackward(
    gx: Buf,
    gh: Buf,
    hPrev: Buf,
    dh: Buf,
    batch: number,
    hidden: number,
    dgx: Buf,
    dgh: Buf,
    dhPrev: Buf,
  ): void;

  // ---------------------------------------------------------------- optimizer updates (fused, per parameter buffer)

  /** g' = g + weightDecay*w; w -= lr*g'. */
  sgdStep(w: Buf, g: Buf, lr: number, weightDecay: number): void;
  /**
   * Heavy-ball momentum as PyTorch (dampening 0): g' = g + weightDecay*w; v = momentum*v + g';
   * w -= lr * (nesterov ? g' + momentum*v : v). v starts at zero.
   */
  momentumStep(
    w: Buf,
    g: Buf,
    v: Buf,
    lr: number,
    momentum: number,
    weightDecay: number,
    nesterov: boolean,
  ): void;
  /** As PyTorch RMSprop: g' = g + weightDecay*w; sq = alpha*sq + (1-alpha)*g'^2; w -= lr*g'/(sqrt(sq)+eps). */
  rmspropStep(w: Buf, g: Buf, sq: Buf, lr: number, alpha: number, eps: number, weightDecay: number): void;
  /**
   * Adam (Kingma & Ba) as PyTorch, `step` counting from 1. Adam: g' = g + weightDecay*w (L2).
   * AdamW (`decoupled`, Loshchilov & Hutter): w *= 1 - lr*weightDecay, g' = g.
   * m = beta1*m + (1-beta1)*g'; v = beta2*v + (1-beta2)*g'^2;
   * w -= lr * (m/(1-beta1^step)) / (sqrt(v/(1-beta2^step)) + eps).
   */
  adamStep(
    w: Buf,
    g: Buf,
    m: Buf,
    v: Buf,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    step: number,
    decoupled: boolean,
  ): void;

  // ---------------------------------------------------------------- clipping

  /** x[i] = clamp(x[i], -limit, limit). Clipping by global norm is `sumSquares` over all grads, then `scale`. */
  clipByValue(x: Buf, limit: number): void;

  // ---------------------------------------------------------------- reductions (for diagnostics)

  /** Sum of all elements (accumulated in float64 on both backends). */
  sum(x: Buf): number;
  /** Sum of squares of all elements (accumulated in float64); sqrt of it is the L2 norm. */
  sumSquares(x: Buf): number;
  /** max |x[i]|; NaN if any element is NaN; 0 for an empty buffer. */
  maxAbs(x: Buf): number;
  /** Number of NaN or +-Infinity elements. */
  countNonFinite(x: Buf): number;
  /** Number of elements with |x[i]| < eps. */
  countNearZero(x: Buf, eps: number): number;
  /** Saturated activations: sigmoid y < 0.01 or y > 0.99; tanh |y| > 0.99. */
  countSaturated(kind: SaturatingKind, y: Buf): number;
  /** Number of columns of a `rows x cols` y that are <= 0 on every row (dead ReLU units on a batch). */
  countDeadUnits(y: Buf, rows: number, cols: number): number;
  /**
   * One pass over a parameter's weights w and gradient g (same length n) and, if given, the copy prev
   * of w from before the last update. Writes out[0] = sum w[i]^2, out[1] = sum g[i]^2,
   * out[2] = sum (w[i] - prev[i])^2 (0 without prev), out[3] = #{i : |w[i]| < eps} (0 for eps <= 0);
   * then, with prev, sets prev[i] = w[i] (the "before" of the next measurement). `out` has length >= 4.
   * The sums are float64 sums of blocks, which WASM adds in f32 (relative error below 1e-6), redoing in
   * float64 a block that overflows or underflows f32, so NaN, Infinity, 1e20 and 1e-25 read as in
   * `sumSquares`.
   */
  paramStats(w: Buf, g: Buf, prev: Buf | null, eps: number, out: Float64Array): void;
  /**
   * One pass over x: out[0] = sum (x[i] - shift), out[1] = sum (x[i] - shift)^2,
   * out[2] = `countSaturated(saturating, x)` (0 when saturating is null). `out` has length >= 3. Sums as
   * in `paramStats`. The shift is for a variance: sum x^2 / n - mean^2 cancels catastrophically when
   * the spread is small beside the mean (sigmoid outputs all near 0.5), and f32 sums would lose the
   * spread below ~1e-3 of the mean; shifted by a guess of the mean, nothing large cancels.
   */
  moments(x: Buf, shift: number, saturating: SaturatingKind | null, out: Float64Array): void;
  /**
   * Adds to `bins` (length B >= 1) a histogram of log10|x| over [minExp, maxExp) in B equal bins;
   * values below minExp (zeros included) count in bin 0, values at or above maxExp in bin B-1,
   * NaN and Infinity are skipped (count them with `countNonFinite`).
   */
  logHistogram(x: Buf, minExp: number, maxExp: number, bins: Buf): void;

  /** Releases everything the backend holds; the backend is unusable afterwards. */
  dispose(): void;
}

/**
 * The uniform in [0, 1) that dropout draws for element `i` under `seed`: both backends compute it
 * bit for bit the same way. h = lowbias32((seed + i*0x9E3779B9) mod 2^32) (Wellons' integer hash),
 * u = (h >>> 8) / 2^24.
 */
export function dropoutUniform(seed: number, i: number): number {
  let h = (seed + Math.imul(i, 0x9e3779b9)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 8) / 16777216;
}
