/**
 * fit(): trains a model by gradient descent in any of the three modes — full batch
 * (`batchSize: 'full'`), stochastic (`1`) or mini-batch (`k`, default 32) — with seeded shuffling,
 * learning-rate schedules, gradient clipping, sklearn's convergence rule, validation, early
 * stopping, callbacks, divergence detection and checkpoints. `fitAsync()` is the same loop yielding
 * to the event loop between batches, and it takes an AbortSignal.
 */
import { getBackend } from '../init.js';
import { Tensor, type Param } from '../tensor.js';
import type { DataMatrix } from '../data/matrix.js';
import { viewTable, type MatrixInput } from '../data/matrix.js';
import { trainTestSplit } from '../data/split.js';
import { Prng } from '../util/prng.js';
import { clipGradNorm } from '../optim/clip.js';
import { DivergenceError } from './errors.js';
import { History, type EpochRecord, type StopReason } from './history.js';
import { computeMetrics, isHigherBetter, type MetricName } from './metric-set.js';
import { resolveOptimizer, type OptimizerSpec } from './optimizer-spec.js';
import { captureCheckpoint, restoreCheckpoint, type Checkpoint } from './checkpoint.js';
import type { Labels, Scheduler, TrainableModel, TrainableOptimizer } from './types.js';
import { PRECHECKED } from '../models/base.js';

// Every batch is gathered from rows prepare() checked once, so the library's models need not scan
// them again; other models ignore the option.
const PRECHECKED_BATCH = { [PRECHECKED]: true };

export interface EarlyStoppingOptions {
  /** What to watch: 'valLoss' (default when there is validation data), 'loss', or 'val<Metric>' / a metric name. */
  monitor?: string;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0: stop at the first epoch that does not improve). */
  patience?: number;
  /** 'min' for losses, 'max' for scores; 'auto' (default) decides from the name. */
  mode?: 'min' | 'max' | 'auto';
  /** A value the monitored quantity must beat before any epoch counts as an improvement (`best` starts there). */
  baseline?: number;
  /** Put back the weights of the best epoch when training stops (default false). If no epoch improved, nothing is restored. */
  restoreBestWeights?: boolean;
}

/** What onEpochEnd receives: the epoch's record, as History keeps it. */
export type EpochInfo = EpochRecord;

export interface BatchInfo {
  epoch: number;
  batch: number;
  loss: number;
  lr: number;
}

export interface FitOptions {
  /** 'full' (batch gradient descent), 1 (stochastic), or k rows per mini-batch. Default 32. */
  batchSize?: 'full' | number;
  /** Epochs at most (default 100). */
  maxEpochs?: number;
  /** Reshuffle the rows every epoch (default true), with the library's seeded PRNG. */
  shuffle?: boolean;
  /** Seed for shuffling and the validation split (default 0). */
  seed?: number;
  /** An optimizer instance over model.parameters(), or a name with options: 'adam' or { name: 'sgd', lr: 0.1, momentum: 0.9 }. Default { name: 'adam', lr: 1e-3 }. */
  optimizer?: OptimizerSpec;
  /** A scheduler over the optimizer, or a function building one from it. Stepped per batch or per epoch as the scheduler says; ReduceLROnPlateau gets the monitored value. */
  scheduler?: Scheduler | ((optimizer: TrainableOptimizer) => Scheduler);
  /** Clip the gradients' total 2-norm to this before every step. */
  clipGradNorm?: number;
  /** sklearn's convergence rule: stop when the epoch loss has not improved on the best by `tol` for `nIterNoChange` epochs. Off unless tol is given. */
  tol?: number;
  /** Epochs without a `tol` improvement before stopping (default 10, as sklearn). */
  nIterNoChange?: number;
  /** Hold out this fraction of the rows for validation (seeded; stratified for classifiers). */
  validationSplit?: number;
  /** Validation data given explicitly: [X, y]. */
  validationData?: [MatrixInput, Labels];
  /** Metrics computed on the training and validation data at the end of every epoch. */
  metrics?: MetricName[];
  earlyStopping?: EarlyStoppingOptions;
  /** Called after every batch; return false to stop. */
  onBatchEnd?: (info: BatchInfo) => void | boolean;
  /** Called after every epoch; return false to stop. */
  onEpochEnd?: (info: EpochInfo) => void | boolean;
  /** Print one line per epoch (with `log`, default console.log). */
  verbose?: boolean;
  log?: (line: string) => void;
  /** Called with a checkpoint after every `checkpointEvery` epochs (default 1 when onCheckpoint is given). */
  onCheckpoint?: (checkpoint: Checkpoint) => void;
  checkpointEvery?: number;
  /** Resume from a checkpoint taken by onCheckpoint / saveCheckpoint (same model, data and options). */
  resume?: Checkpoint;
  /** fitAsync only: stop when this signal aborts (stopReason 'aborted'). */
  signal?: AbortSignal;
}

/** The result of fit: the History plus the optimizer and scheduler it used (built from names if needed). */
export interface FitResult {
  history: History;
  optimizer: TrainableOptimizer;
  scheduler: Scheduler | undefined;
}

/**
 * Trains `model` on (X, y) in place and returns the History (use fitDetailed to also get the
 * optimizer and scheduler it built from names).
 *
 * @example
 * await init();
 * const model = new SoftmaxRegression({ nFeatures: 64, nClasses: 10 });
 * const history = fit(model, X, y, { optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 }, batchSize: 32, maxEpochs: 20, validationSplit: 0.1 });
 * history.stopReason; // 'maxEpochs'
 */
export function fit(model: TrainableModel, X: MatrixInput, y: Labels, options: FitOptions = {}): History {
  return fitDetailed(model, X, y, options).history;
}

/** fit(), also returning the optimizer and scheduler (useful when they were built from names). */
export function fitDetailed(model: TrainableModel, X: MatrixInput, y: Labels, options: FitOptions = {}): FitResult {
  if (options.signal !== undefined) {
    throw new TypeError('fit(): options.signal needs the async form; use await fitAsync(model, X, y, { signal })');
  }
  const run = new TrainingRun(model, X, y, options);
  try {
    const it = run.loop();
    while (!it.next().done);
    return run.result();
  } finally {
    run.dispose();
  }
}

/**
 * The async form of fit(): the same loop, yielding to the event loop every ~10 ms of work so UIs
 * stay responsive, and stopping when `options.signal` aborts (the History says 'aborted').
 */
export async function fitAsync(model: TrainableModel, X: MatrixInput, y: Labels, options: FitOptions = {}): Promise<History> {
  return (await fitAsyncDetailed(model, X, y, options)).history;
}

export async function fitAsyncDetailed(model: TrainableModel, X: MatrixInput, y: Labels, options: FitOptions = {}): Promise<FitResult> {
  const run = new TrainingRun(model, X, y, options);
  try {
    const it = run.loop();
    let last = now();
    for (;;) {
      if (options.signal?.aborted) run.abort();
      if (it.next().done) break;
      if (now() - last > 10) {
        await yieldToEventLoop();
        last = now();
      }
    }
    return run.result();
  } finally {
    run.dispose();
  }
}

// ------------------------------------------------------------------------------------------------

interface Prepared {
  X: DataMatrix<Float32Array>;
  y: Float32Array | Int32Array;
  /** labels per row (1, or outputs for multi-output regression) */
  width: number;
}

class TrainingRun {
  readonly history: History;
  readonly optimizer: TrainableOptimizer;
  readonly scheduler: Scheduler | undefined;
  private readonly params: Param[];
  private readonly train: Prepared;
  private readonly val: Prepared | undefined;
  private readonly rng: Prng;
  private readonly batchSize: number;
  private readonly maxEpochs: number;
  private readonly order: Uint32Array;
  private readonly lastGood: Tensor[];
  private readonly metrics: MetricName[];
  private readonly es: Required<Omit<EarlyStoppingOptions, 'baseline'>> & { baseline: number | undefined; higher: boolean } | undefined;
  private esBest = NaN;
  private esWait = 0;
  private esBestWeights: Float32Array[] | undefined;
  private convBest = Infinity;
  private convCount = 0;
  private epoch = 0;
  private aborted = false;
  private batchX!: DataMatrix<Float32Array>;
  private batchY!: Float32Array | Int32Array;
  private tailX: DataMatrix<Float32Array> | undefined;
  private batchTensor!: Tensor;
  private gathered = true;
  private tailY: Float32Array | Int32Array | undefined;

  constructor(readonly model: TrainableModel, X: MatrixInput, y: Labels, readonly o: FitOptions) {
    checkOptions(o);
    this.params = model.parameters();
    if (this.params.length === 0) throw new RangeError('fit(): model.parameters() is empty; there is nothing to train');
    for (const p of this.params) p.assertLive('model parameter');
    const all = prepare(model, X, y, 'X', 'y');
    this.rng = new Prng(o.seed ?? 0);
    if (o.validationData) {
      this.train = all;
      this.val = prepare(model, o.validationData[0], o.validationData[1], 'validationData[0]', 'validationData[1]');
    } else if (o.validationSplit) {
      const stratify = model.task !== 'regression' && all.width === 1;
      const s = trainTestSplit(all.X, all.y as Float32Array, { testSize: o.validationSplit, seed: this.rng, stratify });
      this.train = { X: s.XTrain as DataMatrix<Float32Array>, y: s.yTrain as Float32Array | Int32Array, width: all.width };
      this.val = { X: s.XTest as DataMatrix<Float32Array>, y: s.yTest as Float32Array | Int32Array, width: all.width };
    } else {
      this.train = all;
    }
    const n = this.train.X.shape[0];
    if (n === 0) throw new RangeError('fit(): X has no rows (after the validation split); pass at least one row');
    const bs = o.batchSize ?? 32;
    this.batchSize = bs === 'full' ? n : Math.min(n, bs);
    this.maxEpochs = o.maxEpochs ?? 100;
    this.order = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.optimizer = resolveOptimizer(o.optimizer, this.params);
    this.scheduler = typeof o.scheduler === 'function' ? o.scheduler(this.optimizer) : o.scheduler;
    this.metrics = o.metrics ?? [];
    this.es = earlyStoppingConfig(o.earlyStopping, this.val !== undefined);
    this.history = new History();
    this.lastGood = this.params.map((p) => new Tensor(p.size, 'last-good copy'));
    this.allocateBatches();
    if (o.resume) {
      const r = restoreCheckpoint(o.resume, { model, optimizer: this.optimizer, scheduler: this.scheduler });
      this.rng.setState(r.prng);
      this.epoch = r.epoch;
      const h = History.fromJSON(r.history);
      this.history.epochs.push(...h.epochs);
      this.history.batchLoss.push(...h.batchLoss);
      const t = r.trainer as any;
      this.esBest = t.esBest; this.esWait = t.esWait; this.convBest = t.convBest; this.convCount = t.convCount;
      this.esBestWeights = t.esBestWeights?.map((w: number[]) => Float32Array.from(w));
      if (t.order) this.order.set(t.order);
    }
  }

  /**
   * Batches live in the backend's memory (a Tensor), so the model reads them in place (zero-copy):
   * mini-batches are gathered straight into it; a full batch in fixed order is copied in once.
   */
  private allocateBatches(): void {
    const { X, width } = this.train;
    const cols = X.shape[1];
    const k = this.batchSize;
    const n = X.shape[0];
    const yType = this.train.y instanceof Int32Array ? Int32Array : Float32Array;
    this.batchTensor = new Tensor(k * cols, 'batch');
    this.batchX = { data: this.batchTensor.data, shape: [k, cols] };
    if (k === n && !(this.o.shuffle ?? true)) {
      this.batchTensor.data.set(X.data);
      this.batchY = this.train.y;
      this.gathered = false;
      return;
    }
    this.batchY = new yType(k * width);
    const tail = n % k;
    if (tail) {
      this.tailX = { data: this.batchX.data.subarray(0, tail * cols), shape: [tail, cols] };
      this.tailY = this.batchY.subarray(0, tail * width);
    }
  }

  /** The batch matrices' views, rebuilt if the memory grew since (a grown memory detaches them). */
  private freshBatchViews(): void {
    const data = this.batchTensor.data;
    if (this.batchX.data !== data) {
      this.batchX.data = data;
      if (this.tailX) this.tailX.data = data.subarray(0, this.tailX.shape[0] * this.tailX.shape[1]);
    }
  }

  abort(): void {
    this.aborted = true;
  }

  result(): FitResult {
    return { history: this.history, optimizer: this.optimizer, scheduler: this.scheduler };
  }

  dispose(): void {
    for (const t of this.lastGood) t.dispose();
    this.batchTensor?.dispose();
  }

  private lr(): number {
    return this.optimizer.paramGroups[0]?.lr ?? NaN;
  }

  /** The training loop, one yield per batch, so fit and fitAsync share every line of it. */
  *loop(): Generator<void, void, void> {
    const { X, y, width } = this.train;
    const n = X.shape[0], cols = X.shape[1];
    const k = this.batchSize;
    const nBatches = Math.ceil(n / k);
    const shuffle = this.o.shuffle ?? true;
    const gather = this.gathered;
    const stop = (reason: StopReason, msg: string) => {
      this.history.stopReason = reason;
      this.history.stopMessage = msg;
    };
    this.history.stopReason = 'maxEpochs';
    this.history.stopMessage = `reached maxEpochs = ${this.maxEpochs}`;

    while (this.epoch < this.maxEpochs) {
      const epoch = this.epoch + 1;
      const t0 = now();
      if (shuffle) this.rng.shuffle(this.order);
      const epochLr = this.lr();
      let sum = 0;
      for (let b = 0; b < nBatches; b++) {
        if (this.aborted) {
          stop('aborted', `aborted by the signal during epoch ${epoch}`);
          return;
        }
        const start = b * k;
        const rows = Math.min(k, n - start);
        this.freshBatchViews();
        let bx = this.batchX, by = this.batchY;
        if (gather) {
          if (rows < k) { bx = this.tailX!; by = this.tailY!; }
          const src = X.data, dst = bx.data;
          for (let r = 0; r < rows; r++) {
            const i = this.order[start + r];
            dst.set(src.subarray(i * cols, (i + 1) * cols), r * cols);
            if (width === 1) by[r] = y[i];
            else by.set(y.subarray(i * width, (i + 1) * width), r * width);
          }
        }
        const loss = this.model.lossAndGrad(bx, by, PRECHECKED_BATCH);
        const lr = this.lr();
        if (!Number.isFinite(loss)) this.diverge(epoch, b + 1, 'loss', loss);
        // One pass over the gradients either way: clipping measures the norm it needs anyway.
        const gnorm = this.o.clipGradNorm !== undefined ? clipGradNorm(this.params, this.o.clipGradNorm) : this.gradSumSq();
        if (!Number.isFinite(gnorm)) this.diverge(epoch, b + 1, 'gradient', gnorm);
        this.saveLastGood();
        this.optimizer.step();
        if (this.scheduler?.stepsPerBatch) this.scheduler.step();
        this.history.batchLoss.push(loss);
        sum += loss * rows;
        if (this.o.onBatchEnd?.({ epoch, batch: b + 1, loss, lr }) === false) {
          this.finishEpoch(epoch, sum / n, epochLr, t0, true);
          stop('callback', `onBatchEnd returned false at epoch ${epoch}, batch ${b + 1}`);
          return;
        }
        yield;
      }
      const rec = this.finishEpoch(epoch, sum / n, epochLr, t0, false);
      this.epoch = epoch;

      if (this.o.onEpochEnd?.({ ...rec }) === false) {
        stop('callback', `onEpochEnd returned false after epoch ${epoch}`);
        return;
      }
      // sklearn's rule (MLPClassifier._update_no_improvement_count): count epochs whose loss is
      // not below best - tol; stop once the count exceeds nIterNoChange.
      if (this.o.tol !== undefined) {
        if (rec.loss > this.convBest - this.o.tol) this.convCount++;
        else this.convCount = 0;
        if (rec.loss < this.convBest) this.convBest = rec.loss;
        if (this.convCount > (this.o.nIterNoChange ?? 10)) {
          stop('converged', `training loss did not improve by tol = ${this.o.tol} for ${(this.o.nIterNoChange ?? 10)} consecutive epochs (epoch ${epoch})`);
          this.checkpoint(epoch, true);
          return;
        }
      }
      if (this.es && this.earlyStop(rec)) {
        stop('earlyStopping', `${this.es.monitor} did not improve for ${this.es.patience} epoch(s) after epoch ${this.history.bestEpoch ?? epoch}`);
        this.checkpoint(epoch, true);
        return;
      }
      this.checkpoint(epoch, false);
    }
    if (this.es?.restoreBestWeights) this.restoreBest();
  }

  private finishEpoch(epoch: number, loss: number, lr: number, t0: number, partial: boolean): EpochRecord {
    const metrics = this.metrics.length ? computeMetrics(this.model, this.train.X, this.train.y, this.metrics) : {};
    let valLoss: number | undefined;
    let valMetrics: Record<string, number> = {};
    if (this.val) {
      valLoss = this.model.loss(this.val.X, this.val.y);
      if (this.metrics.length) valMetrics = computeMetrics(this.model, this.val.X, this.val.y, this.metrics);
    }
    if (this.scheduler && !this.scheduler.stepsPerBatch && !partial) {
      if (this.scheduler.requiresMetric) this.scheduler.step(this.monitored({ loss, valLoss, metrics, valMetrics } as EpochRecord, this.es?.monitor));
      else this.scheduler.step();
    }
    const rec: EpochRecord = { epoch, loss, valLoss, metrics, valMetrics, lr, timeMs: now() - t0 };
    this.history.epochs.push(rec);
    if (this.o.verbose) {
      const parts = [`epoch ${String(epoch).padStart(String(this.maxEpochs).length)}/${this.maxEpochs}`, `loss ${fmt(loss)}`];
      if (valLoss !== undefined) parts.push(`val_loss ${fmt(valLoss)}`);
      for (const [m, v] of Object.entries(metrics)) parts.push(`${m} ${fmt(v)}`);
      for (const [m, v] of Object.entries(valMetrics)) parts.push(`val_${m} ${fmt(v)}`);
      parts.push(`lr ${lr.toExponential(2)}`, `${rec.timeMs.toFixed(0)} ms`);
      (this.o.log ?? console.log)(parts.join('  '));
    }
    return rec;
  }

  private monitored(rec: EpochRecord, monitor = this.val ? 'valLoss' : 'loss'): number {
    if (monitor === 'loss') return rec.loss;
    if (monitor === 'valLoss') {
      if (rec.valLoss === undefined) throw new TypeError("fit(): monitor 'valLoss' needs validation data; pass validationSplit or validationData, or monitor 'loss'");
      return rec.valLoss;
    }
    const m = /^val([A-Z].*)$/.exec(monitor);
    if (m) {
      const name = m[1][0].toLowerCase() + m[1].slice(1);
      const v = rec.valMetrics[name];
      if (v === undefined) throw new TypeError(`fit(): monitor '${monitor}' needs metrics: ['${name}'] and validation data`);
      return v;
    }
    const v = rec.metrics[monitor];
    if (v === undefined) throw new TypeError(`fit(): monitor '${monitor}' is not a loss or a requested metric; use 'loss', 'valLoss' or add it to metrics`);
    return v;
  }

  /**
   * Early stopping as TF.js (tf.callbacks.earlyStopping) and Keras before 2.6 do it: `best` starts
   * at `baseline` (or at the first epoch's value); an epoch improves when it beats `best` by more
   * than `minDelta`; `patience` epochs in a row without improvement stop training. (Keras 2.6+ code
   * never stops while values improve without beating the baseline, contrary to its docs; this
   * follows the docs.) Returns true to stop.
   */
  private earlyStop(rec: EpochRecord): boolean {
    const es = this.es!;
    const v = this.monitored(rec, es.monitor);
    const better = (a: number, b: number) => (es.higher ? a - es.minDelta > b : a + es.minDelta < b);
    if (Number.isNaN(this.esBest) && es.baseline !== undefined) this.esBest = es.baseline;
    if (Number.isNaN(this.esBest) || better(v, this.esBest)) {
      this.esBest = v;
      this.esWait = 0;
      this.history.bestEpoch = rec.epoch;
      if (es.restoreBestWeights) this.esBestWeights = this.params.map((p) => p.toArray());
      return false;
    }
    this.esWait++;
    if (this.esWait >= es.patience) {
      if (es.restoreBestWeights) this.restoreBest();
      return true;
    }
    return false;
  }

  private restoreBest(): void {
    if (!this.esBestWeights) return;
    this.params.forEach((p, i) => p.data.set(this.esBestWeights![i]));
  }

  private gradSumSq(): number {
    const k = getBackend().k;
    let s = 0;
    for (const p of this.params) s += k.f32_sumsq(p.gradPtr, p.size);
    return s;
  }

  private saveLastGood(): void {
    const k = getBackend().k;
    this.params.forEach((p, i) => k.f32_copy(this.lastGood[i].ptr, p.ptr, p.size));
  }

  private diverge(epoch: number, batch: number, what: 'loss' | 'gradient', value: number): never {
    // The parameters now in place produced the non-finite value; put back the previous ones (the
    // last whose loss and gradient were finite). Before the first step there is nothing older.
    if (this.history.batchLoss.length > 0) {
      const k = getBackend().k;
      this.params.forEach((p, i) => k.f32_copy(p.ptr, this.lastGood[i].ptr, p.size));
    }
    this.history.stopReason = 'aborted';
    this.history.stopMessage = `diverged at epoch ${epoch}, batch ${batch}: ${what} ${value}`;
    throw new DivergenceError(epoch, batch, what, value, this.history);
  }

  private checkpoint(epoch: number, final: boolean): void {
    if (!this.o.onCheckpoint) return;
    const every = this.o.checkpointEvery ?? 1;
    if (!final && epoch % every !== 0) return;
    this.o.onCheckpoint(
      captureCheckpoint({
        model: this.model,
        optimizer: this.optimizer,
        scheduler: this.scheduler,
        prng: this.rng.getState(),
        epoch,
        history: this.history.toJSON(),
        trainer: {
          esBest: this.esBest, esWait: this.esWait, convBest: this.convBest, convCount: this.convCount,
          esBestWeights: this.esBestWeights?.map((w) => Array.from(w)),
          order: Array.from(this.order),
        },
      }),
    );
  }
}

function prepare(model: TrainableModel, Xin: MatrixInput, yin: Labels, xName: string, yName: string): Prepared {
  const v = viewTable(Xin, 'fit', xName);
  const rows = v.rows, cols = v.cols;
  let data: Float32Array;
  if (v.flat instanceof Float32Array) data = v.flat;
  else {
    data = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = v.get(i, j);
  }
  for (let i = 0; i < data.length; i++) {
    // x - x is 0 for every finite x and NaN for NaN and ±Infinity (faster than Number.isFinite here).
    if (data[i] - data[i] !== 0) {
      const r = Math.floor(i / cols), c = i % cols;
      throw new TypeError(`fit(): ${xName} has ${data[i]} at row ${r}, column ${c}; remove or impute non-finite values before training`);
    }
  }
  if (yin === null || typeof yin !== 'object' || typeof (yin as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`fit(): ${yName} must be an array or typed array of labels, got ${yin === null ? 'null' : typeof yin}`);
  }
  if (rows === 0 || yin.length % rows !== 0) {
    throw new RangeError(`fit(): ${yName} has ${yin.length} labels but ${xName} has ${rows} rows; pass one label (or one row of targets) per row`);
  }
  const width = yin.length / rows;
  let y: Float32Array | Int32Array;
  if (model.task === 'regression') {
    y = yin instanceof Float32Array ? yin : Float32Array.from(yin as ArrayLike<number>);
  } else {
    y = yin instanceof Int32Array ? yin : new Int32Array(yin.length);
    if (y !== yin) {
      for (let i = 0; i < yin.length; i++) {
        const l = yin[i];
        if (!Number.isInteger(l)) throw new TypeError(`fit(): ${yName}[${i}] is ${l}; class labels must be integers`);
        y[i] = l;
      }
    }
  }
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw new TypeError(`fit(): ${yName}[${i}] is ${y[i]}; every label must be finite`);
  }
  return { X: { data, shape: [rows, cols] }, y, width };
}

function earlyStoppingConfig(o: EarlyStoppingOptions | undefined, hasVal: boolean) {
  if (!o) return undefined;
  const monitor = o.monitor ?? (hasVal ? 'valLoss' : 'loss');
  const mode = o.mode ?? 'auto';
  if (mode !== 'min' && mode !== 'max' && mode !== 'auto') throw new RangeError(`fit(): earlyStopping.mode must be 'min', 'max' or 'auto', got ${JSON.stringify(mode)}`);
  const patience = o.patience ?? 0;
  if (!Number.isInteger(patience) || patience < 0) throw new RangeError(`fit(): earlyStopping.patience must be a whole number >= 0, got ${patience}`);
  const minDelta = Math.abs(o.minDelta ?? 0);
  if (!Number.isFinite(minDelta)) throw new RangeError(`fit(): earlyStopping.minDelta must be finite, got ${o.minDelta}`);
  if (monitor === 'valLoss' && !hasVal) throw new TypeError("fit(): earlyStopping monitors 'valLoss' but there is no validation data; pass validationSplit or validationData, or monitor: 'loss'");
  const higher = mode === 'max' || (mode === 'auto' && isHigherBetter(monitor));
  return { monitor, mode, patience, minDelta, baseline: o.baseline, restoreBestWeights: o.restoreBestWeights ?? false, higher };
}

function checkOptions(o: FitOptions): void {
  if (o === null || typeof o !== 'object') throw new TypeError(`fit(): options must be an object, got ${o === null ? 'null' : typeof o}`);
  const bs = o.batchSize;
  if (bs !== undefined && bs !== 'full' && !(Number.isInteger(bs) && (bs as number) >= 1)) {
    throw new RangeError(`fit(): batchSize must be 'full', 1 (stochastic) or a whole number k >= 1 (mini-batch), got ${JSON.stringify(bs)}`);
  }
  if (o.maxEpochs !== undefined && !(Number.isInteger(o.maxEpochs) && o.maxEpochs >= 0)) {
    throw new RangeError(`fit(): maxEpochs must be a whole number >= 0, got ${o.maxEpochs}`);
  }
  if (o.validationSplit !== undefined && !(o.validationSplit > 0 && o.validationSplit < 1)) {
    throw new RangeError(`fit(): validationSplit must be a fraction in (0, 1), got ${o.validationSplit}; e.g. 0.1 holds out 10% of the rows`);
  }
  if (o.validationSplit !== undefined && o.validationData !== undefined) {
    throw new TypeError('fit(): pass validationSplit or validationData, not both');
  }
  if (o.clipGradNorm !== undefined && !(o.clipGradNorm > 0)) {
    throw new RangeError(`fit(): clipGradNorm must be a number > 0, got ${o.clipGradNorm}`);
  }
  if (o.tol !== undefined && !(o.tol >= 0)) throw new RangeError(`fit(): tol must be a number >= 0, got ${o.tol}`);
  if (o.nIterNoChange !== undefined && !(Number.isInteger(o.nIterNoChange) && o.nIterNoChange >= 1)) {
    throw new RangeError(`fit(): nIterNoChange must be a whole number >= 1, got ${o.nIterNoChange}`);
  }
  if (o.checkpointEvery !== undefined && !(Number.isInteger(o.checkpointEvery) && o.checkpointEvery >= 1)) {
    throw new RangeError(`fit(): checkpointEvery must be a whole number >= 1, got ${o.checkpointEvery}`);
  }
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
