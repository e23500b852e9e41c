/**
 * The kernels a model is made of, over tensors: GEMM, bias add, activations and their backward,
 * row-wise softmax, column sums, and every loss with its gradient. They are what the library's own
 * models call, one kernel pass each, writing in place into their first argument (zero-copy: the
 * tensors live in the backend's memory). With them a user writes a model class that `fit()` trains
 * like the built-in ones (docs/extending.md).
 *
 * Matrices are row-major flat tensors; a function that needs the shape takes `rows` (or m, n, k) and
 * derives the columns from the sizes. Element-wise ops, softmax and the losses' gradients give the
 * same bits on every backend; GEMM is deterministic per backend and agrees across backends to float32
 * rounding. Where an output may be an input is said per function; any other overlap is refused.
 */
import { getBackend } from '../init.js';
import { callLossKernel, LOSSES, LOSS_NAMES, type LossName } from '../losses/specs.js';
import { checkLabels, checkWeights } from '../losses/validate.js';
import { ACT_IDENTITY } from '../wasm/constants.gen.js';
import { Tensor } from '../tensor.js';
import { describe } from '../util/describe.js';
import { BOOLEAN, COUNT, COUNT0, checkOptions, checkValue, type NumberRule, type Rule, type Rules } from '../util/options.js';

/** Checks that `t` is a live tensor of the running backend; returns its size. */
function live(op: string, name: string, t: unknown): number {
  if (!(t instanceof Tensor)) {
    throw new TypeError(`${op}(): ${name} must be a tensor or parameter (tensor(), param(), p.gradTensor), got ${describe(t)}`);
  }
  t.assertLive(`${op}(): ${name}`);
  return t.size;
}

function sameSize(op: string, ...ts: Array<[string, Tensor]>): number {
  const n = live(op, ts[0][0], ts[0][1]);
  for (const [name, t] of ts.slice(1)) {
    if (live(op, name, t) !== n) {
      throw new RangeError(`${op}(): ${name} has ${t.size} elements but ${ts[0][0]} has ${n}; pass tensors of equal size`);
    }
  }
  return n;
}

/** out = f(x) element-wise by the kernel `k` (sizes checked as `op`); returns out. */
function unary(op: string, k: 'f32_relu' | 'f32_tanh' | 'f32_sigmoid', out: Tensor, x: Tensor): Tensor {
  const n = sameSize(op, ['out', out], ['x', x]);
  getBackend().k[k](out.ptr, x.ptr, n);
  return out;
}

/** dx from dy and the forward's output y by the kernel `k` (sizes checked as `op`); returns dx. */
function backward(op: string, k: 'f32_relu_backward' | 'f32_tanh_backward' | 'f32_sigmoid_backward', dx: Tensor, dy: Tensor, y: Tensor): Tensor {
  const n = sameSize(op, ['dx', dx], ['dy', dy], ['y', y]);
  getBackend().k[k](dx.ptr, dy.ptr, y.ptr, n);
  return dx;
}

/** Refuses an output that overlaps an input the kernel must read intact. */
function noOverlap(op: string, outName: string, out: Tensor, inName: string, x: Tensor): void {
  if (out.size === 0 || x.size === 0) return;
  if (out.ptr < x.ptr + 4 * x.size && x.ptr < out.ptr + 4 * out.size) {
    throw new RangeError(`${op}(): ${outName} overlaps ${inName}; pass a separate tensor for ${outName}`);
  }
}

/** The columns of a rows×cols tensor of `size` elements. */
function colsOf(op: string, name: string, size: number, rows: unknown): number {
  const r = checkValue(`${op}()`, 'rows', rows, { ...COUNT, required: true }) as number;
  if (size % r !== 0) throw new RangeError(`${op}(): ${name} has ${size} elements, not a whole number of rows of ${r}; pass rows that divide its size`);
  return size / r;
}

const FINITE: NumberRule = { kind: 'number' };
const SLOPE: NumberRule = { kind: 'number', min: 0, fix: "Pass the slope leakyRelu's forward used (default 0.01)." };
const TENSOR: Rule = { kind: 'custom', want: 'a tensor', test: (v) => v instanceof Tensor };
const GEMM_RULES: Rules = {
  m: { ...COUNT0, required: true }, n: { ...COUNT0, required: true }, k: { ...COUNT0, required: true },
  transA: BOOLEAN, transB: BOOLEAN, alpha: FINITE, beta: FINITE,
};
const LOSS_RULES: Rules = {
  rows: { ...COUNT, required: true },
  grad: TENSOR,
  reduction: { kind: 'enum', values: ['mean', 'sum'] },
  sampleWeight: { kind: 'any' }, // checked row by row, with the rows, by checkWeights
  delta: { kind: 'number', min: 0, minOpen: true },
};

export interface GemmOptions {
  /** Rows of op(A) and of C. */
  m: number;
  /** Columns of op(B) and of C. */
  n: number;
  /** Columns of op(A) = rows of op(B). */
  k: number;
  /** Use Aᵀ (A is stored k×m) (default false). */
  transA?: boolean;
  /** Use Bᵀ (B is stored n×k) (default false). */
  transB?: boolean;
  /** Scale of the product (default 1). */
  alpha?: number;
  /** Scale of C's old values (default 0: C is overwritten, never read). */
  beta?: number;
}

/**
 * General matrix multiply: C = alpha·op(A)·op(B) + beta·C, row-major, op(X) = X or Xᵀ. C must not
 * overlap A or B (A and B may be the same tensor).
 * @example
 * await init();
 * const a = tensor([1, 2, 3, 4, 5, 6]);     // 2×3
 * const b = tensor([1, 0, 0, 1, 1, 1]);     // 3×2
 * const c = tensor.zeros(4);
 * gemm(c, a, b, { m: 2, n: 2, k: 3 });      // c.data → [4, 5, 10, 11]
 * Reference: BLAS sgemm (row-major, as cblas_sgemm with CblasRowMajor).
 */
export function gemm(c: Tensor, a: Tensor, b: Tensor, options: GemmOptions): Tensor {
  checkOptions('gemm()', options ?? null, GEMM_RULES);
  const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = options;
  const sizes: Array<[string, Tensor, number, string]> = [
    ['a', a, m * k, transA ? `k×m = ${k}×${m}` : `m×k = ${m}×${k}`],
    ['b', b, k * n, transB ? `n×k = ${n}×${k}` : `k×n = ${k}×${n}`],
    ['c', c, m * n, `m×n = ${m}×${n}`],
  ];
  for (const [name, t, want, shape] of sizes) {
    if (live('gemm', name, t) !== want) throw new RangeError(`gemm(): ${name} has ${t.size} elements, but ${shape} needs ${want}`);
  }
  noOverlap('gemm', 'c', c, 'a', a);
  noOverlap('gemm', 'c', c, 'b', b);
  getBackend().k.f32_gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a.ptr, transA ? m : k, b.ptr, transB ? k : n, beta, c.ptr, n);
  return c;
}

/**
 * out[i, j] = x[i, j] + bias[j] for a rows×cols x and a bias of cols values (a linear layer's
 * epilogue). out may be x; bias must not overlap out.
 * @example
 * await init();
 * const z = tensor([1, 2, 3, 4]);            // 2×2
 * addBias(z, z, tensor([10, 20]), 2);        // z.data → [11, 22, 13, 24]
 */
export function addBias(out: Tensor, x: Tensor, bias: Tensor, rows: number): Tensor {
  const size = sameSize('addBias', ['out', out], ['x', x]);
  const cols = colsOf('addBias', 'x', size, rows);
  if (live('addBias', 'bias', bias) !== cols) throw new RangeError(`addBias(): bias has ${bias.size} elements but x has ${cols} columns; pass one bias per column`);
  noOverlap('addBias', 'out', out, 'bias', bias);
  getBackend().k.f32_bias_act_rows(out.ptr, x.ptr, bias.ptr, rows, cols, ACT_IDENTITY, 0);
  return out;
}

/**
 * out[j] = Σ_i x[i, j]: the column sums of a rows×cols x, summed in row order (a bias's gradient).
 * out must not overlap x.
 * @example
 * await init();
 * const g = tensor([1, 2, 3, 4]), db = tensor.zeros(2);
 * colSum(db, g, 2);                          // db.data → [4, 6]
 */
export function colSum(out: Tensor, x: Tensor, rows: number): Tensor {
  const cols = colsOf('colSum', 'x', live('colSum', 'x', x), rows);
  if (live('colSum', 'out', out) !== cols) throw new RangeError(`colSum(): out has ${out.size} elements but x has ${cols} columns; pass one per column`);
  noOverlap('colSum', 'out', out, 'x', x);
  getBackend().k.f32_col_sum(out.ptr, x.ptr, rows, cols);
  return out;
}

/**
 * out = max(x, 0). out may be x.
 * @example
 * await init();
 * const h = tensor([-1, 2]);
 * relu(h, h);                                // h.data → [0, 2]
 * Reference: torch.nn.functional.relu.
 */
export function relu(out: Tensor, x: Tensor): Tensor {
  return unary('relu', 'f32_relu', out, x);
}

/**
 * dx = dy where y > 0, else 0, from relu's output y. dx may be dy.
 * @example
 * await init();
 * const dh = tensor([5, 5]);
 * reluBackward(dh, dh, tensor([0, 2]));      // dh.data → [0, 5]
 */
export function reluBackward(dx: Tensor, dy: Tensor, y: Tensor): Tensor {
  return backward('reluBackward', 'f32_relu_backward', dx, dy, y);
}

/**
 * out = x > 0 ? x : slope·x (default slope 0.01, torch's). out may be x.
 * @example
 * await init();
 * const h = tensor([-1, 2]);
 * leakyRelu(h, h, 0.1);                      // h.data → [-0.1, 2]
 * Reference: torch.nn.functional.leaky_relu.
 */
export function leakyRelu(out: Tensor, x: Tensor, slope = 0.01): Tensor {
  const n = sameSize('leakyRelu', ['out', out], ['x', x]);
  checkValue('leakyRelu()', 'slope', slope, SLOPE);
  getBackend().k.f32_leaky_relu(out.ptr, x.ptr, n, slope);
  return out;
}

/**
 * dx = y > 0 ? dy : slope·dy, from leakyRelu's output y and the same slope (default 0.01). dx may be dy.
 * @example
 * await init();
 * const dh = tensor([5, 5]);
 * leakyReluBackward(dh, dh, tensor([-0.1, 2]), 0.1); // dh.data → [0.5, 5]
 */
export function leakyReluBackward(dx: Tensor, dy: Tensor, y: Tensor, slope = 0.01): Tensor {
  const n = sameSize('leakyReluBackward', ['dx', dx], ['dy', dy], ['y', y]);
  checkValue('leakyReluBackward()', 'slope', slope, SLOPE);
  getBackend().k.f32_leaky_relu_backward(dx.ptr, dy.ptr, y.ptr, n, slope);
  return dx;
}

/**
 * out = tanh(x). out may be x.
 * @example
 * await init();
 * const h = tensor([0, 100]);
 * tanh(h, h);                                // h.data → [0, 1]
 * Reference: torch.tanh.
 */
export function tanh(out: Tensor, x: Tensor): Tensor {
  return unary('tanh', 'f32_tanh', out, x);
}

/**
 * dx = dy·(1 − y²), from tanh's output y. dx may be dy.
 * @example
 * await init();
 * const dh = tensor([2, 2]);
 * tanhBackward(dh, dh, tensor([0, 0.5]));    // dh.data → [2, 1.5]
 */
export function tanhBackward(dx: Tensor, dy: Tensor, y: Tensor): Tensor {
  return backward('tanhBackward', 'f32_tanh_backward', dx, dy, y);
}

/**
 * out = 1 / (1 + e^(−x)). out may be x.
 * @example
 * await init();
 * const h = tensor([0]);
 * sigmoid(h, h);                             // h.data → [0.5]
 * Reference: torch.sigmoid.
 */
export function sigmoid(out: Tensor, x: Tensor): Tensor {
  return unary('sigmoid', 'f32_sigmoid', out, x);
}

/**
 * dx = dy·y·(1 − y), from sigmoid's output y. dx may be dy.
 * @example
 * await init();
 * const dh = tensor([4]);
 * sigmoidBackward(dh, dh, tensor([0.5]));    // dh.data → [1]
 */
export function sigmoidBackward(dx: Tensor, dy: Tensor, y: Tensor): Tensor {
  return backward('sigmoidBackward', 'f32_sigmoid_backward', dx, dy, y);
}

/**
 * Softmax of each row of a rows×cols x (max-shifted, so any finite logits are safe). out may be x.
 * @example
 * await init();
 * const p = tensor.zeros(2);
 * softmax(p, tensor([0, Math.log(3)]), 1);   // p.data → [0.25, 0.75]
 */
export function softmax(out: Tensor, x: Tensor, rows: number): Tensor {
  const cols = colsOf('softmax', 'x', sameSize('softmax', ['out', out], ['x', x]), rows);
  getBackend().k.f32_softmax_rows(out.ptr, x.ptr, rows, cols);
  return out;
}

/**
 * dx = y ⊙ (dy − Σ_row dy ⊙ y), row by row, from softmax's output y. dx may be dy.
 * @example
 * await init();
 * const dz = tensor([1, 0]);
 * softmaxBackward(dz, dz, tensor([0.5, 0.5]), 1); // dz.data → [0.25, -0.25]
 */
export function softmaxBackward(dx: Tensor, dy: Tensor, y: Tensor, rows: number): Tensor {
  const cols = colsOf('softmaxBackward', 'y', sameSize('softmaxBackward', ['dx', dx], ['dy', dy], ['y', y]), rows);
  getBackend().k.f32_softmax_rows_backward(dx.ptr, dy.ptr, y.ptr, rows, cols);
  return dx;
}

export interface TensorLossOptions {
  /** Rows of the predictions (the columns follow from the size). */
  rows: number;
  /** Where to write ∂loss/∂predictions (same size; may be the predictions themselves). Default: no gradient. */
  grad?: Tensor;
  /** 'mean' (default): weighted mean over rows (and columns for element-wise losses), as the loss functions; 'sum'. */
  reduction?: 'mean' | 'sum';
  /** One weight >= 0 per row (default all 1). */
  sampleWeight?: ArrayLike<number>;
  /** Huber's delta / the multiclass hinge margin (default 1). */
  delta?: number;
}

/**
 * A loss of predictions held in a tensor, in one kernel pass, writing its gradient into
 * `options.grad`: the same losses (by name, see `LOSS_NAMES`), reductions and weights as `mseLoss`,
 * `softmaxCrossEntropy`, ... without copying the predictions. Targets are checked and copied in
 * (class labels as whole numbers in [0, cols) for 'softmax-cross-entropy' and 'multiclass-hinge';
 * rows·cols values otherwise). The predictions are not checked for NaN: a NaN loss says so, and
 * fit() stops on it.
 * @example
 * await init();
 * const logits = tensor([0, 0, 0, 0]);       // 2 rows × 2 classes
 * const dz = tensor.zeros(4);
 * tensorLoss('softmax-cross-entropy', logits, [0, 1], { rows: 2, grad: dz }); // log 2 ≈ 0.693
 * dz.data;                                   // [-0.25, 0.25, 0.25, -0.25]
 */
export function tensorLoss(name: LossName, pred: Tensor, targets: ArrayLike<number>, options: TensorLossOptions): number {
  const op = 'tensorLoss';
  checkValue(`${op}()`, 'name', name, { kind: 'enum', values: LOSS_NAMES, required: true });
  const spec = LOSSES[name];
  checkOptions(`${op}()`, options ?? null, LOSS_RULES);
  const rows = options.rows;
  const cols = colsOf(op, 'predictions', live(op, 'predictions', pred), rows);
  const grad = options.grad;
  if (grad !== undefined && live(op, 'options.grad', grad) !== pred.size) {
    throw new RangeError(`${op}(): options.grad has ${grad.size} elements but the predictions ${pred.size}; pass a gradient tensor of the same size`);
  }
  const reduction = options.reduction ?? 'mean';
  const delta = options.delta ?? spec.defaultDelta ?? 1;
  const b = getBackend();
  // Targets or weights that are views of the backend's memory would be detached if allocating the
  // blocks below grows it: read them into host copies first.
  const host = <T>(v: T): T => (ArrayBuffer.isView(v) && v.buffer === b.memory.buffer ? ((v as unknown as Float32Array).slice() as T) : v);
  targets = host(targets);
  const weights = host(options.sampleWeight);
  const T = new Tensor(spec.perRow ? rows : rows * cols, 'workspace');
  const W = weights === undefined ? null : new Tensor(rows, 'workspace');
  try {
    const tv = spec.targets === 'class' ? new Int32Array(b.memory.buffer, T.ptr, rows) : T.data;
    checkLabels(targets, rows, spec.targets, tv, `${op}('${name}')`, spec.perRow ? 'labels' : 'targets', cols, cols);
    const sumW = W ? checkWeights(weights, rows, W.data, `${op}('${name}')`) : rows;
    const scale = reduction === 'sum' ? 1 : 1 / (sumW * (spec.perRow ? 1 : cols));
    return callLossKernel(b.k, spec, grad ? grad.ptr : 0, pred.ptr, T.ptr, W ? W.ptr : 0, rows, cols, scale, delta);
  } finally {
    T.dispose();
    W?.dispose();
  }
}
