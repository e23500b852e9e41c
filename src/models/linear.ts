/**
 * Linear models: one dense layer (weight nFeatures×outputs, intercept) under a loss. Weights
 * start at zero (the objectives are convex). X is `{ data, shape: [rows, nFeatures] }` or an array
 * of rows; labels are arrays or typed arrays, one per row.
 */
import type { LossName } from '../losses/specs.js';
import type { PenaltyName } from '../losses/penalties.js';
import type { LabelInput, MatrixInput } from '../losses/validate.js';
import { describe } from '../util/describe.js';
import { COUNT, checkOptions, type Rules } from '../util/options.js';
import {
  buildThen, checkC, checkModelJSON, DELTA, DenseModel, N_FEATURES, PENALTY_RULES, type DenseSpec, type ModelJSON, type PenaltyOptions,
} from './base.js';

const linearNames = (_l: number, kind: 'weight' | 'bias') => kind;

interface CommonOptions extends PenaltyOptions {
  /** Number of input features (columns of X). Required. */
  nFeatures: number;
  /** Fit an intercept (default true); it is never penalized. */
  fitIntercept?: boolean;
}

const COMMON_RULES: Rules = { nFeatures: N_FEATURES, fitIntercept: { kind: 'boolean' }, ...PENALTY_RULES };
const N_CLASSES = { kind: 'number', integer: true, min: 2, fix: 'Pass the number of classes, e.g. nClasses: 3.' } as const;

function common(type: string, o: CommonOptions, defaults: { penalty: PenaltyName; C?: number }) {
  const C = checkC(type, (o as { C?: number }).C ?? defaults.C, o.alpha);
  return {
    nFeatures: o.nFeatures,
    bias: o.fitIntercept ?? true,
    penalty: o.penalty ?? (C !== undefined ? 'l2' : defaults.penalty),
    alpha: o.alpha ?? 1e-4,
    l1Ratio: o.l1Ratio ?? 0.15,
    C,
  };
}

export interface LinearRegressionOptions extends CommonOptions {
  /** Targets per row (default 1). */
  nOutputs?: number;
  /** 'mse' (default, PyTorch's (p − t)², no ½), 'mae' or 'huber'. */
  loss?: 'mse' | 'mae' | 'huber';
  /** Huber's delta (default 1). */
  delta?: number;
}

/**
 * Linear regression: ŷ = X·W + b, objective mean loss + α·R(W) (loss 'mse' by default).
 * Options: nFeatures (required), nOutputs 1, loss 'mse' | 'mae' | 'huber', delta 1,
 * penalty 'none' | 'l2' | 'l1' | 'elasticnet' (default 'none'), alpha 1e-4, l1Ratio 0.15,
 * fitIntercept true.
 * @example
 * const m = new LinearRegression({ nFeatures: 2 });
 * m.parameters()[0].data.set([2, -1]);      // the weight, zero-copy
 * m.predict([[1, 1]]);                      // Float32Array [1]
 * m.lossAndGrad([[1, 1]], [3]);             // (1 − 3)² = 4; gradients in .grad
 * Reference: sklearn.linear_model.LinearRegression / SGDRegressor.
 */
export class LinearRegression extends DenseModel {
  constructor(options: LinearRegressionOptions) {
    const T = 'LinearRegression';
    const { C: _noC, ...rules } = COMMON_RULES;
    checkOptions(T, options, { ...rules, nOutputs: COUNT, loss: { kind: 'enum', values: ['mse', 'mae', 'huber'] }, delta: DELTA });
    const c = common(T, options, { penalty: 'none' });
    const spec: DenseSpec = {
      type: T, task: 'regression', sizes: [c.nFeatures, options.nOutputs ?? 1], hiddenActivation: 'identity', slope: 0, bias: c.bias,
      loss: options.loss ?? 'mse', delta: options.delta ?? 1, numClasses: 0, penalty: c.penalty, alpha: c.alpha, l1Ratio: c.l1Ratio, C: undefined,
    };
    super(spec, 'zeros', 0, linearNames);
  }

  /** Values, a new Float32Array of rows×nOutputs. */
  override predict(X: MatrixInput): Float32Array {
    return super.predict(X) as Float32Array;
  }

  protected jsonOptions() {
    const s = this.spec;
    return { nFeatures: this.nFeatures, nOutputs: this.nOutputs, loss: s.loss, delta: s.delta, penalty: s.penalty, alpha: s.alpha, l1Ratio: s.l1Ratio, fitIntercept: s.bias };
  }

  /**
   * Rebuilds a model from `toJSON()` output (on the running backend). A malformed JSON (unknown
   * version, options or parameter names, wrong sizes, non-finite values) is refused and nothing is
   * kept in memory.
   * @example
   * const copy = LinearRegression.fromJSON(model.toJSON());
   */
  static fromJSON(json: ModelJSON): LinearRegression {
    const o = checkModelJSON(json, 'LinearRegression') as unknown as LinearRegressionOptions;
    return buildThen(() => new LinearRegression(o), (m) => m.loadParams(json));
  }
}

export interface LogisticOptions extends CommonOptions {
  /**
   * sklearn's objective C·Σ w_i·(−log p_i) + R(W) (R with α = 1, ½‖W‖² by default) instead of
   * mean loss + α·R(W). Not together with alpha.
   */
  C?: number;
}

export interface LogisticRegressionOptions extends LogisticOptions {
  /**
   * 2 (default): binary, one logit. More: one-vs-rest (sklearn's multi_class='ovr'), one binary
   * logistic regression per class trained together, labels 0..nClasses−1.
   */
  nClasses?: number;
}

/**
 * The linear classifiers' shared half: one dense layer scored by `spec.loss`, `nClasses`, the
 * class-index predict and the penalty part of the JSON options. Not constructed directly: use
 * {@link LogisticRegression}, {@link SoftmaxRegression} or {@link LinearSVM} (their examples show
 * the shared members). Internal: not exported from the package entries.
 * Reference: sklearn.linear_model's LinearClassifierMixin.
 */
export abstract class LinearClassifier extends DenseModel {
  /** Number of classes (2 for a binary model). */
  readonly nClasses: number;

  protected constructor(type: string, c: ReturnType<typeof common>, K: number, loss: LossName, delta: number, oneVsRest?: boolean) {
    const wide = K > 2 || loss === 'softmax-cross-entropy';
    super({
      type, task: wide ? 'multiclass' : 'binary', sizes: [c.nFeatures, wide ? K : 1], hiddenActivation: 'identity', slope: 0, bias: c.bias,
      loss, delta, numClasses: K, penalty: c.penalty, alpha: c.alpha, l1Ratio: c.l1Ratio, C: c.C, ...(oneVsRest !== undefined ? { oneVsRest } : {}),
    }, 'zeros', 0, linearNames);
    this.nClasses = K;
  }

  /** @deprecated Use {@link nClasses} (the constructor's name for it). */
  get numClasses(): number {
    return this.nClasses;
  }

  /** Class indices (Int32Array), one per row. */
  override predict(X: MatrixInput): Int32Array {
    return super.predict(X) as Int32Array;
  }

  /** The options every classifier writes to JSON after its own: penalty, C or alpha, l1Ratio, fitIntercept. */
  protected penaltyJSON() {
    const s = this.spec;
    return { penalty: s.penalty, ...(s.C !== undefined ? { C: s.C } : { alpha: s.alpha }), l1Ratio: s.l1Ratio, fitIntercept: s.bias };
  }

  /** `fromJSON` for a classifier of `type`: checks the JSON, builds with `make`, loads the values. */
  protected static rebuild<M extends LinearClassifier>(json: ModelJSON, type: string, make: (o: never) => M): M {
    const o = checkModelJSON(json, type) as never;
    return buildThen(() => make(o), (m) => m.loadParams(json));
  }
}

/**
 * Logistic regression. Binary (default): p = σ(X·w + b), binary cross-entropy on the logit, labels
 * 0/1. With `nClasses` K > 2, one-vs-rest: K independent sigmoid outputs, output c's target is
 * [label = c], the loss is the mean binary cross-entropy over all rows×K outputs, predict takes the
 * largest logit and predictProba normalizes the K sigmoids per row (as sklearn's OvR). Objective:
 * mean BCE + α·R(W) (penalty default 'none'), or with `C`: C·Σ BCE + R(W) as sklearn's
 * LogisticRegression (penalty default 'l2', so C·Σ BCE + ½‖W‖²).
 * predict gives class indices (Int32Array): binary, 1 where the logit is >= 0; one-vs-rest, the
 * largest logit's class.
 * @example
 * const m = new LogisticRegression({ nFeatures: 1 });
 * m.parameters()[0].data[0] = 2;
 * m.predictProba([[0], [10]]); // rows×2: [0.5, 0.5, ~0, ~1]
 * m.predict([[-1], [1]]);      // Int32Array [0, 1]
 * const ovr = new LogisticRegression({ nFeatures: 64, nClasses: 10 }); // one-vs-rest, 10 logits
 * Reference: sklearn.linear_model.LogisticRegression (binary and multi_class='ovr'), SGDClassifier(loss='log_loss').
 */
export class LogisticRegression extends LinearClassifier {
  constructor(options: LogisticRegressionOptions) {
    const T = 'LogisticRegression';
    checkOptions(T, options, { ...COMMON_RULES, nClasses: N_CLASSES });
    const K = options.nClasses ?? 2;
    super(T, common(T, options, { penalty: 'none' }), K, 'bce', 1, K > 2);
  }

  /** Probabilities rows×classes (a new Float32Array): binary [P(0), P(1)]; one-vs-rest, the sigmoids normalized per row. */
  predictProba(X: MatrixInput): Float32Array {
    return this.probabilities(X, 'LogisticRegression.predictProba');
  }

  protected jsonOptions() {
    return { nFeatures: this.nFeatures, ...(this.nClasses > 2 ? { nClasses: this.nClasses } : {}), ...this.penaltyJSON() };
  }

  /** Rebuilds a model from `toJSON()` output, as {@link LinearRegression.fromJSON}. */
  static fromJSON(json: ModelJSON): LogisticRegression {
    return LinearClassifier.rebuild(json, 'LogisticRegression', (o: LogisticRegressionOptions) => new LogisticRegression(o));
  }
}

export interface SoftmaxOptions extends LogisticOptions {
  /** Number of classes (>= 2). Required. */
  nClasses: number;
}

/**
 * Multinomial logistic regression: p = softmax(X·W + b), softmax cross-entropy with integer
 * labels 0..nClasses−1. Objective as {@link LogisticRegression} (mean + α·R, or C·Σ + R with C).
 * predict gives the argmax of the logits (Int32Array).
 * @example
 * const m = new SoftmaxRegression({ nFeatures: 4, nClasses: 3 });
 * m.lossAndGrad([[1, 2, 3, 4]], [2]); // log 3 at the zero start
 * Reference: sklearn.linear_model.LogisticRegression(multi_class='multinomial').
 */
export class SoftmaxRegression extends LinearClassifier {
  constructor(options: SoftmaxOptions) {
    const T = 'SoftmaxRegression';
    checkOptions(T, options, { ...COMMON_RULES, nClasses: { ...N_CLASSES, required: true } });
    super(T, common(T, options, { penalty: 'none' }), options.nClasses, 'softmax-cross-entropy', 1);
  }

  /** Probabilities rows×nClasses (a new Float32Array). */
  predictProba(X: MatrixInput): Float32Array {
    return this.probabilities(X, 'SoftmaxRegression.predictProba');
  }

  protected jsonOptions() {
    return { nFeatures: this.nFeatures, nClasses: this.nClasses, ...this.penaltyJSON() };
  }

  /** Rebuilds a model from `toJSON()` output, as {@link LinearRegression.fromJSON}. */
  static fromJSON(json: ModelJSON): SoftmaxRegression {
    return LinearClassifier.rebuild(json, 'SoftmaxRegression', (o: SoftmaxOptions) => new SoftmaxRegression(o));
  }
}

export interface LinearSVMOptions extends LogisticOptions {
  /** 2 (default: binary, one score) or more (Weston–Watkins multiclass hinge, one score per class). */
  nClasses?: number;
  /** Binary loss: 'hinge' (default) or 'squared-hinge'. Multiclass always uses the multiclass hinge. */
  loss?: 'hinge' | 'squared-hinge';
  /** Multiclass margin Δ (default 1). */
  delta?: number;
}

/**
 * Linear support vector machine trained on the hinge loss: binary (labels 0/1, or −1/1; score
 * s = X·w + b, ℓ = max(0, 1 − y·s)) or, with nClasses > 2, the Weston–Watkins multiclass hinge
 * Σ_{j≠y} max(0, s_j − s_y + Δ). Penalty default 'l2' with alpha 1e-4 (sklearn SGDClassifier's
 * defaults); `C` gives LinearSVC's form C·Σ ℓ + ½‖W‖². No probabilities: use decisionFunction().
 * predict gives class indices (Int32Array): score >= 0 → 1 (binary), else the argmax of the scores.
 * @example
 * const svm = new LinearSVM({ nFeatures: 2, nClasses: 3 });
 * svm.lossAndGrad([[1, 0]], [1]); // 2 (two violated margins of 1) + the penalty
 * Reference: sklearn SGDClassifier(loss='hinge'), LinearSVC; cs231n's multiclass SVM loss.
 */
export class LinearSVM extends LinearClassifier {
  constructor(options: LinearSVMOptions) {
    const T = 'LinearSVM';
    checkOptions(T, options, { ...COMMON_RULES, nClasses: N_CLASSES, loss: { kind: 'enum', values: ['hinge', 'squared-hinge'] }, delta: DELTA });
    const c = common(T, options, { penalty: 'l2' });
    const K = options.nClasses ?? 2;
    if (K > 2 && options.loss !== undefined) throw new TypeError(`${T}: options.loss applies to binary models; with nClasses ${K} the multiclass hinge is used, drop options.loss (got ${describe(options.loss)})`);
    super(T, c, K, K > 2 ? 'multiclass-hinge' : options.loss ?? 'hinge', options.delta ?? 1);
  }

  protected jsonOptions() {
    return { nFeatures: this.nFeatures, nClasses: this.nClasses, ...(this.nClasses === 2 ? { loss: this.spec.loss } : {}), delta: this.spec.delta, ...this.penaltyJSON() };
  }

  /** Rebuilds a model from `toJSON()` output, as {@link LinearRegression.fromJSON}. */
  static fromJSON(json: ModelJSON): LinearSVM {
    return LinearClassifier.rebuild(json, 'LinearSVM', (o: LinearSVMOptions) => new LinearSVM(o));
  }
}

export type { LabelInput, MatrixInput };
