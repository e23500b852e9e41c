/**
 * Evaluation metrics as pure functions over plain arrays, with scikit-learn's definitions. Class
 * labels are integers ≥ 0 (class indices); any array-like of numbers is accepted (`number[]`,
 * `Int32Array`, `Float64Array`, ...). Nothing here modifies its inputs. Sums run in float64.
 */

import { checkLabelVector } from '../data/matrix.js';
import { describe } from '../util/describe.js';
import { checkNumber, checkOptions } from '../util/options.js';

type Labels = ArrayLike<number>;

/** The length of an array of numbers (every entry a number: strings and booleans are refused, not coerced). */
function len(a: unknown, fn: string, arg: string): number {
  return checkLabelVector(a, fn, arg);
}

function pair(yTrue: Labels, yPred: Labels, fn: string, predName = 'yPred'): number {
  const n = len(yTrue, fn, 'yTrue');
  const m = len(yPred, fn, predName);
  if (n !== m) {
    throw new RangeError(`${fn}: yTrue has ${n} entries but ${predName} has ${m}; pass one prediction per sample`);
  }
  if (n === 0) {
    throw new RangeError(`${fn}: yTrue and ${predName} are empty; a metric needs at least one sample`);
  }
  return n;
}

function checkLabel(v: number, fn: string, arg: string, i: number, k?: number): void {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** 31 || (k !== undefined && v >= k)) {
    const range = k === undefined ? 'an integer ≥ 0 (a class index)' : `an integer in [0, ${k - 1}] (numClasses is ${k})`;
    throw new RangeError(`${fn}: ${arg}[${i}] is ${describe(v)}; a label must be ${range}`);
  }
}

/**
 * The fraction of samples whose predicted label equals the true one (scikit-learn `accuracy_score`).
 *
 * @example
 * accuracy([0, 1, 2, 2], [0, 2, 2, 2]); // 0.75
 */
export function accuracy(yTrue: Labels, yPred: Labels): number {
  const n = pair(yTrue, yPred, 'accuracy');
  let hits = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / n;
}

/**
 * The confusion matrix `C` with `C[t][p]` = the number of samples of true class `t` predicted as
 * class `p` (scikit-learn `confusion_matrix` with `labels = 0..numClasses-1`), as a new array of
 * `numClasses` rows. Default `numClasses`: the largest label in either input + 1.
 *
 * @example
 * confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2]); // [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
 */
export function confusionMatrix(yTrue: Labels, yPred: Labels, numClasses?: number): number[][] {
  const fn = 'confusionMatrix';
  const n = pair(yTrue, yPred, fn);
  if (numClasses !== undefined) checkNumber(fn, 'numClasses', numClasses, { kind: 'number', integer: true, min: 1, fix: 'Omit it to use the largest label + 1.' });
  let k = numClasses ?? 0;
  for (let i = 0; i < n; i++) {
    checkLabel(yTrue[i], fn, 'yTrue', i, numClasses);
    checkLabel(yPred[i], fn, 'yPred', i, numClasses);
    if (numClasses === undefined) k = Math.max(k, yTrue[i] + 1, yPred[i] + 1);
  }
  const C = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) C[yTrue[i]][yPred[i]]++;
  return C;
}

/** How {@link precisionRecallF1} averages over classes. */
export type Average = 'macro' | 'micro' | 'weighted' | 'none';

/** Options of {@link precisionRecallF1}. */
export interface PrecisionRecallF1Options<A extends Average = Average> {
  /** Default `'macro'`. */
  average?: A;
  /**
   * The classes are `0..nClasses-1`. Default: the labels that occur in `yTrue` or `yPred`,
   * as scikit-learn does; give it to count a class that occurs in neither (it scores 0).
   */
  nClasses?: number;
  /** @deprecated Use nClasses (the models' name for it). */
  numClasses?: number;
}

/** Per-class scores, for `average: 'none'`. Entry i belongs to class `labels[i]`. */
export interface PerClassScores {
  labels: Int32Array;
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  /** The number of true samples of each class. */
  support: Int32Array;
}

/** Averaged scores. */
export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
  /** The number of samples. */
  support: number;
}

/**
 * Precision, recall and F1 per class, or averaged (scikit-learn `precision_recall_fscore_support`).
 *
 * For class c: precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2·P·R / (P + R).
 * A ratio whose denominator is 0 counts as 0 (scikit-learn's `zero_division="warn"` value, without
 * the warning): a class never predicted has precision 0, a class never true has recall 0.
 * `'macro'` is the unweighted mean of the per-class scores (so a class with a zero division pulls
 * the mean down); `'weighted'` weights them by support; `'micro'` computes the ratios from the
 * total TP, FP and FN (for single-label multiclass data all three equal the accuracy); `'none'`
 * returns the per-class arrays.
 *
 * Defaults: `average = 'macro'`, classes = the labels present in either input.
 *
 * @example
 * const s = precisionRecallF1([0, 0, 1, 1], [0, 1, 1, 1], { average: 'none' });
 * // s.precision = [1, 2/3], s.recall = [0.5, 1], s.f1 = [2/3, 0.8], s.support = [2, 2]
 * precisionRecallF1([0, 0, 1, 1], [0, 1, 1, 1]).f1; // (2/3 + 0.8) / 2
 */
export function precisionRecallF1(yTrue: Labels, yPred: Labels, options: PrecisionRecallF1Options<'none'> & { average: 'none' }): PerClassScores;
export function precisionRecallF1(yTrue: Labels, yPred: Labels, options?: PrecisionRecallF1Options<'macro' | 'micro' | 'weighted'>): AveragedScores;
export function precisionRecallF1(yTrue: Labels, yPred: Labels, options: PrecisionRecallF1Options = {}): PerClassScores | AveragedScores {
  const fn = 'precisionRecallF1';
  const CLASSES = { kind: 'number', integer: true, min: 1 } as const;
  checkOptions(fn, options, { average: { kind: 'enum', values: ['macro', 'micro', 'weighted', 'none'] }, nClasses: CLASSES, numClasses: CLASSES });
  if (options.nClasses !== undefined && options.numClasses !== undefined) {
    throw new TypeError(`${fn}: pass options.nClasses only (options.numClasses is its deprecated name), got both`);
  }
  const { average = 'macro' } = options;
  const numClasses = options.nClasses ?? options.numClasses;
  const C = confusionMatrix(yTrue, yPred, numClasses);
  const n = len(yTrue, fn, 'yTrue');
  const k = C.length;
  // The classes scored: all 0..k-1 when numClasses is given, else those present in either input.
  const present: number[] = [];
  for (let c = 0; c < k; c++) {
    let rowSum = 0, colSum = 0;
    for (let j = 0; j < k; j++) { rowSum += C[c][j]; colSum += C[j][c]; }
    if (numClasses !== undefined || rowSum + colSum > 0) present.push(c);
  }
  const m = present.length;
  const out: PerClassScores = {
    labels: Int32Array.from(present),
    precision: new Float64Array(m), recall: new Float64Array(m), f1: new Float64Array(m), support: new Int32Array(m),
  };
  let tpSum = 0, fpSum = 0, fnSum = 0;
  present.forEach((c, i) => {
    const tp = C[c][c];
    let predicted = 0, actual = 0;
    for (let j = 0; j < k; j++) { predicted += C[j][c]; actual += C[c][j]; }
    const p = predicted > 0 ? tp / predicted : 0;
    const r = actual > 0 ? tp / actual : 0;
    out.precision[i] = p;
    out.recall[i] = r;
    out.f1[i] = p + r > 0 ? (2 * p * r) / (p + r) : 0;
    out.support[i] = actual;
    tpSum += tp;
    fpSum += predicted - tp;
    fnSum += actual - tp;
  });
  if (average === 'none') return out;
  if (average === 'micro') {
    const p = tpSum + fpSum > 0 ? tpSum / (tpSum + fpSum) : 0;
    const r = tpSum + fnSum > 0 ? tpSum / (tpSum + fnSum) : 0;
    return { precision: p, recall: r, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0, support: n };
  }
  const mean = (a: Float64Array): number => {
    let s = 0, w = 0;
    for (let i = 0; i < m; i++) {
      const wi = average === 'weighted' ? out.support[i] : 1;
      s += wi * a[i];
      w += wi;
    }
    return w > 0 ? s / w : 0;
  };
  return { precision: mean(out.precision), recall: mean(out.recall), f1: mean(out.f1), support: n };
}

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /** Probabilities are clipped to `[eps, 1 - eps]`. Default `1e-15`. */
  eps?: number;
}

/**
 * The mean negative log-likelihood of the true classes (scikit-learn `log_loss`, as in 1.2):
 * `-(1/n) Σ_i log p_i[yTrue_i]`.
 *
 * `probs` is row-major `n × numClasses` (row i = sample i's class probabilities). As scikit-learn
 * does, each probability is clipped to `[eps, 1 - eps]` and each row is then divided by its sum,
 * so a zero probability gives a large finite loss instead of Infinity. For `numClasses = 2`,
 * `probs` may also hold one probability per sample, that of class 1.
 *
 * Defaults: `eps = 1e-15`.
 *
 * @example
 * logLoss([0, 1], Float64Array.from([0.9, 0.1, 0.2, 0.8]), 2); // (-ln 0.9 - ln 0.8) / 2 ≈ 0.1643
 * logLoss([0, 1], Float64Array.from([0.1, 0.8]), 2);           // the same, as P(class 1)
 */
export function logLoss(yTrue: Labels, probs: Float32Array | Float64Array | ArrayLike<number>, numClasses: number, options: LogLossOptions = {}): number {
  const fn = 'logLoss';
  const n = len(yTrue, fn, 'yTrue');
  const total = len(probs, fn, 'probs');
  checkNumber(fn, 'numClasses', numClasses, { kind: 'number', integer: true, min: 2, fix: 'Pass the number of columns of probs.' });
  const { eps = 1e-15 } = checkOptions(fn, options, { eps: { kind: 'number', min: 0, max: 0.5, minOpen: true, maxOpen: true, fix: 'The usual value is 1e-15.' } });
  if (n === 0) throw new RangeError(`${fn}: yTrue is empty; log loss needs at least one sample`);
  const binary = numClasses === 2 && total === n;
  if (!binary && total !== n * numClasses) {
    throw new RangeError(`${fn}: probs has ${total} values but yTrue has ${n} samples × numClasses ${numClasses} = ${n * numClasses}; pass row-major probabilities, one row per sample`);
  }
  const clip = (p: number): number => (p < eps ? eps : p > 1 - eps ? 1 - eps : p);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    checkLabel(t, fn, 'yTrue', i, numClasses);
    let rowSum = 0, pt = 0;
    if (binary) {
      if (Number.isNaN(probs[i])) throw new RangeError(`${fn}: probs[${i}] is NaN; probabilities must be numbers in [0, 1]`);
      const p1 = clip(probs[i]);
      const p0 = clip(1 - probs[i]);
      rowSum = p0 + p1;
      pt = t === 1 ? p1 : p0;
    } else {
      for (let c = 0; c < numClasses; c++) {
        const raw = probs[i * numClasses + c];
        if (Number.isNaN(raw)) throw new RangeError(`${fn}: probs[${i * numClasses + c}] (sample ${i}, class ${c}) is NaN; probabilities must be numbers in [0, 1]`);
        const p = clip(raw);
        rowSum += p;
        if (c === t) pt = p;
      }
    }
    sum -= Math.log(pt / rowSum);
  }
  return sum / n;
}

function regressionPair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, fn: string): number {
  return pair(yTrue, yPred, fn);
}

/**
 * The mean of the squared errors, `(1/n) Σ (yTrue_i - yPred_i)²` (scikit-learn `mean_squared_error`).
 *
 * @example
 * meanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.375
 */
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = regressionPair(yTrue, yPred, 'meanSquaredError');
  let s = 0;
  for (let i = 0; i < n; i++) { const d = yTrue[i] - yPred[i]; s += d * d; }
  return s / n;
}

/**
 * The mean of the absolute errors, `(1/n) Σ |yTrue_i - yPred_i|` (scikit-learn `mean_absolute_error`).
 *
 * @example
 * meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.5
 */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = regressionPair(yTrue, yPred, 'meanAbsoluteError');
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return s / n;
}

/**
 * The coefficient of determination `R² = 1 - Σ(yTrue - yPred)² / Σ(yTrue - mean(yTrue))²`
 * (scikit-learn `r2_score`). 1 is a perfect fit, 0 is as good as predicting the mean, and it can
 * be negative. When `yTrue` is constant the ratio is undefined; as scikit-learn does
 * (`force_finite=True`), the result is then 1 for a perfect prediction and 0 otherwise.
 *
 * @example
 * r2Score([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // ≈ 0.9486
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = regressionPair(yTrue, yPred, 'r2Score');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let ssRes = 0, ssTot = 0;
  for (let i = 0; i < n; i++) {
    const d = yTrue[i] - yPred[i];
    const e = yTrue[i] - mean;
    ssRes += d * d;
    ssTot += e * e;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
