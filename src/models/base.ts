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
  checkLabels, checkMatrix, checkWeights, nonFiniteError,
  type CheckedMatrix, type LabelInput, type MatrixInput,
} from '../losses/validate.js';
import { Param, Tensor } from '../tensor.js';
import { Prng } from '../util/prng.js';
import { ACT_IDENTITY, ACT_LEAKY_RELU, ACT_RELU, ACT_SIGMOID, ACT_TANH } from '../wasm/constants.gen.js';

export type Task = 'regression' | 'binary' | 'multiclass';
export type Activation = 'identity' | 'relu' | 'leaky-relu' | 'tanh' | 'sigmoid';
export type Init = 'he' | 'xavier' | 'lecun' | 'zeros';

export const ACTIVATIONS: readonly Activation[] = ['identity', 'relu', 'leaky-relu', 'tanh', 'sigmoid'];
const ACT_CODE: Record<Activation, number> = {
  'identity': ACT_IDENTITY, 'relu': ACT_RELU, 'leaky-relu': ACT_LEAKY_RELU, 'tanh': ACT_TANH, 'sigmoid': ACT_SIGMOID,
};

/**
 * Set by fit() on the batches it gathers from rows it has already checked for NaN/Inf, so the model
 * does not scan them again every step. Not exported from the package: user calls are always checked.
 */
export const PRECHECKED: unique symbol = Symbol('descent.prechecked');

/** Options every model's loss calls take. */
export interface FitOptions {
  /** One weight >= 0 per row (default all 1); 'mean' objectives become weighted means. */
  sampleWeight?: ArrayLike<number>;
  /** @internal fit()'s promise that X holds no NaN or Inf (checked once for the whole data set). */
  [PRECHECKED]?: boolean;
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
    this.X = new Tensor(rows * nIn, 'workspace');
    this.acts = outs.map((o) => new Tensor(rows * o, 'workspace'));
    this.grads = outs.map((o) => new Tensor(rows * o, 'workspace'));
    this.T = new Tensor(rows * targetsPerRow, 'workspace');
    this.W = new Tensor(rows, 'workspace');
  }

  /** The targets block seen as int32 (class labels). */
  labels(): Int32Array {
    const a = this.backend.arena;
    if (this.labelView === null || this.labelGen !== a.generation || this.labelView.buffer !== a.memory.buffer) {
      this.labelView = new Int32Array(a.memory.buffer, this.T.ptr, this.T.size);
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
  readonly numOutputs: number;
  /** Columns of X. */
  readonly numFeatures: number;
  protected readonly spec: DenseSpec;
  protected readonly lossSpec: LossSpec;
  protected readonly layers: Layer[];
  private readonly backend: Backend;
  private readonly coef: { l1: number; l2: number };
  private readonly workspaces: Workspace[] = [];
  private disposed = false;

  protected constructor(spec: DenseSpec, init: Init, seed: number, names: (l: number, kind: 'weight' | 'bias') => string) {
    this.spec = spec;
    this.lossSpec = LOSSES[spec.loss];
    this.task = spec.task;
    this.numFeatures = spec.sizes[0];
    this.numOutputs = spec.sizes[spec.sizes.length - 1];
    const fn = `${spec.type}`;
    this.coef = penaltyCoefficients(spec.penalty, spec.C !== undefined ? 1 : spec.alpha, spec.l1Ratio, fn);
    this.backend = getBackend();
    const rng = new Prng(seed);
    this.layers = [];
    const L = spec.sizes.length - 1;
    for (let l = 0; l < L; l++) {
      const nIn = spec.sizes[l], nOut = spec.sizes[l + 1];
      const W = new Param(nIn * nOut, names(l, 'weight'));
      const b = spec.bias ? new Param(nOut, names(l, 'bias')) : null;
      if (init !== 'zeros') {
        const std = init === 'he' ? Math.sqrt(2 / nIn) : init === 'xavier' ? Math.sqrt(2 / (nIn + nOut)) : Math.sqrt(1 / nIn);
        const w = W.data;
        for (let i = 0; i < w.length; i++) w[i] = std * rng.nextNormal();
      }
      const act = l === L - 1 ? ACT_IDENTITY : ACT_CODE[spec.hiddenActivation];
      this.layers.push({ W, b, nIn, nOut, act });
    }
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
   * column) and y (range) on every call.
   */
  lossAndGrad(X: MatrixInput, y: LabelInput, options: FitOptions = {}): number {
    return this.objective(X, y, options, true, 'lossAndGrad');
  }

  /** The objective of {@link lossAndGrad} without touching any gradient. */
  loss(X: MatrixInput, y: LabelInput, options: FitOptions = {}): number {
    return this.objective(X, y, options, false, 'loss');
  }

  /**
   * The same objective evaluated in float64 plain JS on the current parameter values (a mirror of
   * the forward pass, independent of the kernels): what {@link gradcheck} differentiates.
   */
  loss64(X: MatrixInput, y: LabelInput, options: FitOptions = {}): number {
    const fn = `${this.spec.type}.loss64`;
    this.live('loss64');
    const m = this.checkX(X, fn, false);
    const rows = m.rows;
    const xs = new Float32Array(rows * this.numFeatures);
    m.copyRows(xs, 0, rows);
    const bad = xs.findIndex((v) => v - v !== 0);
    if (bad >= 0) throw nonFiniteError(fn, 'X', xs[bad], bad, this.numFeatures);
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
    let total = lossValue64(this.spec.loss, a, rows, this.numOutputs, targets, options.sampleWeight === undefined ? null : w, this.scale(sumW), this.spec.delta);
    for (const l of this.layers) {
      let abs = 0, sq = 0;
      for (const v of l.W.data) { abs += Math.abs(v); sq += v * v; }
      total += this.coef.l1 * abs + 0.5 * this.coef.l2 * sq;
    }
    return total;
  }

  /** The raw outputs (logits, scores or regression values): a new rows×numOutputs Float32Array. */
  decisionFunction(X: MatrixInput): Float32Array {
    const fn = `${this.spec.type}.decisionFunction`;
    return this.forwardChunks(X, fn, (ws, rows, out, r0) => {
      out.set(ws.acts[this.layers.length - 1].data.subarray(0, rows * this.numOutputs), r0 * this.numOutputs);
    }, this.numOutputs);
  }

  /**
   * Predictions as a new array: class indices (Int32Array) for classifiers — the larger logit's
   * class for one-logit binary models (logit >= 0 → 1) — and values (Float32Array, rows×outputs)
   * for regression.
   */
  predict(X: MatrixInput): Int32Array | Float32Array {
    const z = this.decisionFunction(X);
    if (this.task === 'regression') return z;
    const k = this.numOutputs, rows = k > 0 ? z.length / k : 0;
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
    const ovr = name === 'bce' && this.numOutputs > 1;
    const classes = name === 'bce' && !ovr ? 2 : this.numOutputs;
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

  /** A plain-JSON snapshot: type, options and parameter values (float32 values as numbers). */
  toJSON(): ModelJSON {
    this.live('toJSON');
    const params: Record<string, number[]> = {};
    for (const p of this.parameters()) params[p.name!] = Array.from(p.data);
    return { format: 'descent-model', version: 1, type: this.spec.type, options: this.jsonOptions(), params };
  }

  /** The constructor options that rebuild this model (without the parameters). */
  protected abstract jsonOptions(): Record<string, unknown>;

  /** Copies serialized parameter values in (checks names and sizes). */
  protected loadParams(json: ModelJSON): this {
    const fn = `${this.spec.type}.fromJSON`;
    for (const p of this.parameters()) {
      const v = json.params?.[p.name!];
      if (!Array.isArray(v) || v.length !== p.size) {
        throw new RangeError(`${fn}: params['${p.name}'] must be an array of ${p.size} numbers, got ${Array.isArray(v) ? `${v.length}` : typeof v}; pass the output of toJSON()`);
      }
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'number' || v[i] - v[i] !== 0) throw new TypeError(`${fn}: params['${p.name}'][${i}] is ${String(v[i])}; values must be finite numbers`);
      }
      p.data.set(v);
    }
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
    return this.lossSpec.targets === 'class' ? 1 : this.numOutputs;
  }

  /** Checks y and writes the loss kernel's targets; one-vs-rest turns class labels into one-hot rows. */
  private readTargets(y: LabelInput, rows: number, targets: Float32Array | Int32Array, classes: Int32Array | null, fn: string): void {
    if (!classes) {
      checkLabels(y, rows, this.labelKind(), targets, fn, 'y', this.targetsPerRow(), this.spec.numClasses);
      return;
    }
    const K = this.numOutputs;
    checkLabels(y, rows, 'class', classes, fn, 'y', 1, K);
    targets.fill(0, 0, rows * K);
    for (let i = 0; i < rows; i++) targets[i * K + classes[i]] = 1;
  }

  private labelKind() {
    const t = this.lossSpec.targets;
    // models take hard labels for BCE (0/1); the loss functions also accept soft targets
    return t === 'soft' ? 'binary' as const : t;
  }

  private scale(sumW: number): number {
    if (this.spec.C !== undefined) return this.spec.C;
    return 1 / (sumW * (this.lossSpec.perRow ? 1 : this.numOutputs));
  }

  private checkX(X: MatrixInput, fn: string, allowEmpty: boolean): CheckedMatrix {
    const m = checkMatrix(X, fn, 'X', this.numFeatures) as CheckedMatrix;
    if (!allowEmpty && m.rows === 0) throw new RangeError(`${fn}: X has 0 rows; pass at least one row`);
    return m;
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
    const w = new Workspace(rows, this.backend, this.numFeatures, this.layers.map((l) => l.nOut), this.targetsPerRow());
    this.workspaces.push(w);
    return w;
  }

  /** The byte address of X when it is a float32 view over this backend's memory, else -1. */
  private residentPtr(m: CheckedMatrix): number {
    const f = m.flat;
    return f instanceof Float32Array && f.buffer === this.backend.memory.buffer && f.byteOffset % 16 === 0 ? f.byteOffset : -1;
  }

  /** The NaN/Inf check of load(), on data that is already in memory at `ptr`. */
  private check(ptr: number, rows: number, fn: string): void {
    const bad = this.backend.k.f32_find_nonfinite(ptr, rows * this.numFeatures);
    if (bad >= 0) throw nonFiniteError(fn, 'X', new Float32Array(this.backend.memory.buffer, ptr, rows * this.numFeatures)[bad], bad, this.numFeatures);
  }

  /** Copies rows [r0, r1) of X into the workspace and checks them with the kernel. */
  private load(ws: Workspace, m: CheckedMatrix, r0: number, r1: number, fn: string): void {
    const nf = this.numFeatures;
    const n = (r1 - r0) * nf;
    const x = ws.X.data;
    m.copyRows(x, r0, r1);
    const bad = this.backend.k.f32_find_nonfinite(ws.X.ptr, n);
    if (bad >= 0) throw nonFiniteError(fn, 'X', x[bad], r0 * nf + bad, nf);
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

  private objective(X: MatrixInput, y: LabelInput, options: FitOptions, withGrad: boolean, name: string): number {
    const fn = `${this.spec.type}.${name}`;
    this.live(name);
    const m = this.checkX(X, fn, false);
    const rows = m.rows;
    // Zero-copy: X given as a float32 view over this backend's own memory (a Tensor's .data, or
    // fit()'s batches) is read in place, after the same NaN/Inf check; anything else is copied in.
    // Its address is taken now: making the workspace may grow the memory, which detaches the view
    // but keeps every address and value.
    const resident = this.residentPtr(m);
    const ws = this.workspace(rows);
    if (resident < 0) this.load(ws, m, 0, rows, fn);
    else if (options[PRECHECKED] !== true) this.check(resident, rows, fn);
    const x = resident < 0 ? ws.X.ptr : resident;
    const targets = this.lossSpec.targets === 'class' ? ws.labels() : ws.T.data;
    this.readTargets(y, rows, targets, this.spec.oneVsRest ? ws.classScratch() : null, fn);
    let weight = 0, sumW = rows;
    if (options.sampleWeight !== undefined) {
      sumW = checkWeights(options.sampleWeight, rows, ws.W.data, fn);
      weight = ws.W.ptr;
    }
    this.forward(ws, rows, x);
    const k = this.backend.k;
    const last = this.layers.length - 1;
    let total = callLossKernel(k, this.lossSpec, withGrad ? ws.grads[last].ptr : 0, ws.acts[last].ptr, ws.T.ptr, weight,
      rows, this.numOutputs, this.scale(sumW), this.spec.delta);
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
    const ws = this.workspace(chunk);
    for (let r0 = 0; r0 < m.rows; r0 += chunk) {
      const r1 = Math.min(m.rows, r0 + chunk);
      this.load(ws, m, r0, r1, fn);
      this.forward(ws, r1 - r0);
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

/** Throws a TypeError for option names a constructor does not know. */
export function checkOptionNames(fn: string, options: object, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length) throw new TypeError(`${fn}: unknown option(s) ${unknown.join(', ')}; the options are ${known.join(', ')}`);
}

/** A whole number >= min, or a RangeError naming the option. */
export function checkCount(fn: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(`${fn}: ${name} must be a whole number >= ${min}, got ${String(v)}`);
  }
  return v;
}

/** Checks and returns `C` (undefined when not given), rejecting it together with `alpha`. */
export function checkC(fn: string, C: unknown, alpha: unknown): number | undefined {
  if (C === undefined) return undefined;
  if (typeof C !== 'number' || !(C > 0) || !Number.isFinite(C)) throw new RangeError(`${fn}: C must be a finite number > 0, got ${String(C)}`);
  if (alpha !== undefined) {
    throw new TypeError(`${fn}: pass either C (objective C·Σ loss + R(W), as sklearn's LogisticRegression) or alpha (mean loss + α·R(W)), not both`);
  }
  return C;
}
