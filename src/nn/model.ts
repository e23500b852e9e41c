/**
 * Model: a Module with a loss, which makes it a `TrainableModel` (fit, fitAsync, lrFind,
 * checkpoints, metrics). The gradient step is one `valueAndGrad` function recorded on the first
 * batch and replayed on every later batch of the same shape, so a training step allocates nothing;
 * loss() and predict() run a forward-only plan, replayed the same way, in chunks of rows.
 */
import { forwardFn, valueAndGrad, type ForwardFn, type ValueAndGrad } from '../autograd/grad.js';
import { ops } from '../autograd/ops.js';
import type { IndexTensor } from '../autograd/values.js';
import { getBackend } from '../init.js';
import type { Backend } from '../backend/index.js';
import { checkLabels, checkMatrix, firstNonFinite, nonFiniteError, type CheckedMatrix, type LabelInput, type MatrixInput } from '../losses/validate.js';
import { buildThen, checkModelJSON, type DataNames, type ModelJSON, type Task } from '../models/base.js';
import { Param, Tensor, type TensorStorage } from '../tensor.js';
import { describe } from '../util/describe.js';
import { decodeArray, encodeArray } from '../util/json.js';
import { BOOLEAN, checkOptions } from '../util/options.js';
import { Dropout } from './layers.js';
import { Module } from './module.js';

/**
 * Rows per forward pass in loss(), predict() and predictProba(): larger inputs run in chunks of this
 * many rows, so their memory stays bounded.
 * @example
 * EVAL_CHUNK; // → 256
 */
export const EVAL_CHUNK = 256;

/** What a training call's target is inside the step: class indices, or float targets. */
export type Target = Tensor | IndexTensor;

/** The state a checkpoint keeps beside the parameters: each Dropout's call count, in `modules()` order. */
export interface ModelExtraState {
  dropoutCalls: number[];
}

/**
 * A float32 batch that lives in the backend's memory (fit's mini-batches), seen as a [rows, cols]
 * tensor without a copy: the step reads it where it is.
 */
class ResidentRows extends Tensor {
  constructor(backend: Backend, offset: number, rows: number, cols: number) {
    const n = rows * cols;
    let view: Float32Array | null = null;
    const storage: TensorStorage = {
      ptr: offset,
      length: n,
      freed: false,
      get view() {
        if (view === null || view.buffer !== backend.arena.buffer) view = new Float32Array(backend.arena.buffer, offset, n);
        return view;
      },
      free() {},
    };
    super(n, 'batch', [rows, cols], storage);
  }
}

/** A checked batch: the step's input (a resident tensor or float values it copies in), its rows and columns. */
interface Batch {
  m: CheckedMatrix;
  rows: number;
  cols: number;
}

/**
 * A model written as a class: a {@link Module} with a `forward` in ops, a `task` and (optionally)
 * its own `criterion`, which makes it a `TrainableModel` that `fit()`, `fitAsync()`, `lrFind()`,
 * checkpoints (bit-exact resume, Dropout masks included) and the metrics accept.
 *
 * - `forward(x)` gets a batch of rows as a [rows, columns] tensor (X as fit() passes it) and returns
 *   the output: logits [rows, classes] ('multiclass'), [rows, 1] or [rows] logits ('binary'), or
 *   [rows, outputs] / [rows] values ('regression').
 * - `criterion(output, target)` is the training loss as a scalar tensor; the default is torch's
 *   for the task: `crossEntropy` (target: class indices), `bceWithLogits` (target 0/1 as floats),
 *   `mseLoss` (target reshaped like the output). Override it for a custom loss.
 * - `lossAndGrad(X, y)` runs forward, criterion and backward as one recorded `valueAndGrad` step
 *   (replayed for later batches of the same shape: no allocation) and writes every parameter's
 *   gradient. It uses the current mode (`train()` by default: Dropout on). `loss()`, `predict()`
 *   and `predictProba()` always run in inference mode (Dropout off), as Keras's evaluate/predict,
 *   in chunks of 256 rows (loss() averages the chunks' losses weighted by rows: exact for means).
 * - `toJSON()` stores `type` (the class name), the `config` passed to `super(config)` and the
 *   parameters by name; `MyModel.fromJSON(json)` calls `new MyModel(config)` and loads them.
 *
 * Reference: PyTorch `nn.Module` + a loss, Keras `Model.fit/evaluate/predict`.
 * @example
 * await init();
 * class Line extends Model {
 *   readonly task = 'regression';
 *   w = param([0]);
 *   b = param([0]);
 *   forward(x: Tensor): Tensor { return ops.add(ops.mul(x, this.w), this.b); }
 * }
 * const line = new Line();
 * fit(line, [[0], [1], [2], [3]], [1, 3, 5, 7], { optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 'full', maxEpochs: 2000 });
 * Math.round(line.w.data[0] * 100) / 100; // → 2
 * Array.from(line.predict([[10]]), (v) => Math.round(v)); // → [21]
 */
export abstract class Model extends Module {
  /** 'multiclass', 'binary' or 'regression': how fit reads labels, which criterion and predictions. */
  abstract readonly task: Task;
  /** The options the subclass passed to `super(config)`, stored by toJSON() and given back to its constructor by fromJSON(). */
  protected readonly config: Record<string, unknown> | undefined;
  private readonly backend: Backend;
  private step: ValueAndGrad<[unknown, unknown]> | null = null;
  private lossEval: ForwardFn<[unknown, unknown]> | null = null;
  private outEval: ForwardFn<[unknown]> | null = null;
  /** Input widths the step has seen (gradients were zeroed then, for parameters a step never reaches). */
  private readonly zeroedFor = new Set<string>();
  private stepCols = 0;
  private evalCols = 0;
  private released = false;

  constructor(config?: Record<string, unknown>) {
    super();
    if (config !== undefined && (config === null || typeof config !== 'object' || Array.isArray(config))) {
      throw new TypeError(`${new.target.name}: config must be the options object of the model's constructor, got ${describe(config)}`);
    }
    this.config = config === undefined ? undefined : JSON.parse(JSON.stringify(config));
    this.backend = getBackend();
  }

  /** The parameters, named by their path (`conv1.weight`): the names checkpoints, JSON and safetensors use. */
  override parameters(): Param[] {
    const named = this.namedParameters();
    for (const [n, p] of named) p.name = n;
    return named.map(([, p]) => p);
  }

  /**
   * The training loss of a batch as a scalar tensor (mean over rows). Default by task:
   * 'multiclass' `ops.crossEntropy(output, target)`; 'binary' `ops.bceWithLogits` on the output
   * flattened to [rows]; 'regression' `ops.mseLoss` with the target shaped like the output.
   */
  criterion(output: Tensor, target: Target): Tensor {
    switch (this.task) {
      case 'multiclass':
        return ops.crossEntropy(output, target);
      case 'binary':
        return ops.bceWithLogits(ops.reshape(output, [-1]), target);
      default:
        return ops.mseLoss(output, ops.reshape(target, output.shape));
    }
  }

  /** The number of columns X must have, when the model knows it (Sequential's inputShape); else undefined. */
  protected inputWidth(): number | undefined {
    return undefined;
  }

  /** The number of output columns, when known before a forward pass (for label checks); else undefined. */
  protected outputWidth(): number | undefined {
    return undefined;
  }

  /**
   * The mean loss on (X, y) through forward and criterion, writing every parameter's gradient
   * (`p.grad` is set, not accumulated; a parameter the forward does not reach keeps gradient 0).
   * fit() passes `{ checked: true }` after checking the whole data set once (then X is not scanned
   * for NaN here). Runs in the current mode (Dropout on after `train()`, the default).
   */
  lossAndGrad(X: MatrixInput, y: LabelInput, options: { checked?: boolean } = {}): number {
    const fn = `${this.constructor.name}.lossAndGrad`;
    this.live(fn);
    checkOptions(fn, options, { checked: BOOLEAN });
    const checked = options.checked === true;
    const b = this.batch(X, fn, 'X', checked);
    const t = this.targets(y, b.rows, fn, 'y', checked);
    this.step ??= valueAndGrad((x: unknown, target: unknown) => {
      const out = this.forward(ops.reshape(x as Tensor, [-1, this.stepCols]));
      return this.criterion(out, target as Target);
    }, { argnums: [], accumulate: false });
    this.stepCols = b.cols;
    const x = this.stepInput(b, 0, b.rows);
    const key = `${b.cols}:${x instanceof Tensor}`;
    if (!this.zeroedFor.has(key)) {
      for (const p of this.parameters()) p.zeroGrad();
      this.zeroedFor.add(key);
    }
    return this.step(x, t)[0];
  }

  /** The mean loss on (X, y) in inference mode (Dropout off), without gradients. */
  loss(X: MatrixInput, y: LabelInput): number {
    const fn = `${this.constructor.name}.loss`;
    this.live(fn);
    const b = this.batch(X, fn, 'X', false);
    const t = this.targets(y, b.rows, fn, 'y', false);
    const per = t.length / b.rows;
    this.lossEval ??= forwardFn((x: unknown, target: unknown) => {
      const out = this.forward(ops.reshape(x as Tensor, [-1, this.evalCols]));
      return this.criterion(out, target as Target);
    });
    return this.inference(() => {
      this.evalCols = b.cols;
      let total = 0;
      for (let r0 = 0; r0 < b.rows; r0 += EVAL_CHUNK) {
        const r1 = Math.min(b.rows, r0 + EVAL_CHUNK);
        total += this.lossEval!(this.stepInput(b, r0, r1), t.subarray(r0 * per, r1 * per))[0] * (r1 - r0);
      }
      return total / b.rows;
    });
  }

  /**
   * The forward pass's output for every row of X in inference mode, row-major (a new
   * Float32Array, rows × outputs), and the number of outputs per row.
   */
  outputs(X: MatrixInput, fn = `${this.constructor.name}.outputs`): { data: Float32Array; width: number } {
    this.live(fn);
    const b = this.batch(X, fn, 'X', false);
    this.outEval ??= forwardFn((x: unknown) => this.forward(ops.reshape(x as Tensor, [-1, this.evalCols])));
    return this.inference(() => {
      this.evalCols = b.cols;
      let data: Float32Array | null = null, width = 0;
      for (let r0 = 0; r0 < b.rows; r0 += EVAL_CHUNK) {
        const r1 = Math.min(b.rows, r0 + EVAL_CHUNK);
        const out = this.outEval!(this.stepInput(b, r0, r1));
        if (data === null) {
          width = out.length / (r1 - r0);
          data = new Float32Array(b.rows * width);
        }
        data.set(out, r0 * width);
      }
      return { data: data ?? new Float32Array(0), width };
    });
  }

  /**
   * Predictions: the class with the largest output ('multiclass', Int32Array), 1 where the logit
   * is > 0 ('binary', Int32Array), the outputs ('regression', Float32Array rows × outputs).
   */
  predict(X: MatrixInput): Int32Array | Float32Array {
    const { data, width } = this.outputs(X, `${this.constructor.name}.predict`);
    if (this.task === 'regression') return data;
    const rows = width === 0 ? 0 : data.length / width;
    const out = new Int32Array(rows);
    if (this.task === 'binary') {
      for (let i = 0; i < rows; i++) out[i] = data[i * width] > 0 ? 1 : 0;
      return out;
    }
    for (let i = 0; i < rows; i++) {
      let best = 0;
      for (let j = 1; j < width; j++) if (data[i * width + j] > data[i * width + best]) best = j;
      out[i] = best;
    }
    return out;
  }

  /**
   * Class probabilities, rows × classes (a new Float32Array): the softmax of the outputs
   * ('multiclass'), [1 − σ(z), σ(z)] per row ('binary'). A regression model has none (TypeError).
   */
  predictProba(X: MatrixInput): Float32Array {
    const fn = `${this.constructor.name}.predictProba`;
    if (this.task === 'regression') throw new TypeError(`${fn}: a regression model has no class probabilities; use predict()`);
    const { data, width } = this.outputs(X, fn);
    const rows = width === 0 ? 0 : data.length / width;
    if (this.task === 'binary') {
      const out = new Float32Array(rows * 2);
      for (let i = 0; i < rows; i++) {
        const p = 1 / (1 + Math.exp(-data[i * width]));
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
      return out;
    }
    const out = new Float32Array(data.length);
    for (let i = 0; i < rows; i++) {
      let max = -Infinity, sum = 0;
      for (let j = 0; j < width; j++) max = Math.max(max, data[i * width + j]);
      for (let j = 0; j < width; j++) sum += Math.exp(data[i * width + j] - max);
      for (let j = 0; j < width; j++) out[i * width + j] = Math.exp(data[i * width + j] - max) / sum;
    }
    return out;
  }

  /**
   * Checks a whole data set once (fit() calls it before training): X's shape and values (finite),
   * and the labels for the task (class indices in range, 0/1, or one row of targets per row).
   */
  checkData(X: MatrixInput, y: LabelInput, names: DataNames = { fn: `${this.constructor.name}.checkData`, X: 'X', y: 'y' }): void {
    this.live(names.fn);
    const b = this.batch(X, names.fn, names.X, false);
    this.targets(y, b.rows, names.fn, names.y, false);
  }

  /** Each Dropout's mask counter, for checkpoints (torch's `get_extra_state`). */
  getExtraState(): ModelExtraState {
    return { dropoutCalls: this.dropouts().map((d) => d.calls) };
  }

  /** Puts back what getExtraState() returned; checks it all before changing anything. */
  setExtraState(state: unknown): void {
    const fn = `${this.constructor.name}.setExtraState`;
    const drops = this.dropouts();
    const calls = (state as Partial<ModelExtraState> | null)?.dropoutCalls;
    if (state === null || typeof state !== 'object' || !Array.isArray(calls) || calls.length !== drops.length ||
      !calls.every((c) => typeof c === 'number' && Number.isInteger(c) && c >= 0)) {
      throw new TypeError(`${fn}: state must be { dropoutCalls } with one whole number >= 0 per Dropout layer (${drops.length}), got ${JSON.stringify(state)}; pass what getExtraState() returned for a model built the same way`);
    }
    drops.forEach((d, i) => (d.calls = calls[i]));
  }

  /** The JSON of the model: type (the class name), config, and the parameters by name. */
  toJSON(): ModelJSON {
    this.live(`${this.constructor.name}.toJSON`);
    const params: Record<string, number[]> = {};
    for (const p of this.parameters()) params[p.name!] = encodeArray(p.data) as number[];
    return { format: 'descent-model', version: 1, type: this.constructor.name, options: this.jsonOptions(), params };
  }

  /** The options toJSON stores (the config given to the constructor). */
  protected jsonOptions(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.config ?? {}));
  }

  /**
   * Rebuilds a model of this class from toJSON(): `new this(json.options)`, then the parameters
   * (every name, size and value checked before any is copied; on a bad file the new model is freed
   * and the error names what is wrong).
   */
  static fromJSON<M extends Model>(this: new (config?: any) => M, json: ModelJSON): M {
    const options = checkModelJSON(json, this.name);
    return buildThen(() => new this(options), (m) => loadParams(m, json, `${this.name}.fromJSON`));
  }

  /** Frees the parameters and the recorded steps; using the model afterwards throws. Idempotent. */
  override dispose(): void {
    if (this.released) return;
    this.released = true;
    this.step?.dispose();
    this.lossEval?.dispose();
    this.outEval?.dispose();
    super.dispose();
  }

  // -- internals -------------------------------------------------------------------------------

  private live(fn: string): void {
    if (this.released) throw new Error(`descent: this ${this.constructor.name} was disposed; create a new one (${fn})`);
    if (getBackend() !== this.backend) {
      throw new Error(`descent: this ${this.constructor.name} was created on the ${this.backend.name} backend, which init() has since replaced with ${getBackend().name}; create it again`);
    }
  }

  private dropouts(): Dropout[] {
    return this.modules().filter((m): m is Dropout => m instanceof Dropout);
  }

  /** Runs fn with every module in eval mode, then puts each module's mode back. */
  private inference<T>(fn: () => T): T {
    const mods = this.modules(), modes = mods.map((m) => m.training);
    for (const m of mods) m.training = false;
    try {
      return fn();
    } finally {
      mods.forEach((m, i) => (m.training = modes[i]));
    }
  }

  /** Checks X (shape; values finite unless `checked`). */
  private batch(X: MatrixInput, fn: string, arg: string, checked: boolean): Batch {
    const m = checkMatrix(X, fn, arg, this.inputWidth(), 'features', this.backend.memory);
    if (m.rows === 0) throw new RangeError(`${fn}: ${arg} has 0 rows; pass at least one row`);
    if (!checked) {
      const n = m.rows * m.cols;
      let bad: number;
      if (m.residentOffset >= 0) bad = this.backend.k.f32_find_nonfinite(m.residentOffset, n);
      else if (m.flat) bad = firstNonFinite(m.flat.subarray(0, n));
      else {
        const all = new Float32Array(n);
        m.copyTo(all);
        bad = firstNonFinite(all);
      }
      if (bad >= 0) throw nonFiniteError(fn, arg, m.valueAt(bad), bad, m.cols);
    }
    return { m, rows: m.rows, cols: m.cols };
  }

  /** Rows [r0, r1) as the step's input: the memory itself when X lives there, else float values (copied in by the step). */
  private stepInput(b: Batch, r0: number, r1: number): Tensor | Float32Array | Float64Array {
    const { m, cols } = b;
    if (m.residentOffset >= 0) return new ResidentRows(this.backend, m.residentOffset + r0 * cols * 4, r1 - r0, cols);
    if (m.flat) return m.flat.subarray(r0 * cols, r1 * cols);
    const out = new Float32Array((r1 - r0) * cols);
    m.copyRows(out, r0, r1);
    return out;
  }

  /** The labels as the criterion's target: class indices (Int32Array), 0/1 or values (Float32Array). */
  private targets(y: LabelInput, rows: number, fn: string, arg: string, checked: boolean): Int32Array | Float32Array {
    const task = this.task;
    if (task === 'multiclass') {
      if (checked && y instanceof Int32Array && y.length === rows) return y;
      const out = new Int32Array(rows), k = this.outputWidth();
      if (k !== undefined) checkLabels(y, rows, 'class', out, fn, arg, 1, k);
      else {
        checkLabels(y, rows, 'values', out, fn, arg, 1);
        for (let i = 0; i < rows; i++) {
          const v = (y as ArrayLike<number>)[i];
          if (!Number.isInteger(v) || v < 0) throw new RangeError(`${fn}: ${arg}[${i}] is ${v}; class labels must be whole numbers 0, 1, ... (class indices)`);
        }
      }
      return out;
    }
    const width = task === 'binary' ? 1 : this.outputWidth() ?? targetWidth(y, rows, fn, arg);
    if (checked && y instanceof Float32Array && y.length === rows * width) return y;
    const out = new Float32Array(rows * width);
    if (checked && ArrayBuffer.isView(y) && (y as ArrayLike<number>).length === rows * width) out.set(y as ArrayLike<number>);
    else checkLabels(y, rows, task === 'binary' ? 'binary' : 'values', out, fn, arg, width);
    return out;
  }
}

/** Targets per row of a regression data set whose model does not say its output width. */
function targetWidth(y: LabelInput, rows: number, fn: string, arg: string): number {
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${fn}: ${arg} must be an array or typed array of targets, got ${describe(y)}`);
  }
  const first = (y as ArrayLike<unknown>)[0];
  if (first !== null && typeof first === 'object' && typeof (first as ArrayLike<number>).length === 'number') return (first as ArrayLike<number>).length;
  const n = (y as ArrayLike<number>).length;
  if (n % rows !== 0 || n === 0) throw new RangeError(`${fn}: ${arg} has ${n} values but X has ${rows} rows; pass one target (or one row of targets) per row`);
  return n / rows;
}

/**
 * Copies the parameters of a model's JSON into `m` after checking every name, size and value
 * (finite): a bad file changes nothing.
 */
export function loadParams(m: Module, json: ModelJSON, fn: string): void {
  const params = json.params as unknown;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new TypeError(`${fn}: json.params must be an object of parameter values by name, got ${describe(params)}; pass the output of toJSON()`);
  }
  const mine = m.namedParameters();
  const names = mine.map(([n]) => n);
  for (const key of Object.keys(params)) {
    if (!names.includes(key)) {
      throw new RangeError(`${fn}: json.params has ${describe(key)}, which this model does not have (its parameters are ${names.join(', ')}); pass the output of toJSON() of a model built with the same options`);
    }
  }
  const values = mine.map(([n, p]) => decodeArray((params as Record<string, unknown>)[n], `${fn}: json.params['${n}']`, p.size, { finite: true }));
  mine.forEach(([, p], i) => p.data.set(values[i]));
}
