/**
 * Loss functions with their gradient, one kernel pass each: the value and ∂loss/∂(predictions,
 * logits or scores). Each call copies its inputs into the backend's memory, runs the kernel and
 * returns `{ loss, grad }` where `grad` is a new Float32Array shaped like the predictions
 * (row-major). Models call the same kernels on preallocated workspaces instead.
 *
 * Reductions: 'mean' (default) is the weighted mean Σ w_i ℓ_i / Σ w_i, where ℓ_i is the row's
 * loss averaged over its columns for elementwise losses (mse, mae, huber, bce, hinge) and summed
 * over classes for class losses (softmax cross-entropy, multiclass hinge) — PyTorch's 'mean' when
 * there are no weights. 'sum' is Σ w_i Σ_c ℓ_ic.
 */
import { getBackend } from '../init.js';
import { checkOptions, type Rules } from '../util/options.js';
import { Tensor } from '../tensor.js';
import { callLossKernel, LOSSES, type LossName } from './specs.js';
import { checkLabels, checkMatrix, checkWeights, firstNonFinite, nonFiniteError, type LabelInput, type MatrixInput } from './validate.js';

export { LOSSES, LOSS_NAMES, lossValue64 } from './specs.js';
export type { LossName, LossSpec } from './specs.js';
export type { MatrixInput, MatrixData, LabelInput } from './validate.js';

export type Reduction = 'mean' | 'sum';

export interface LossOptions {
  /** 'mean' (default): weighted mean over rows; 'sum': weighted sum. */
  reduction?: Reduction;
  /** One weight >= 0 per row (default: all 1). */
  sampleWeight?: ArrayLike<number>;
}

export interface LossResult {
  /** The reduced loss (float64 accumulation of float32 terms). */
  loss: number;
  /** ∂loss/∂input, shaped like the input (rows·cols, row-major), a new array. */
  grad: Float32Array;
}

/** Predictions: a matrix (`{ data, shape }` or rows) or a flat vector (one column). */
export type PredictionInput = MatrixInput | ArrayLike<number>;

function asMatrix(x: PredictionInput, fn: string, arg: string) {
  if (x !== null && typeof x === 'object' && !Array.isArray(x) && !('shape' in (x as object)) && typeof (x as ArrayLike<number>).length === 'number') {
    const v = x as ArrayLike<number>;
    const data = v instanceof Float32Array || v instanceof Float64Array ? v : Float64Array.from(v as ArrayLike<number>);
    return checkMatrix({ data, shape: [v.length, 1] }, fn, arg);
  }
  if (Array.isArray(x) && (x.length === 0 || typeof x[0] === 'number')) {
    return checkMatrix({ data: Float64Array.from(x as number[]), shape: [x.length, 1] }, fn, arg);
  }
  return checkMatrix(x, fn, arg);
}

const LOSS_RULES: Rules = {
  reduction: { kind: 'enum', values: ['mean', 'sum'] },
  sampleWeight: { kind: 'any' },
};
const DELTA_RULES: Rules = { ...LOSS_RULES, delta: { kind: 'number', min: 0, minOpen: true, fix: 'Pass a positive delta such as 1.' } };

/** A copy of `v` when it is a view over the backend's memory (the call's own allocations may detach it), else `v`. */
function stable<T>(v: T, memory: { readonly buffer: ArrayBufferLike }): T {
  if (ArrayBuffer.isView(v)) return v.buffer === memory.buffer ? ((v as unknown as Float32Array).slice() as unknown as T) : v;
  if (v !== null && typeof v === 'object' && 'data' in v && 'shape' in v) {
    const d = (v as unknown as { data: unknown }).data;
    if (ArrayBuffer.isView(d) && d.buffer === memory.buffer) return { ...(v as object), data: (d as Float32Array).slice() } as T;
  }
  return v;
}

function evaluate(name: LossName, fn: string, x: PredictionInput, y: LabelInput, options: LossOptions & { delta?: number }, withDelta: boolean): LossResult {
  const spec = LOSSES[name];
  checkOptions(fn, options, withDelta ? DELTA_RULES : LOSS_RULES);
  const reduction = options.reduction ?? 'mean';
  const delta = options.delta ?? 1;
  const b = getBackend();
  x = stable(x, b.memory);
  y = stable(y, b.memory);
  const sampleWeight = stable(options.sampleWeight, b.memory);
  const m = asMatrix(x, fn, spec.perRow ? 'logits' : 'predictions');
  const { rows, cols } = m;
  if (spec.perRow && rows > 0 && cols === 0) throw new RangeError(`${fn}: the scores have 0 columns; pass one column per class`);
  const X = new Tensor(rows * cols), G = new Tensor(rows * cols);
  const T = new Tensor(spec.perRow ? rows : rows * cols), W = new Tensor(rows);
  try {
    const xv = X.data;
    m.copyTo(xv);
    const bad = firstNonFinite(xv);
    if (bad >= 0) throw nonFiniteError(fn, spec.perRow ? 'logits' : 'predictions', m.valueAt(bad), bad, cols);
    const tv = spec.targets === 'class' ? new Int32Array(b.memory.buffer, T.ptr, rows) : T.data;
    checkLabels(y, rows, spec.targets, tv, fn, spec.perRow ? 'labels' : 'targets', cols, cols);
    const sumW = sampleWeight === undefined ? rows : checkWeights(sampleWeight, rows, W.data, fn);
    const scale = reduction === 'sum' ? 1 : 1 / (sumW * (spec.perRow ? 1 : cols));
    const loss = callLossKernel(b.k, spec, G.ptr, X.ptr, T.ptr, sampleWeight === undefined ? 0 : W.ptr, rows, cols, scale, delta);
    return { loss, grad: G.toArray() };
  } finally {
    X.dispose(); G.dispose(); T.dispose(); W.dispose();
  }
}

/**
 * Mean squared error, PyTorch's `mse_loss`: ℓ = (p − t)², ∂ℓ/∂p = 2(p − t).
 * @param predictions rows×outputs (or a flat vector); @param targets the same number of values.
 * @example
 * mseLoss([1, 2], [0, 2]); // { loss: 0.5, grad: Float32Array [1, 0] }
 * Reference: torch.nn.functional.mse_loss.
 */
export function mseLoss(predictions: PredictionInput, targets: LabelInput, options: LossOptions = {}): LossResult {
  return evaluate('mse', 'mseLoss', predictions, targets, options, false);
}

/**
 * Mean absolute error: ℓ = |p − t|, ∂ℓ/∂p = sign(p − t) (0 where p = t).
 * @example
 * maeLoss([1, 2], [0, 4]); // { loss: 1.5, grad: [0.5, -0.5] }
 * Reference: torch.nn.functional.l1_loss.
 */
export function maeLoss(predictions: PredictionInput, targets: LabelInput, options: LossOptions = {}): LossResult {
  return evaluate('mae', 'maeLoss', predictions, targets, options, false);
}

/**
 * Huber loss: ℓ = ½d² for |d| <= delta, delta·(|d| − ½delta) beyond, d = p − t; the gradient is
 * d clipped to [−delta, delta]. Default delta 1.
 * @example
 * huberLoss([0, 3], [0, 0], { delta: 1 }).loss; // (0 + 2.5) / 2 = 1.25
 * Reference: torch.nn.functional.huber_loss.
 */
export function huberLoss(predictions: PredictionInput, targets: LabelInput, options: LossOptions & { delta?: number } = {}): LossResult {
  return evaluate('huber', 'huberLoss', predictions, targets, options, true);
}

/**
 * Binary cross-entropy on logits, stable for any finite logit (|z| up to 1e3 and beyond):
 * ℓ = max(z, 0) − z·t + log(1 + e^(−|z|)), ∂ℓ/∂z = σ(z) − t, targets t in [0, 1].
 * @example
 * bceWithLogitsLoss([0], [1]).loss; // log 2 ≈ 0.693
 * Reference: torch.nn.functional.binary_cross_entropy_with_logits.
 */
export function bceWithLogitsLoss(logits: PredictionInput, targets: LabelInput, options: LossOptions = {}): LossResult {
  return evaluate('bce', 'bceWithLogitsLoss', logits, targets, options, false);
}

/**
 * Hinge loss for binary labels (0/1 or −1/+1; y = +1 for label 1, −1 otherwise):
 * ℓ = max(0, 1 − y·s), ∂ℓ/∂s = −y where the margin is violated.
 * @example
 * hingeLoss([0.5, -2], [1, 0]).loss; // (0.5 + 0) / 2 = 0.25
 * Reference: sklearn.metrics.hinge_loss (SGDClassifier(loss='hinge')).
 */
export function hingeLoss(scores: PredictionInput, labels: LabelInput, options: LossOptions = {}): LossResult {
  return evaluate('hinge', 'hingeLoss', scores, labels, options, false);
}

/**
 * Squared hinge: ℓ = max(0, 1 − y·s)², ∂ℓ/∂s = −2y·max(0, 1 − y·s); labels as {@link hingeLoss}.
 * @example
 * squaredHingeLoss([0.5], [1]).loss; // 0.25
 * Reference: sklearn LinearSVC's default loss.
 */
export function squaredHingeLoss(scores: PredictionInput, labels: LabelInput, options: LossOptions = {}): LossResult {
  return evaluate('squared-hinge', 'squaredHingeLoss', scores, labels, options, false);
}

/**
 * Softmax cross-entropy with integer labels, through log-sum-exp (stable for logits of ±1e3):
 * ℓ_i = log Σ_j e^(z_ij) − z_iy, ∂ℓ/∂z_ij = softmax(z_i)_j − [j = y_i].
 * @param logits rows×classes; @param labels one class index per row.
 * @example
 * softmaxCrossEntropyLoss([[2, 0], [0, 2]], [0, 1]).loss; // log(1 + e^-2) ≈ 0.127
 * Reference: torch.nn.functional.cross_entropy.
 */
export function softmaxCrossEntropyLoss(logits: MatrixInput, labels: LabelInput, options: LossOptions = {}): LossResult {
  return evaluate('softmax-cross-entropy', 'softmaxCrossEntropyLoss', logits, labels, options, false);
}

/**
 * The old name of {@link softmaxCrossEntropyLoss} (without the `Loss` suffix of its siblings).
 * @deprecated Use softmaxCrossEntropyLoss.
 * @example
 * softmaxCrossEntropy([[2, 0]], [0]).loss; // as softmaxCrossEntropyLoss
 */
export const softmaxCrossEntropy = softmaxCrossEntropyLoss;

/**
 * Multiclass hinge (Weston–Watkins, cs231n's "multiclass SVM loss"):
 * ℓ_i = Σ_{j≠y} max(0, s_ij − s_iy + delta); the gradient is 1 on every violating class and minus
 * their count on the true class. Default delta 1. (PyTorch's multi_margin_loss is this / classes.)
 * @example
 * multiclassHingeLoss([[1, 2, 0]], [0]).loss; // max(0, 2 − 1 + 1) + max(0, 0 − 1 + 1) = 2
 * Reference: cs231n linear classification notes; Weston & Watkins (1999).
 */
export function multiclassHingeLoss(scores: MatrixInput, labels: LabelInput, options: LossOptions & { delta?: number } = {}): LossResult {
  return evaluate('multiclass-hinge', 'multiclassHingeLoss', scores, labels, options, true);
}

export { l2Penalty, l1Penalty, elasticNetPenalty } from './penalties.js';
export type { PenaltyResult } from './penalties.js';
