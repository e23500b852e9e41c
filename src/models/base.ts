/**
 * The engine under every model: a stack of dense layers (weight in×out, optional bias, an
 * activation), a loss on the last layer's output, and penalties on the weights. Linear models are
 * one identity layer; the MLP is several. Forward and backward are kernel calls on workspaces
 * preallocated per batch size, so a training step allocates no memory.
 *
 * Per layer l with input A (rows×in): Z = A·W (f32_gemm NN) then A' = act(Z + b) in place
 * (f32_bias_act_rows). Backward from G = ∂L/∂A': G ⊙= act'(A') (f32_act_backward, from the
 * output), ∂W = Aᵀ·G (f32_gemm TN), ∂b = Σ_rows G (f32_col_sum), and G_prev = G·Wᵀ (f32_gemm NT).
 */
import type { Backend } from '../backend/index.js';
import { getBackend } from '../init.js';
import { LOSSES, lossValue64, callLossKernel, type LossName, type LossSpec } from '../losses/specs.js';
import { penaltyCoefficients, type PenaltyName } from '../losses/penalties.js';
import {
  checkLabels, checkMatrix, checkWeights, firstNonFinite, nonFiniteError,
  type CheckedMatrix, type LabelInput, type MatrixInput,
} from '../losses/validate.js';
import { Param, Tensor } from '../tensor.js';
import { describe } from '../util/describe.js';
import { decodeArray, encodeArray } from '../util/json.js';
import { checkNumber, checkOptions, checkValue, type NumberRule, type Rules } from '../util/options.js';
import { Prng } from '../util/prng.js';
import { ACT_IDENTITY, ACT_LEAKY_RELU, ACT_RELU, ACT_SIGMOID, ACT_TANH } from '../wasm/constants.gen.js';

/** What a model predicts: values ('regression'), one of two classes ('binary'), one of several ('multiclass'). */
export type Task = 'regression' | 'binary' | 'multiclass';
export type Activation = 'identity' | 'relu' | 'leaky-relu' | 'tanh' | 'sigmoid';
export type Init = 'he' | 'xavier' | 'lecun' | 'zeros';

export const ACTIVATIONS: readonly Activation[] = ['identity', 'relu', 'leaky-relu', 'tanh', 'sigmoid'];
const ACT_CODE: Record<Activation, number> = {
  'identity': ACT_IDENTITY, 'relu': ACT_RELU, 'leaky-relu': ACT_LEAKY_RELU, 'tanh': ACT_TANH, 'sigmoid': ACT_SIGMOID,
};

/** Options of every model's loss calls (`loss`, `lossAndGrad`, `loss64`). */
export interface ModelLossOptions {
  /** One weight >= 0 per row (default all 1); 'mean' objectives become weighted means. */
  sampleWeight?: ArrayLike<number>;
  /**
   * true: the caller has already checked that X holds no NaN or ±Infinity (with
   * {@link DenseModel.checkData}, as fit() does once for the whole data set before the first step),
   * so this call skips that scan. Default false. Labels are checked on every call (a cheap scan, and
   * a bad class index must never reach a kernel), except in fit()'s own batches, whose labels fit
   * checked whole before the first step.
   */
  checked?: boolean;
}

/**
 * @internal The options fit() passes with its own batches ({ checked: true }, frozen, so checked once
 * here): X is fit's batch matrix (the same object every batch, its rows checked by checkData before
 * the first step), y fit's own label array (gathered from fit's copy of y, which checkData checked
 * whole). The model keeps the shape check of the last such X while its data and shape are
 * unchanged, and copies the labels into its targets without checking them again.
 */
export const FIT_BATCH: ModelLossOptions = Object.freeze({ checked: true });

const LOSS_OPTIONS: Rules = {
  sampleWeight: { kind: 'any' },
  checked: { kind: 'boolean', fix: 'Pass checked: true only for data already passed through checkData().' },
};

/** How a caller (fit) names the data in the messages of {@link DenseModel.checkData}, and what it has checked already. */
export interface DataNames {
  /**
   * true: the caller has just checked every value of X finite itself (fit() does, on the array it
   * passes), so checkData skips that scan; the columns and the labels are checked either way.
   * Default false.
   */
  xFinite?: boolean;
  /** The calling function, e.g. 'fit'. */
  fn: string;
  /** The caller's name for X, e.g. 'X' or 'options.validationData[0]'. */
  X: string;
  /** The caller's name for y. */
  y: string;
}

/** The penalty options shared by all models (sklearn SGD naming); the intercepts are never penalized. */
export interface PenaltyOptions {
  /** 'none' (default for most models), 'l2', 'l1' or 'elasticnet'. */
  penalty?: PenaltyName;
  /** Penalty strength α (default 1e-4). */
  alpha?: number;
  /** Elastic-net mixing ρ in [0, 1] (default 0.15): α·(ρ‖W‖₁ + ½(1 − ρ)‖W‖²). */
  l1Ratio?: number;
}

/** The serialized form of every model (`toJSON()` / `fromJSON()`). */
export interface ModelJSON {
  format: 'descent-model';
  version: 1;
  type: string;
  options: Record<string, unknown>;
  /** Parameter values by name, row-major. */
  params: Record<string, number[]>;
}

interface Layer {
  W: Param;
  b: Param | null;
  nIn: number;
  nOut: number;
  act: number;
}

/** Buffers for one batch size (capacity rows); all kernels run on these. */
class Workspace {
  readonly X: Tensor;
  readonly acts: Tensor[];
  readonly grads: Tensor[];
  readonly T: Tensor;
  readonly W: Tensor;
  private labelView: Int32Array | null = null;
  private labelGen = -1;
  /** One-vs-rest models: the class labels, checked here before they become one-hot targets in T. */
  private classes: Int32Array | null = null;

  constructor(readonly rows: number, readonly backend: Backend, nIn: number, outs: number[], targetsPerRow: number) {
    const made: Tensor[] = [];
    const make = (n: number) => {
      const t = new Tensor(n, 'workspace');
      made.push(t);
      return t;
    };
    try {
      this.X = make(rows * nIn);
      this.acts = outs.map((o) => make(rows * o));
      this.grads = outs.map((o) => make(rows * o));
      this.T = make(rows * targetsPerRow);
      this.W = make(rows);
    } catch (e) {
      for (const t of made) t.dispose(); // out of memory part-way: give back what was taken
      throw e;
    }
  }

  /** The targets block seen as int32 (class labels). */
  labels(): Int32Array {
    const a = this.backend.arena;
    if (this.labelView === null || this.labelGen !== a.generation || this.labelView.buffer !== a.buffer) {
      this.labelView = new Int32Array(a.buffer, this.T.ptr, this.T.size);
      this.labelGen = a.generation;
    }
    return this.labelView;
  }

  classScratch(): Int32Array {
    return (this.classes ??= new Int32Array(this.rows));
  }

  dispose(): void {
    this.X.dispose();
    this.acts.forEach((t) => t.dispose());
    this.grads.forEach((t) => t.dispose());
    this.T.dispose();
    this.W.dispose();
  }
}

/** Workspaces kept per model (the training batch size, the last partial batch, prediction chunks). */
const MAX_WORKSPACES = 3;
/** Rows per chunk when predicting on many rows. */
const PREDICT_CHUNK = 512;

export interface DenseSpec {
  type: string;
  task: Task;
  sizes: number[];
  hiddenActivation: Activation;
  slope: number;
  bias: boolean;
  loss: LossName;
  delta: number;
  numClasses: number;
  penalty: PenaltyName;
  alpha: number;
  l1Ratio: number;
  /** sklearn-style objective C·Σ w_i ℓ_i + R(W) (R with α = 1) instead of mean + α·R. */
  C: number | undefined;
  /**
   * One-vs-rest classification with the 'bce' loss: one sigmoid output per class, labels are class
   * indices, and each output's target is 1 for its class and 0 otherwise (sklearn's multi_class='ovr').
   */
  oneVsRest?: boolean;
}

/**
 * The shared implementation of all models. Not exported from the package: use the models.
 */
export abstract class DenseModel {
  /** 'regression', 'binary' or 'multiclass'. */
  readonly task: Task;
  /** Columns of the model's raw output (logits or predictions). */
  readonly nOutputs: number;
  /** Columns of X (the constructor's `nFeatures`). */
  readonly nFeatures: number;
  protected readonly spec: DenseSpec;
  protected readonly lossSpec: LossSpec;
  protected readonly layers: Layer[];
  private readonly backend: Backend;
  private readonly coef: { l1: number; l2: number };
  private readonly workspaces: Workspace[] = [];
  /** fit's batch matrix as last checked (batchMatrix). */
  private lastBatch: { x: MatrixInput; data: Float32Array; m: CheckedMatrix } | null = null;
  private disposed = false;

  protected constructor(spec: DenseSpec, init: Init, seed: number, names: (l: number, kind: 'weight' | 'bias') => string) {
    this.spec = spec;
    this.lossSpec = LOSSES[spec.loss];
    this.task = spec.task;
    this.nFeatures = spec.sizes[0];
    this.nOutputs = spec.sizes[spec.sizes.length - 1];
    const fn = `${spec.type}`;
    this.coef = penaltyCoefficients(spec.penalty, spec.C !== undefined ? 1 : spec.alpha, spec.l1Ratio, fn);
    this.backend = getBackend();
    const rng = new Prng(seed);
    this.layers = [];
    const L = spec.sizes.length - 1;
    const made: Param[] = [];
    try {
      for (let l = 0; l < L; l++) {
        const nIn = spec.sizes[l], nOut = spec.sizes[l + 1];
        const W = new Param(nIn * nOut, names(l, 'weight'));
        made.push(W);
        const b = spec.bias ? new Param(nOut, names(l, 'bias')) : null;
        if (b) made.push(b);
        if (init !== 'zeros') {
          const std = init === 'he' ? Math.sqrt(2 / nIn) : init === 'xavier' ? Math.sqrt(2 / (nIn + nOut)) : Math.sqrt(1 / nIn);
          const w = W.data;
          for (let i = 0; i < w.length; i++) w[i] = std * rng.nextNormal();
        }
        const act = l === L - 1 ? ACT_IDENTITY : ACT_CODE[spec.hiddenActivation];
        this.layers.push({ W, b, nIn, nOut, act });
      }
    } catch (e) {
      // Out of memory part-way (one huge layer): give back every layer made so far.
      for (const p of made) p.dispose();
      this.disposed = true;
      throw e;
    }
  }

  /** @deprecated Use {@link nFeatures} (the constructor's name for it). */
  get numFeatures(): number {
    return this.nFeatures;
  }

  /** @deprecated Use {@link nOutputs}. */
  get numOutputs(): number {
    return this.nOutputs;
  }

  /** The trainable parameters (weights and biases, layer by layer); `.data`/`.grad` are zero-copy views. */
  parameters(): Param[] {
    this.live('parameters');
    const out: Param[] = [];
    for (const l of this.layers) {
      out.push(l.W);
      if (l.b) out.push(l.b);
    }
    return out;
  }

  /**
   * The objective on (X, y) and its gradient, written (not accumulated) into every parameter's
   * `.grad`. Objective: the loss's weighted mean plus α·R(W) — or C·Σ w_i ℓ_i + R(W) when the model
   * was built with `C` — with R over weights only. Validates X (shape, NaN/Inf named by row and
   * column, unless `checked`) and y (range) on every call. X that lives in the backend's memory (a
   * tensor's `.data`, 16-byte aligned) is read in place.
   * @param options `sampleWeight` (default all 1), `checked` (default false): see {@link ModelLossOptions}.
   * @example
   * const m = new LinearRegression({ nFeatures: 1 });
   * m.lossAndGrad([[1], [2]], [2, 4]); // 10; the gradients are in m.parameters()[i].grad
   */
  lossAndGrad(X: MatrixInput, y: LabelInput, options: ModelLossOptions = {}): number {
    return this.objective(X, y, options, true, 'lossAndGrad');
  }

  /**
   * The objective of {@link lossAndGrad} without touching any gradient.
   * @example
   * new LinearRegression({ nFeatures: 1 }).loss([[1]], [3]); // 9 at the zero start
   */
  loss(X: MatrixInput, y: LabelInput, options: ModelLossOptions = {}): number {
    return this.objective(X, y, options, false, 'loss');
  }

  /**
   * Checks a whole data set once, as fit() does before its first step: X's shape and columns, every
   * value finite, and every label valid for this model (class indices in range, 0/1 for binary
   * models, finite targets), naming the caller's function and arguments (`names`) and the index in
   * the caller's arrays. After it, batches of these rows may be passed with `{ checked: true }`.
   * @example
   * model.checkData({ data: Float32Array.from([1, 2]), shape: [2, 1] }, [0, 1]); // throws on a bad value or label
   */
  checkData(X: MatrixInput, y: LabelInput, names: DataNames = { fn: `${this.spec.type}.checkData`, X: 'X', y: 'y' }): void {
    this.live('checkData');
    const m = checkMatrix(X, names.fn, names.X, this.nFeatures, 'features', this.backend.memory);
    const rows = m.rows;
    const flat = m.flat;
    if (flat) {
      // fit passes its own array, scanned by fit just before this call
      const bad = names.xFinite === true ? -1 : firstNonFinite(flat);
      if (bad >= 0) throw nonFiniteError(names.fn, names.X, m.valueAt(bad), bad, this.nFeatures);
    } else {
      const xs = new Float32Array(rows * this.nFeatures);
      m.copyTo(xs);
      const bad = firstNonFinite(xs);
      if (bad >= 0) throw nonFiniteError(names.fn, names.X, m.valueAt(bad), bad, this.nFeatures);
    }
    const targets = this.lossSpec.targets === 'class' ? new Int32Array(rows) : new Float32Array(rows * this.targetsPerRow());
    this.readTargets(y, rows, targets, this.spec.oneVsRest ? new Int32Array(rows) : null, names.fn, names.y);
  }

  /**
   * The same objective evaluated in float64 plain JS on the current parameter values (a mirror of
   * the forward pass, independent of the kernels): what {@link gradcheck} differentiates.
   */
  loss64(X: MatrixInput, y: LabelInput, options: ModelLossOptions = {}): number {
    const fn = `${this.spec.type}.loss64`;
    this.live('loss64');
    checkOptions(fn, options, LOSS_OPTIONS);
    const m = this.checkX(X, fn, false);
    const rows = m.rows;
    const xs = new Float32Array(rows * this.nFeatures);
    m.copyRows(xs, 0, rows);
    const bad = xs.findIndex((v) => v - v !== 0);
    if (bad >= 0) throw nonFiniteError(fn, 'X', m.valueAt(bad), bad, this.nFeatures);
    const targets = this.lossSpec.targets === 'class' ? new Int32Array(rows) : new Float32Array(rows * this.targetsPerRow());
    this.readTargets(y, rows, targets, this.spec.oneVsRest ? new Int32Array(rows) : null, fn);
    const w = new Float32Array(rows);
    const sumW = options.sampleWeight === undefined ? rows : checkWeights(options.sampleWeight, rows, w, fn);
    let a: Float64Array = Float64Array.from(xs);
    for (const l of this.layers) {
      const W = l.W.data, b = l.b?.data;
      const z = new Float64Array(rows * l.nOut);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < l.nOut; j++) {
          let s = b ? b[j] : 0;
          for (let k = 0; k < l.nIn; k++) s += a[i * l.nIn + k] * W[k * l.nOut + j];
          z[i * l.nOut + j] = act64(s, l.act, this.spec.slope);
        }
      }
      a = z;
    }
    let total = lossValue64(this.spec.loss, a, rows, this.nOutputs, targets, options.sampleWeight === undefined ? null : w, this.scale(sumW), this.spec.delta);
    for (const l of this.layers) {
      let abs = 0, sq = 0;
      for (const v of l.W.data) { abs += Math.abs(v); sq += v * v; }
      total += this.coef.l1 * abs + 0.5 * this.coef.l2 * sq;
    }
    return total;
  }

  /** The raw outputs (logits, scores or regression values): a new rows×nOutputs Float32Array. */
  decisionFunction(X: MatrixInput): Float32Array {
    const fn = `${this.spec.type}.decisionFunction`;
    return this.forwardChunks(X, fn, (ws, rows, out, r0) => {
      out.set(ws.acts[this.layers.length - 1].data.subarray(0, rows * this.nOutputs), r0 * this.nOutputs);
    }, this.nOutputs);
  }

  /**
   * Predictions as a new array: class indices (Int32Array) for classifiers — the larger logit's
   * class for one-logit binary models (logit >= 0 → 1) — and values (Float32Array, rows×outputs)
   * for regression.
   */
  predict(X: MatrixInput): Int32Array | Float32Array {
    const z = this.decisionFunction(X);
    if (this.task === 'regression') return z;
    const k = this.nOutputs, rows = k > 0 ? z.length / k : 0;
    const out = new Int32Array(rows);
    if (k === 1) {
      for (let i = 0; i < rows; i++) out[i] = z[i] >= 0 ? 1 : 0;
    } else {
      for (let i = 0; i < rows; i++) {
        let best = 0;
        for (let j = 1; j < k; j++) if (z[i * k + j] > z[i * k + best]) best = j;
        out[i] = best;
      }
    }
    return out;
  }

  /** Class probabilities, rows×classes (a new Float32Array), for probabilistic losses. */
  protected probabilities(X: MatrixInput, fn: string): Float32Array {
    const name = this.spec.loss;
    if (name !== 'bce' && name !== 'softmax-cross-entropy') {
      throw new TypeError(`${fn}: a model trained with the '${name}' loss has no probabilities; use decisionFunction() or predict()`);
    }
    const k = this.backend.k;
    const ovr = name === 'bce' && this.nOutputs > 1;
    const classes = name === 'bce' && !ovr ? 2 : this.nOutputs;
    return this.forwardChunks(X, fn, (ws, rows, out, r0) => {
      const z = ws.acts[this.layers.length - 1], g = ws.grads[this.layers.length - 1];
      if (ovr) {
        // sklearn's one-vs-rest probabilities: each class's sigmoid, rows normalized to sum 1.
        k.f32_sigmoid(g.ptr, z.ptr, rows * classes);
        const p = g.data;
        for (let i = 0; i < rows; i++) {
          let sum = 0;
          for (let j = 0; j < classes; j++) sum += p[i * classes + j];
          for (let j = 0; j < classes; j++) out[(r0 + i) * classes + j] = sum > 0 ? p[i * classes + j] / sum : 1 / classes;
        }
      } else if (name === 'bce') {
        k.f32_sigmoid(g.ptr, z.ptr, rows);
        const p = g.data;
        for (let i = 0; i < rows; i++) {
          out[(r0 + i) * 2] = 1 - p[i];
          out[(r0 + i) * 2 + 1] = p[i];
        }
      } else {
        k.f32_softmax_rows(g.ptr, z.ptr, rows, classes);
        out.set(g.data.subarray(0, rows * classes), r0 * classes);
      }
    }, classes);
  }

  /**
   * Allocates the workspace for batches of up to `rows` rows now (it is otherwise made at the first
   * call with that batch size), so that no training step allocates memory. Returns the model.
   */
  reserve(rows: number): this {
    this.live('reserve');
    this.workspace(checkCount(`${this.spec.type}.reserve`, 'rows', rows, 1));
    return this;
  }

  /** Frees the parameters and workspaces; using the model afterwards throws. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.workspaces.forEach((w) => w.dispose());
    this.workspaces.length = 0;
    for (const l of this.layers) {
      l.W.dispose();
      l.b?.dispose();
    }
  }

  /**
   * A plain-JSON snapshot: type, options and parameter values (float32 values as numbers, exact
   * through `JSON.stringify`). `modelFromJSON` (or the class's `fromJSON`) rebuilds it.
   * @example
   * const copy = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
   */
  toJSON(): ModelJSON {
    this.live('toJSON');
    const params: Record<string, number[]> = {};
    for (const p of this.parameters()) params[p.name!] = encodeArray(p.data) as number[];
    return { format: 'descent-model', version: 1, type: this.spec.type, options: this.jsonOptions(), params };
  }

  /** The constructor options that rebuild this model (without the parameters). */
  protected abstract jsonOptions(): Record<string, unknown>;

  /**
   * Checks every serialized parameter value (names, sizes, finite numbers) and only then copies them
   * in; on a bad value it throws and the model is unchanged.
   */
  protected loadParams(json: ModelJSON): this {
    const fn = `${this.spec.type}.fromJSON`;
    const params = json.params as unknown;
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw new TypeError(`${fn}: json.params must be an object of parameter values by name, got ${describe(params)}; pass the output of toJSON()`);
    }
    const mine = this.parameters();
    const names = mine.map((p) => p.name!);
    for (const key of Object.keys(params)) {
      if (!names.includes(key)) {
        throw new RangeError(`${fn}: json.params has ${describe(key)}, which this ${this.spec.type} does not have (its parameters are ${names.join(', ')}); pass the output of toJSON() of a model built with the same options`);
      }
    }
    const values = mine.map((p) =>
      decodeArray((params as Record<string, unknown>)[p.name!], `${fn}: json.params['${p.name}']`, p.size, { finite: true }));
    mine.forEach((p, i) => p.data.set(values[i]));
    return this;
  }

  // -- internals -------------------------------------------------------------------------------

  private live(what: string): void {
    if (this.disposed) throw new Error(`descent: this ${this.spec.type} was disposed; create a new one (${what})`);
    if (getBackend() !== this.backend) {
      throw new Error(`descent: this ${this.spec.type} was created on the ${this.backend.name} backend, which init() has since replaced with ${getBackend().name}; create it again`);
    }
  }

  private targetsPerRow(): number {
    return this.lossSpec.targets === 'class' ? 1 : this.nOutputs;
  }

  /** Checks y and writes the loss kernel's targets; one-vs-rest turns class labels into one-hot rows. */
  private readTargets(y: LabelInput, rows: number, targets: Float32Array | Int32Array, classes: Int32Array | null, fn: string, arg = 'y'): void {
    if (!classes) {
      checkLabels(y, rows, this.labelKind(), targets, fn, arg, this.targetsPerRow(), this.spec.numClasses);
      return;
    }
    const K = this.nOutputs;
    checkLabels(y, rows, 'class', classes, fn, arg, 1, K);
    targets.fill(0, 0, rows * K);
    for (let i = 0; i < rows; i++) targets[i * K + classes[i]] = 1;
  }

  /**
   * fit's batch labels into the loss kernel's targets, without readTargets' checks: they are fit's
   * own array (Int32Array classes or Float32Array targets, rows × targets per row), gathered from
   * its copy of y, which checkData checked whole before the first step.
   */
  private fitTargets(y: ArrayLike<number>, rows: number, targets: Float32Array | Int32Array): void {
    if (this.spec.oneVsRest) {
      const K = this.nOutputs;
      targets.fill(0, 0, rows * K);
      for (let i = 0; i < rows; i++) targets[i * K + y[i]] = 1;
      return;
    }
    const n = rows * this.targetsPerRow();
    for (let i = 0; i < n; i++) targets[i] = y[i];
  }

  private labelKind() {
    const t = this.lossSpec.targets;
    // models take hard labels for BCE (0/1); the loss functions also accept soft targets
    return t === 'soft' ? 'binary' as const : t;
  }

  private scale(sumW: number): number {
    if (this.spec.C !== undefined) return this.spec.C;
    return 1 / (sumW * (this.lossSpec.perRow ? 1 : this.nOutputs));
  }

  private checkX(X: MatrixInput, fn: string, allowEmpty: boolean): CheckedMatrix {
    const m = checkMatrix(X, fn, 'X', this.nFeatures, 'features', this.backend.memory);
    if (!allowEmpty && m.rows === 0) throw new RangeError(`${fn}: X has 0 rows; pass at least one row`);
    return m;
  }

  /** checkX for fit's batch matrix: the last result again while X's data (same, attached) and shape are unchanged. */
  private batchMatrix(X: MatrixInput, fn: string): CheckedMatrix {
    const c = this.lastBatch;
    const x = X as { data?: unknown; shape?: readonly number[] };
    if (c !== null && c.x === X && c.data === x.data && c.data.buffer === this.backend.arena.buffer &&
      x.shape?.[0] === c.m.rows && x.shape?.[1] === c.m.cols) return c.m;
    const m = this.checkX(X, fn, false);
    const data = x.data;
    this.lastBatch = data instanceof Float32Array ? { x: X, data, m } : null;
    return m;
  }

  private hasWorkspace(rows: number): boolean {
    const ws = this.workspaces;
    for (let i = 0; i < ws.length; i++) if (ws[i].rows >= rows) return true;
    return false;
  }

  /**
   * Checks X (every value finite in float32, unless `checkX` is false), the labels and the weights
   * without allocating any of the backend's memory.
   */
  private preflight(m: CheckedMatrix, y: LabelInput | undefined, sampleWeight: ArrayLike<number> | undefined, fn: string, checkX: boolean): void {
    const rows = m.rows, nf = this.nFeatures;
    if (checkX) {
      if (m.residentOffset >= 0) this.check(m.residentOffset, rows, fn, 0);
      else {
        let flat = m.flat;
        if (!flat) {
          flat = new Float32Array(rows * nf);
          m.copyTo(flat);
        }
        const bad = firstNonFinite(flat);
        if (bad >= 0) throw nonFiniteError(fn, 'X', m.valueAt(bad), bad, nf);
      }
    }
    if (y !== undefined) {
      const targets = this.lossSpec.targets === 'class' ? new Int32Array(rows) : new Float32Array(rows * this.targetsPerRow());
      this.readTargets(y, rows, targets, this.spec.oneVsRest ? new Int32Array(rows) : null, fn);
    }
    if (sampleWeight !== undefined) checkWeights(sampleWeight, rows, new Float32Array(rows), fn);
  }

  /** A workspace with room for `rows` rows: the smallest cached one that fits, else a new one. */
  private workspace(rows: number): Workspace {
    let best = -1;
    for (let i = 0; i < this.workspaces.length; i++) {
      const w = this.workspaces[i];
      if (w.rows >= rows && (best < 0 || w.rows < this.workspaces[best].rows)) best = i;
    }
    if (best >= 0) {
      const w = this.workspaces[best];
      if (best !== this.workspaces.length - 1) {
        this.workspaces.splice(best, 1);
        this.workspaces.push(w); // most recently used last
      }
      return w;
    }
    if (this.workspaces.length >= MAX_WORKSPACES) this.workspaces.shift()!.dispose();
    const w = new Workspace(rows, this.backend, this.nFeatures, this.layers.map((l) => l.nOut), this.targetsPerRow());
    this.workspaces.push(w);
    return w;
  }

  /** The byte address of X when it is a 16-byte aligned float32 view over this backend's memory, else -1. */
  private residentPtr(m: CheckedMatrix): number {
    return m.residentOffset >= 0 && m.residentOffset % 16 === 0 ? m.residentOffset : -1;
  }

  /**
   * Labels or weights that live in this backend's memory (a tensor's `.data`) are copied out before
   * the call allocates: growth would detach the caller's view. Anything else is returned as is.
   */
  private stable<T>(v: T): T {
    return ArrayBuffer.isView(v) && v.buffer === this.backend.arena.buffer ? ((v as unknown as Float32Array).slice() as unknown as T) : v;
  }

  /** The NaN/Inf check of load(), on rows from `r0` of X that are already in memory at `ptr`. */
  private check(ptr: number, rows: number, fn: string, r0: number): void {
    const nf = this.nFeatures;
    const bad = this.backend.k.f32_find_nonfinite(ptr, rows * nf);
    if (bad >= 0) throw nonFiniteError(fn, 'X', new Float32Array(this.backend.memory.buffer, ptr, rows * nf)[bad], r0 * nf + bad, nf);
  }

  /** Copies rows [r0, r1) of X into the workspace and (unless `checked`) checks them with the kernel. */
  private load(ws: Workspace, m: CheckedMatrix, r0: number, r1: number, fn: string, checked: boolean): void {
    const nf = this.nFeatures;
    const n = (r1 - r0) * nf;
    const x = ws.X.data;
    m.copyRows(x, r0, r1);
    if (checked) return;
    const bad = this.backend.k.f32_find_nonfinite(ws.X.ptr, n);
    if (bad >= 0) throw nonFiniteError(fn, 'X', m.valueAt(r0 * nf + bad), r0 * nf + bad, nf);
  }

  private forward(ws: Workspace, rows: number, x = ws.X.ptr): void {
    const k = this.backend.k;
    let a = x;
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l], z = ws.acts[l].ptr;
      k.f32_gemm(0, 0, rows, L.nOut, L.nIn, 1, a, L.nIn, L.W.ptr, L.nOut, 0, z, L.nOut);
      if (L.b || L.act !== ACT_IDENTITY) k.f32_bias_act_rows(z, z, L.b ? L.b.ptr : 0, rows, L.nOut, L.act, this.spec.slope);
      a = z;
    }
  }

  private backward(ws: Workspace, rows: number, x = ws.X.ptr): void {
    const k = this.backend.k;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layers[l], g = ws.grads[l].ptr;
      if (L.act !== ACT_IDENTITY) k.f32_act_backward(g, g, ws.acts[l].ptr, rows * L.nOut, L.act, this.spec.slope);
      const a = l === 0 ? x : ws.acts[l - 1].ptr;
      k.f32_gemm(1, 0, L.nIn, L.nOut, rows, 1, a, L.nIn, g, L.nOut, 0, L.W.gradPtr, L.nOut);
      if (L.b) k.f32_col_sum(L.b.gradPtr, g, rows, L.nOut);
      if (l > 0) k.f32_gemm(0, 1, rows, L.nIn, L.nOut, 1, g, L.nOut, L.W.ptr, L.nOut, 0, ws.grads[l - 1].ptr, L.nIn);
    }
  }

  private objective(X: MatrixInput, y: LabelInput, options: ModelLossOptions, withGrad: boolean, name: string): number {
    const fn = `${this.spec.type}.${name}`;
    this.live(name);
    const fitBatch = options === FIT_BATCH;
    if (!fitBatch) checkOptions(fn, options, LOSS_OPTIONS);
    const m = fitBatch ? this.batchMatrix(X, fn) : this.checkX(X, fn, false);
    const rows = m.rows;
    if (!fitBatch) y = this.stable(y); // fit's labels are its own, never a view of this memory
    const sampleWeight = this.stable(options.sampleWeight);
    // Zero-copy: X given as a float32 view over this backend's own memory (a Tensor's .data, or
    // fit()'s batches) is read in place, after the same NaN/Inf check; anything else is copied in.
    // Its address is taken now: making the workspace may grow the memory, which detaches the view
    // but keeps every address and value.
    const resident = this.residentPtr(m);
    // A first call of this size allocates a workspace: check everything before, so that a refused
    // call leaves memory as it was. Later calls check as they go (the kernel scan is faster).
    if (!this.hasWorkspace(rows)) this.preflight(m, y, sampleWeight, fn, options.checked !== true);
    const ws = this.workspace(rows);
    if (resident < 0) this.load(ws, m, 0, rows, fn, options.checked === true);
    else if (options.checked !== true) this.check(resident, rows, fn, 0);
    const x = resident < 0 ? ws.X.ptr : resident;
    const targets = this.lossSpec.targets === 'class' ? ws.labels() : ws.T.data;
    if (fitBatch) this.fitTargets(y as ArrayLike<number>, rows, targets);
    else this.readTargets(y, rows, targets, this.spec.oneVsRest ? ws.classScratch() : null, fn);
    let weight = 0, sumW = rows;
    if (sampleWeight !== undefined) {
      sumW = checkWeights(sampleWeight, rows, ws.W.data, fn);
      weight = ws.W.ptr;
    }
    this.forward(ws, rows, x);
    const k = this.backend.k;
    const last = this.layers.length - 1;
    let total = callLossKernel(k, this.lossSpec, withGrad ? ws.grads[last].ptr : 0, ws.acts[last].ptr, ws.T.ptr, weight,
      rows, this.nOutputs, this.scale(sumW), this.spec.delta);
    if (withGrad) this.backward(ws, rows, x);
    const { l1, l2 } = this.coef;
    if (l1 !== 0 || l2 !== 0) {
      for (const L of this.layers) total += k.f32_elasticnet_penalty(withGrad ? L.W.gradPtr : 0, L.W.ptr, L.W.size, l1, l2);
    }
    return total;
  }

  /** Runs the forward pass over X in chunks and lets `emit` copy each chunk's results out. */
  private forwardChunks(X: MatrixInput, fn: string, emit: (ws: Workspace, rows: number, out: Float32Array, r0: number) => void, width: number): Float32Array {
    this.live(fn.split('.')[1] ?? fn);
    const m = this.checkX(X, fn, true);
    const out = new Float32Array(m.rows * width);
    if (m.rows === 0) return out;
    const chunk = Math.min(m.rows, PREDICT_CHUNK);
    // X in this backend's memory is read in place (its address survives the workspace's growth).
    const resident = this.residentPtr(m);
    if (!this.hasWorkspace(chunk)) this.preflight(m, undefined, undefined, fn, true);
    const ws = this.workspace(chunk);
    const nf = this.nFeatures;
    for (let r0 = 0; r0 < m.rows; r0 += chunk) {
      const r1 = Math.min(m.rows, r0 + chunk);
      if (resident < 0) {
        this.load(ws, m, r0, r1, fn, false);
        this.forward(ws, r1 - r0);
      } else {
        const x = resident + r0 * nf * 4;
        this.check(x, r1 - r0, fn, r0);
        this.forward(ws, r1 - r0, x);
      }
      emit(ws, r1 - r0, out, r0);
    }
    return out;
  }
}

function act64(x: number, act: number, slope: number): number {
  switch (act) {
    case ACT_RELU: return Math.max(x, 0);
    case ACT_LEAKY_RELU: return x > 0 ? x : Math.fround(slope) * x;
    case ACT_TANH: return Math.tanh(x);
    case ACT_SIGMOID: return 1 / (1 + Math.exp(-x));
    default: return x;
  }
}

/** A whole number >= min, or a RangeError naming the option. */
export function checkCount(fn: string, name: string, v: unknown, min: number): number {
  return checkNumber(fn, name, v, { kind: 'number', integer: true, min });
}

/**
 * Checks a model's JSON envelope (format, version, type) and returns its options; the constructor
 * then checks the options, and `loadParams` the values.
 */
export function checkModelJSON(json: unknown, type: string): Record<string, unknown> {
  const fn = `${type}.fromJSON`;
  const j = json as Partial<ModelJSON> | null;
  if (j === null || typeof j !== 'object' || j.format !== 'descent-model' || j.type !== type) {
    throw new TypeError(`${fn}: expected the output of ${type}.toJSON() (format 'descent-model', type '${type}'), got ${j !== null && typeof j === 'object' ? `format ${describe(j.format)}, type ${describe(j.type)}` : describe(json)}`);
  }
  if (j.version !== 1) {
    throw new RangeError(`${fn}: json.version ${describe(j.version)} is not supported (this descent reads version 1); save the model again with this version`);
  }
  if (j.options === null || typeof j.options !== 'object' || Array.isArray(j.options)) {
    throw new TypeError(`${fn}: json.options must be the model's options object, got ${describe(j.options)}; pass the output of toJSON()`);
  }
  return j.options;
}

/**
 * Builds a model with `make` and runs `fill` on it; if `fill` throws, the model is disposed before
 * the error goes on (fromJSON refusing its values must not keep the memory it allocated).
 */
export function buildThen<M extends { dispose(): void }>(make: () => M, fill: (m: M) => void): M {
  const m = make();
  try {
    fill(m);
  } catch (e) {
    m.dispose();
    throw e;
  }
  return m;
}

// Option rules shared by the models.
export const PENALTY_RULES: Rules = {
  penalty: { kind: 'enum', values: ['none', 'l2', 'l1', 'elasticnet'] },
  alpha: { kind: 'number', min: 0, fix: 'Pass a penalty strength such as 1e-4 (0 turns it off).' },
  l1Ratio: { kind: 'number', min: 0, max: 1, fix: 'Pass the elastic-net mix in [0, 1], e.g. 0.15.' },
  C: { kind: 'number', min: 0, minOpen: true, fix: "Pass C > 0 such as 1 (sklearn's inverse regularization), or use alpha instead." },
};
export const N_FEATURES: NumberRule = { kind: 'number', integer: true, min: 1, required: true, fix: 'Pass the number of columns of X, e.g. nFeatures: 4.' };
export const DELTA: NumberRule = { kind: 'number', min: 0, minOpen: true, fix: 'Pass a positive delta such as 1.' };

/** Checks and returns `C` (undefined when not given), rejecting it together with `alpha`. */
export function checkC(fn: string, C: unknown, alpha: unknown): number | undefined {
  if (C === undefined) return undefined;
  checkValue(fn, 'options.C', C, PENALTY_RULES.C);
  if (alpha !== undefined) {
    throw new TypeError(`${fn}: pass either options.C (objective C·Σ loss + R(W), as sklearn's LogisticRegression) or options.alpha (mean loss + α·R(W)), not both; got C ${describe(C)} and alpha ${describe(alpha)}`);
  }
  return C as number;
}
