/**
 * The AssemblyScript module's exports as JS sees them. Only numbers cross the ABI: pointers (byte
 * offsets into linear memory), element counts, scalars, booleans as 0/1 and activation kinds as
 * their index in `ACTIVATIONS`. Each kernel has the name of the `Backend` method it implements.
 */
type Ptr = number;

export interface WasmExports {
  alloc(bytes: number): Ptr;
  free(ptr: Ptr): void;
  /** 1: the gradient and state kernels flush subnormal results to zero (the default); 0: IEEE. */
  setFlushSubnormals(on: number): void;

  fill(x: Ptr, n: number, value: number): void;
  copy(src: Ptr, dst: Ptr, n: number): void;
  scale(x: Ptr, n: number, s: number): void;
  axpby(alpha: number, x: Ptr, beta: number, y: Ptr, n: number): void;
  mul(a: Ptr, b: Ptr, out: Ptr, n: number): void;

  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Ptr,
    b: Ptr,
    beta: number,
    c: Ptr,
  ): void;
  biasAdd(y: Ptr, bias: Ptr, rows: number, cols: number): void;
  biasGrad(dy: Ptr, rows: number, cols: number, beta: number, dbias: Ptr): void;

  activation(kind: number, x: Ptr, y: Ptr, n: number, alpha: number): void;
  activationGrad(kind: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr, n: number, alpha: number): void;
  softmax(x: Ptr, rows: number, cols: number, y: Ptr): void;

  mseLoss(pred: Ptr, target: Ptr, grad: Ptr, n: number): number;
  softmaxCrossEntropy(logits: Ptr, target: Ptr, rows: number, cols: number, grad: Ptr): number;
  bceWithLogits(logits: Ptr, target: Ptr, grad: Ptr, n: number): number;

  batchNormForward(
    x: Ptr,
    rows: number,
    cols: number,
    gamma: Ptr,
    beta: Ptr,
    eps: number,
    momentum: number,
    runningMean: Ptr,
    runningVar: Ptr,
    y: Ptr,
    mean: Ptr,
    invStd: Ptr,
  ): void;
  batchNormInference(
    x: Ptr,
    rows: number,
    cols: number,
    gamma: Ptr,
    beta: Ptr,
    runningMean: Ptr,
    runningVar: Ptr,
    eps: number,
    y: Ptr,
  ): void;
  batchNormBackward(
    dy: Ptr,
    x: Ptr,
    rows: number,
    cols: number,
    gamma: Ptr,
    mean: Ptr,
    invStd: Ptr,
    dx: Ptr,
    dgamma: Ptr,
    dbeta: Ptr,
  ): void;
  layerNormForward(
    x: Ptr,
    rows: number,
    cols: number,
    gamma: Ptr,
    beta: Ptr,
    eps: number,
    y: Ptr,
    mean: Ptr,
    invStd: Ptr,
  ): void;
  layerNormBackward(
    dy: Ptr,
    x: Ptr,
    rows: number,
    cols: number,
    gamma: Ptr,
    mean: Ptr,
    invStd: Ptr,
    dx: Ptr,
    dgamma: Ptr,
    dbeta: Ptr,
  ): void;

  dropoutForward(x: Ptr, n: number, p: number, seed: number, y: Ptr, mask: Ptr): void;

  lstmCellForward(gates: Ptr, cPrev: Ptr, batch: number, hidden: number, c: Ptr, h: Ptr): void;
  lstmCellBackward(
    gates: Ptr,
    cPrev: Ptr,
    c: Ptr,
    dh: Ptr,
    dc: Ptr,
    batch: number,
    hidden: number,
    dgates: Ptr,
    dcPrev: Ptr,
  ): void;
  gruCellForward(gx: Ptr, gh: Ptr, hPrev: Ptr, batch: number, hidden: number, h: Ptr): void;
  gruCellBackward(
    gx: Ptr,
    gh: Ptr,
    hPrev: Ptr,
    dh: Ptr,
    batch: number,
    hidden: number,
    dgx: Ptr,
    dgh: Ptr,
    dhPrev: Ptr,
  ): void;

  sgdStep(w: Ptr, g: Ptr, n: number, lr: number, weightDecay: number): void;
  momentumStep(
    w: Ptr,
    g: Ptr,
    v: Ptr,
    n: number,
    lr: number,
    momentum: number,
    weightDecay: number,
    nesterov: number,
  ): void;
  rmspropStep(
    w: Ptr,
    g: Ptr,
    sq: Ptr,
    n: number,
    lr: number,
    alpha: number,
    eps: number,
    weightDecay: number,
  ): void;
  adamStep(
    w: Ptr,
    g: Ptr,
    m: Ptr,
    v: Ptr,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    step: number,
    decoupled: number,
  ): void;

  clipByValue(x: Ptr, n: number, limit: number): void;

  sum(x: Ptr, n: number): number;
  sumSquares(x: Ptr, n: number): number;
  maxAbs(x: Ptr, n: number): number;
  countNonFinite(x: Ptr, n: number): number;
  countNearZero(x: Ptr, n: number, eps: number): number;
  countSaturated(kind: number, y: Ptr, n: number): number;
  countDeadUnits(y: Ptr, rows: number, cols: number): number;
  logHistogram(x: Ptr, n: number, minExp: number, maxExp: number, bins: Ptr, nbins: number): void;
  /** Returns the address of its four f64 results (static memory, overwritten by the next call). */
  paramStats(w: Ptr, g: Ptr, prev: Ptr, n: number, eps: number): Ptr;
  /** Returns the address of its f64 results, as `paramStats`. */
  moments(x: Ptr, n: number, shift: number, kind: number): Ptr;
}
