/**
 * fit(): trains a model by gradient descent in any of the three modes — full batch
 * (`batchSize: 'full'`), stochastic (`1`) or mini-batch (`k`, default 32) — with seeded shuffling,
 * learning-rate schedules, gradient clipping, sklearn's convergence rule, validation, early
 * stopping, callbacks, divergence detection and checkpoints. `fitAsync()` is the same loop yielding
 * to the event loop between batches, and it takes an AbortSignal.
 */
import { getBackend } from '../init.js';
import { Param, Tensor } from '../tensor.js';
import type { DataMatrix } from '../data/matrix.js';
import { viewTable, type MatrixInput } from '../data/matrix.js';
import { splitIndices } from '../data/split.js';
import { Prng } from '../util/prng.js';
import { assertAttached, describe } from '../util/describe.js';
import { firstNonFinite } from '../losses/validate.js';
import { decodeArray, decodeNumber, encodeArray, encodeNumber } from '../util/json.js';
import { BOOLEAN, COUNT, COUNT0, FUNCTION, SEED, checkOptions, checkValue, type Rule, type Rules } from '../util/options.js';
import { FIT_BATCH } from '../models/base.js';
import { clipGradNorm } from '../optim/clip.js';
import type { Optimizer, ParamState } from '../optim/optimizer.js';
import { DivergenceError } from './errors.js';
import { History, type EpochRecord, type StopReason } from './history.js';
import { computeMetrics, isHigherBetter, METRIC_NAMES, type MetricName } from './metric-set.js';
import { resolveOptimizer, type OptimizerSpec } from './optimizer-spec.js';
import { applyCheckpoint, captureCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint.js';
import type { Labels, ParamStateLike, Scheduler, TrainableModel, TrainableOptimizer } from './types.js';

/** The option every batch is passed with: its rows were checked once, before the first step. */
/** The library's models keep some per-batch checks of this object's batches (src/models/base.ts). */
const CHECKED_BATCH = FIT_BATCH;
/** Training data up to this many values (16 MiB of float32) is kept in the backend's memory for the batch gather. */
const RESIDENT_ROWS_MAX = 4 * 1024 * 1024;

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
  /**
   * An optimizer instance over model.parameters() (yours: fit never disposes it), or a name with
   * options: 'adam' or { name: 'sgd', lr: 0.1, momentum: 0.9 } (fit builds it and frees it when it
   * returns or throws; fitDetailed hands it to you instead). Default { name: 'adam', lr: 1e-3 }.
   */
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
  /**
   * Record each parameter's gradient L2 norm per epoch (default false): the mean, over the epoch's
   * steps, of ‖∂L/∂p‖₂ as `lossAndGrad` wrote it (before `clipGradNorm`), in the epoch's record
   * (`gradNorms`, keyed by parameter name) and in `history.gradNorms`. Costs one pass over the
   * gradients per step when clipping is on, none otherwise (the divergence check already makes it).
   */
  recordGradNorms?: boolean;
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

/**
 * The result of fitDetailed / fitAsyncDetailed: the History plus the optimizer and scheduler used.
 * An optimizer built from a name is now the caller's: call `optimizer.dispose()` when done with it.
 */
export interface FitResult {
  history: History;
  optimizer: TrainableOptimizer;
  scheduler: Scheduler | undefined;
}

/**
 * Trains `model` on (X, y) in place and returns the History (use fitDetailed to also get the
 * optimizer and scheduler it built from names). Every option, callback and the whole data set
 * (X finite, labels valid for the model, `validationData` likewise) is checked before the first
 * step, so a bad input changes nothing. An optimizer fit builds from a name (or the default Adam)
 * is freed when it returns, on every path.
 *
 * @example
 * await init();
 * const model = new SoftmaxRegression({ nFeatures: 64, nClasses: 10 });
 * const history = fit(model, X, y, { optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 }, batchSize: 32, maxEpochs: 20, validationSplit: 0.1 });
 * history.stopReason; // 'maxEpochs'
 */
export function fit(model: TrainableModel, X: MatrixInput, y: Labels, options: FitOptions = {}): History {
  return runSync('fit', model, X, y, options, false).history;
}

/**
 * fit(), also returning the optimizer and scheduler (useful when they were built from names). An
 * optimizer built from a name is handed to the caller, who disposes it when done.
 * @example
 * const { history, optimizer } = fitDetailed(model, X, y, { optimizer: 'adam', maxEpochs: 5 });
 * optimizer.dispose?.();
 */
export function fitDetailed(model: TrainableModel, X: MatrixInput, y: Labels, options: FitOptions = {}): FitResult {
  return runSync('fitDetailed', model, X, y, options, true);
}

function runSync(fn: string, model: TrainableModel, X: MatrixInput, y: Labels, options: FitOptions, keepOptimizer: boolean): FitResult {
  const run = new TrainingRun(fn, model, X, y, options, false);
  let ok = false;
  try {
    const it = run.loop();
    while (!it.next().done);
    ok = true;
    return run.result();
  } finally {
    run.dispose(ok && keepOptimizer);
  }
}

/**
 * The async form of fit(): the same loop, yielding to the event loop every ~10 ms of work so UIs
 * stay responsive, and stopping when `options.signal` aborts (the History says 'aborted'). A model
 * trains in one run at a time: a second fitAsync (or fit) on it before the first finished is refused.
 * @example
 * const controller = new AbortController();
 * const history = await fitAsync(model, X, y, { maxEpochs: 50, signal: controller.signal });
 */
export async function fitAsync(model: TrainableModel, X: MatrixInput, y: Labels, options: FitOptions = {}): Promise<History> {
  return (await runAsync('fitAsync', model, X, y, options, false)).history;
}

/**
 * fitAsync(), also returning the optimizer and scheduler (an optimizer built from a name is handed
 * to the caller, who disposes it when done).
 * @example
 * const { history, optimizer } = await fitAsyncDetailed(model, X, y, { optimizer: 'sgd' });
 */
export async function fitAsyncDetailed(model: TrainableModel, X: MatrixInput, y: Labels, options: FitOptions = {}): Promise<FitResult> {
  return runAsync('fitAsyncDetailed', model, X, y, options, true);
}

async function runAsync(fn: string, model: TrainableModel, X: MatrixInput, y: Labels, options: FitOptions, keepOptimizer: boolean): Promise<FitResult> {
  const run = new TrainingRun(fn, model, X, y, options, true);
  let ok = false;
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
    ok = true;
    return run.result();
  } finally {
    run.dispose(ok && keepOptimizer);
  }
}

// ------------------------------------------------------------------------------------------------
// Options.

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const isScheduler = (v: unknown): boolean => isObject(v) && typeof v.step === 'function' && typeof v.stepsPerBatch === 'boolean';

const SCHEDULER_FIX = 'Pass a scheduler built on the same optimizer, e.g. scheduler: (opt) => new StepLR(opt, { stepSize: 10 }).';

const EARLY_STOPPING_RULES: Rules = {
  monitor: { kind: 'string', nonEmpty: true, fix: "Pass 'loss', 'valLoss', a metric name or 'val' + a metric name (e.g. 'valAccuracy')." },
  minDelta: { kind: 'number', fix: 'Pass the smallest change that counts as an improvement, e.g. 1e-4.' },
  patience: COUNT0,
  mode: { kind: 'enum', values: ['min', 'max', 'auto'] },
  baseline: { kind: 'number' },
  restoreBestWeights: BOOLEAN,
};

const FIT_RULES: Rules = {
  batchSize: {
    kind: 'anyOf', rules: [{ kind: 'enum', values: ['full'] }, { kind: 'number', integer: true, min: 1 }],
    want: "'full', 1 (stochastic) or a whole number k >= 1 (mini-batch)",
  },
  maxEpochs: COUNT0,
  shuffle: BOOLEAN,
  seed: SEED,
  optimizer: {
    kind: 'custom', want: "an optimizer instance, a name such as 'adam', or { name, ...options }",
    test: (v) => typeof v === 'string' || (isObject(v) && (typeof v.step === 'function' || typeof v.name === 'string')),
  },
  scheduler: {
    kind: 'custom', want: 'a scheduler or a function (optimizer) => scheduler', fix: SCHEDULER_FIX,
    test: (v) => typeof v === 'function' || isScheduler(v),
  },
  clipGradNorm: { kind: 'number', min: 0, minOpen: true, fix: 'Pass the largest total gradient norm, e.g. 1.' },
  tol: { kind: 'number', min: 0 },
  nIterNoChange: COUNT,
  validationSplit: { kind: 'number', min: 0, max: 1, minOpen: true, maxOpen: true, fix: 'e.g. 0.1 holds out 10% of the rows.' },
  validationData: {
    kind: 'custom', want: 'a pair [X, y]', fix: 'Pass validationData: [Xval, yval].',
    test: (v) => Array.isArray(v) && v.length === 2,
  },
  metrics: { kind: 'array', item: { kind: 'enum', values: METRIC_NAMES } },
  earlyStopping: { kind: 'object', rules: EARLY_STOPPING_RULES },
  onBatchEnd: FUNCTION,
  onEpochEnd: FUNCTION,
  recordGradNorms: BOOLEAN,
  verbose: BOOLEAN,
  log: FUNCTION,
  onCheckpoint: FUNCTION,
  checkpointEvery: COUNT,
  resume: { kind: 'custom', want: 'a checkpoint (from onCheckpoint or saveCheckpoint)', test: (v) => isObject(v) || typeof v === 'string' },
  signal: {
    kind: 'custom', want: 'an AbortSignal (e.g. new AbortController().signal)',
    test: (v) => isObject(v) && typeof v.aborted === 'boolean',
  },
};

const REGRESSION_METRICS: readonly MetricName[] = ['mse', 'mae', 'r2'];

/** Checks the model's shape, then every option and their combinations, before anything happens. */
function checkFitArgs(fn: string, model: unknown, o: FitOptions, async: boolean): asserts model is TrainableModel {
  const m = model as Record<string, unknown>;
  const need = ['parameters', 'lossAndGrad', 'loss', 'predict'].filter((k) => !isObject(m) || typeof m[k] !== 'function');
  if (!isObject(m) || need.length > 0) {
    throw new TypeError(`${fn}: model must be a model (with parameters(), lossAndGrad(), loss() and predict()), got ${describe(model)}${isObject(m) ? `, which has no ${need.join('(), ')}()` : ''}; pass e.g. new MLP({ layers: [4, 8, 3] })`);
  }
  checkValue(fn, 'model.task', m.task, { kind: 'enum', values: ['regression', 'binary', 'multiclass'], required: true });
  checkOptions(fn, o, FIT_RULES);
  if (isObject(o.optimizer) && (o.optimizer as { disposed?: unknown }).disposed === true) {
    throw new TypeError(`${fn}: options.optimizer was disposed; build a new optimizer over model.parameters(), or pass its name`);
  }
  if (!async && o.signal !== undefined) {
    throw new TypeError(`${fn}: options.signal needs the async form; use await fitAsync(model, X, y, { signal })`);
  }
  if (o.validationSplit !== undefined && o.validationData !== undefined) {
    throw new TypeError(`${fn}: pass options.validationSplit or options.validationData, not both`);
  }
  const metrics = o.metrics ?? [];
  if ((model as TrainableModel).task === 'regression') {
    const bad = metrics.find((x) => !REGRESSION_METRICS.includes(x));
    if (bad !== undefined) throw new RangeError(`${fn}: options.metrics has ${describe(bad)}, a classification metric, but the model does regression; use ${REGRESSION_METRICS.map((x) => `'${x}'`).join(', ')}`);
  }
  if (metrics.includes('logLoss') && typeof m.predictProba !== 'function') {
    throw new TypeError(`${fn}: options.metrics has 'logLoss', which needs a model with predictProba(); drop it or use 'accuracy'`);
  }
  const hasVal = o.validationSplit !== undefined || o.validationData !== undefined;
  const monitor = o.earlyStopping?.monitor;
  if (monitor !== undefined) checkMonitor(fn, 'options.earlyStopping.monitor', monitor, metrics, hasVal);
}

/** A monitored quantity must exist at the end of every epoch: 'loss', 'valLoss', a requested metric or 'val' + one. */
function checkMonitor(fn: string, where: string, monitor: string, metrics: readonly MetricName[], hasVal: boolean): void {
  if (monitor === 'loss') return;
  if (monitor === 'valLoss') {
    if (!hasVal) throw new TypeError(`${fn}: ${where} is 'valLoss' but there is no validation data; pass options.validationSplit or options.validationData, or monitor 'loss'`);
    return;
  }
  const v = /^val([A-Z].*)$/.exec(monitor);
  const name = v ? v[1][0].toLowerCase() + v[1].slice(1) : monitor;
  if (!metrics.includes(name as MetricName)) {
    throw new RangeError(`${fn}: ${where} is ${describe(monitor)}, which is not 'loss', 'valLoss' or one of options.metrics${v ? ' with val' : ''}; add '${name}' to options.metrics or monitor 'loss'`);
  }
  if (v && !hasVal) throw new TypeError(`${fn}: ${where} is ${describe(monitor)} but there is no validation data; pass options.validationSplit or options.validationData`);
}

// ------------------------------------------------------------------------------------------------

interface Prepared {
  X: DataMatrix<Float32Array>;
  y: Float32Array | Int32Array;
  /** labels per row (1, or outputs for multi-output regression) */
  width: number;
}

/** Models being trained now: a second run on the same model (another fitAsync, a fit inside a callback) is refused. */
const TRAINING = new WeakSet<object>();

/** The trainer's own state in a checkpoint. */
interface TrainerState {
  esBest: number;
  esWait: number;
  convBest: number;
  convCount: number;
  esBestWeights: Float32Array[] | undefined;
  order: Uint32Array;
}

class TrainingRun {
  readonly history: History;
  optimizer!: TrainableOptimizer;
  scheduler: Scheduler | undefined;
  private readonly params: Param[];
  private train!: Prepared;
  private val: Prepared | undefined;
  private readonly rng: Prng;
  private batchSize = 0;
  private maxEpochs = 0;
  private order!: Uint32Array;
  private readonly lastGood: Tensor[] = [];
  private rollback: StateRollback | null = null;
  private readonly metrics: MetricName[];
  private es: Required<Omit<EarlyStoppingOptions, 'baseline'>> & { baseline: number | undefined; higher: boolean } | undefined;
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
  private batchTensor: Tensor | undefined;
  /** The training rows in the backend's memory (small data sets), gathered into batches by one kernel call. */
  private residentX: Tensor | undefined;
  /** The batch's row indices for that gather (int32 bits in a tensor's bytes), and an Int32Array view of them. */
  private batchIdx: Tensor | undefined;
  private idxView: Int32Array | undefined;
  private gathered = true;
  private tailY: Float32Array | Int32Array | undefined;
  /** The optimizer was built here (from a name or the default): fit frees it unless handed over. */
  private ownsOptimizer = false;
  private locked = false;
  /** recordGradNorms: per parameter, the sum of this epoch's step norms, and the steps counted. */
  private normSums: Float64Array | undefined;
  private normSteps = 0;
  private normKeys: string[] = [];

  constructor(private readonly fn: string, readonly model: TrainableModel, X: MatrixInput, y: Labels, readonly o: FitOptions, async: boolean) {
    checkFitArgs(fn, model, o, async);
    this.params = model.parameters();
    if (!Array.isArray(this.params) || this.params.length === 0) throw new RangeError(`${fn}: model.parameters() is empty; there is nothing to train`);
    this.params.forEach((p, i) => {
      if (!(p instanceof Param)) throw new TypeError(`${fn}: model.parameters()[${i}] must be a parameter made by param(), got ${describe(p)}`);
      p.assertLive(`model parameter ${i}`);
    });
    if (TRAINING.has(model)) {
      throw new Error(
        `${fn}: this model is already being trained by another fit()/fitAsync() call that has not finished ` +
          '(a second fitAsync on the same model, or fit called from inside a callback of another). ' +
          'Wait for the first to finish (await its promise), or train a separate model.',
      );
    }
    this.rng = new Prng(o.seed ?? 0);
    this.metrics = o.metrics ?? [];
    this.history = new History();
    TRAINING.add(model);
    this.locked = true;
    try {
      this.setUp(X, y);
    } catch (e) {
      this.dispose(false);
      throw e;
    }
  }

  /** Everything that may fail or allocate: data checks, the split, buffers, optimizer, scheduler, resume. */
  private setUp(X: MatrixInput, y: Labels): void {
    const { fn, o, model } = this;
    const memory = getBackend().memory;
    const all = prepare(fn, model, X, y, 'X', 'y', memory);
    if (o.validationData) {
      this.train = all;
      this.val = prepare(fn, model, o.validationData[0], o.validationData[1], 'options.validationData[0]', 'options.validationData[1]', memory);
      if (this.val.X.shape[1] !== all.X.shape[1] || this.val.width !== all.width) {
        throw new RangeError(`${fn}: options.validationData[0] has ${this.val.X.shape[1]} columns and ${this.val.width} label(s) per row, but X has ${all.X.shape[1]} and ${all.width}; pass validation data shaped like the training data`);
      }
    } else if (o.validationSplit) {
      const n = all.X.shape[0];
      const stratify = model.task !== 'regression' && all.width === 1;
      const [tr, te] = splitIndices(n, all.y, o.validationSplit, this.rng, stratify, true, {
        fn, testSize: 'options.validationSplit', stratifyFix: 'pass options.validationData explicitly (fit stratifies validationSplit for classifiers)',
      });
      this.train = takePrepared(all, tr);
      this.val = takePrepared(all, te);
    } else {
      this.train = all;
    }
    const n = this.train.X.shape[0];
    if (n === 0) throw new RangeError(`${fn}: X has no rows${o.validationSplit ? ' (after the validation split)' : ''}; pass at least one row`);
    const bs = o.batchSize ?? 32;
    this.batchSize = bs === 'full' ? n : Math.min(n, bs);
    this.maxEpochs = o.maxEpochs ?? 100;
    this.order = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.order[i] = i;
    this.es = earlyStoppingConfig(fn, o.earlyStopping, this.val !== undefined);

    // The optimizer: an instance is the caller's; one built from a name is ours until handed over.
    const spec = o.optimizer;
    this.ownsOptimizer = !(isObject(spec) && typeof spec.step === 'function');
    this.optimizer = resolveOptimizer(spec, this.params);
    if (!this.ownsOptimizer) checkOptimizerParams(fn, this.optimizer, this.params);
    this.scheduler = this.makeScheduler();

    for (const p of this.params) this.lastGood.push(new Tensor(p.size, 'last-good copy'));
    this.rollback = StateRollback.for(this.optimizer);
    this.rollback?.save(); // makes its copies now (every step saves again before stepping)
    if (o.recordGradNorms) {
      this.normSums = new Float64Array(this.params.length);
      this.normKeys = gradNormKeys(this.params);
    }
    this.allocateBatches();
    if (o.resume !== undefined) this.resume(o.resume);
  }

  private makeScheduler(): Scheduler | undefined {
    const { fn, o } = this;
    if (o.scheduler === undefined) return undefined;
    let s: unknown = o.scheduler;
    let where = 'options.scheduler';
    if (typeof s === 'function') {
      s = (s as (opt: TrainableOptimizer) => unknown)(this.optimizer);
      where = 'options.scheduler(optimizer)';
      if (!isScheduler(s)) throw new TypeError(`${fn}: ${where} must return a scheduler, got ${describe(s)}. ${SCHEDULER_FIX}`);
    }
    const sched = s as Scheduler;
    if (isObject(sched.optimizer) && (sched.optimizer as unknown) !== this.optimizer) {
      throw new TypeError(
        `${fn}: ${where} drives another optimizer than the one fit trains with, so it would change nothing` +
          `${this.ownsOptimizer ? ' (fit builds its optimizer from options.optimizer)' : ''}. ${SCHEDULER_FIX}`,
      );
    }
    if (sched.requiresMetric) {
      const monitor = this.es?.monitor ?? (this.val ? 'valLoss' : 'loss');
      checkMonitor(fn, 'the monitored value of ReduceLROnPlateau (options.earlyStopping.monitor)', monitor, this.metrics, this.val !== undefined);
    }
    return sched;
  }

  /**
   * Resumes from a checkpoint: everything (parameters, PRNG, trainer state, history, then the
   * optimizer's and scheduler's own checks) is checked before anything is overwritten.
   */
  private resume(raw: Checkpoint): void {
    const { fn } = this;
    const where = 'options.resume';
    const parsed = parseCheckpoint(raw, this.params, fn, where);
    const c = parsed.checkpoint;
    const trainer = decodeTrainer(fn, `${where}.trainer`, c.trainer, this.order.length, this.params);
    const history = History.fromJSON(c.history, `${fn}: ${where}.history`);
    if (c.epoch > 0 && history.epochs.length !== c.epoch && history.stopReason !== 'callback') {
      throw new RangeError(`${fn}: ${where}.history has ${history.epochs.length} epochs but the checkpoint says ${c.epoch}; the checkpoint is truncated or edited`);
    }
    applyCheckpoint(parsed, { model: this.model, optimizer: this.optimizer, scheduler: this.scheduler }, this.params, fn);
    // Nothing below can fail.
    this.rng.setState(c.prng);
    this.epoch = c.epoch;
    this.history.epochs.push(...history.epochs);
    this.history.batchLoss.push(...history.batchLoss);
    this.esBest = trainer.esBest;
    this.esWait = trainer.esWait;
    this.convBest = trainer.convBest;
    this.convCount = trainer.convCount;
    this.esBestWeights = trainer.esBestWeights;
    this.order.set(trainer.order);
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
    if (n * cols <= RESIDENT_ROWS_MAX) {
      // small data: one gather kernel a batch instead of a typed-array copy (and a subarray) per row
      this.residentX = new Tensor(n * cols, 'training rows');
      this.residentX.data.set(X.data);
      this.batchIdx = new Tensor(k, 'batch row indices');
    }
    const tail = n % k;
    if (tail) {
      // the resident copy above may have grown the memory: take the batch's view afresh
      this.batchX.data = this.batchTensor.data;
      this.tailX = { data: this.batchX.data.subarray(0, tail * cols), shape: [tail, cols] };
      this.tailY = this.batchY.subarray(0, tail * width);
    }
  }

  /** The batch matrices' views, rebuilt if the memory grew since (a grown memory detaches them). */
  private freshBatchViews(): void {
    const data = this.batchTensor!.data;
    if (this.batchX.data !== data) {
      this.batchX.data = data;
      if (this.tailX) this.tailX.data = data.subarray(0, this.tailX.shape[0] * this.tailX.shape[1]);
    }
    if (this.batchIdx && (this.idxView === undefined || this.idxView.buffer !== data.buffer)) {
      const f = this.batchIdx.data;
      this.idxView = new Int32Array(f.buffer, f.byteOffset, f.length);
    }
  }

  /** Gathers the batch's rows (order[start..start+rows)) into the batch tensor and their labels into `by`. */
  private gather(start: number, rows: number, by: Float32Array | Int32Array): void {
    const { X, y, width } = this.train;
    const cols = X.shape[1], order = this.order;
    if (this.residentX) {
      const idx = this.idxView!;
      for (let r = 0; r < rows; r++) idx[r] = order[start + r];
      getBackend().k.f32_embedding(this.batchTensor!.ptr, this.residentX.ptr, this.batchIdx!.ptr, rows, cols, X.shape[0]);
    } else {
      const src = X.data, dst = this.batchTensor!.data;
      for (let r = 0; r < rows; r++) {
        const i = order[start + r];
        dst.set(src.subarray(i * cols, (i + 1) * cols), r * cols);
      }
    }
    for (let r = 0; r < rows; r++) {
      const i = order[start + r];
      if (width === 1) by[r] = y[i];
      else by.set(y.subarray(i * width, (i + 1) * width), r * width);
    }
  }

  abort(): void {
    this.aborted = true;
  }

  result(): FitResult {
    return { history: this.history, optimizer: this.optimizer, scheduler: this.scheduler };
  }

  /** Frees what the run allocated (and the optimizer it built, unless handed to the caller); releases the model. */
  dispose(keepOptimizer: boolean): void {
    for (const t of this.lastGood) t.dispose();
    this.lastGood.length = 0;
    this.batchTensor?.dispose();
    this.residentX?.dispose();
    this.batchIdx?.dispose();
    this.rollback?.dispose();
    if (this.ownsOptimizer && !keepOptimizer) this.optimizer?.dispose?.();
    if (this.locked) TRAINING.delete(this.model);
    this.locked = false;
  }

  private lr(): number {
    return this.optimizer.paramGroups[0]?.lr ?? NaN;
  }
  /** The training loop, one yield per batch, so fit and fitAsync share every line of it. */
  *loop(): Generator<void, void, void> {
    const n = this.train.X.shape[0];
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
          this.gather(start, rows, by);
        }
        const loss = this.model.lossAndGrad(bx, by, CHECKED_BATCH);
        const lr = this.lr();
        if (!Number.isFinite(loss)) this.diverge(epoch, b + 1, 'loss', loss);
        // One pass over the gradients either way: clipping measures the norm it needs anyway.
        if (this.normSums && this.o.clipGradNorm !== undefined) this.gradSumSq(); // norms before clipping
        const gnorm = this.o.clipGradNorm !== undefined ? clipGradNorm(this.params, this.o.clipGradNorm) : this.gradSumSq();
        if (!Number.isFinite(gnorm)) this.diverge(epoch, b + 1, 'gradient', gnorm);
        this.saveLastGood();
        this.rollback?.save();
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
    if (this.normSums) {
      const norms: Record<string, number> = {};
      this.normKeys.forEach((key, i) => (norms[key] = this.normSums![i] / this.normSteps));
      rec.gradNorms = norms;
      this.normSums.fill(0);
      this.normSteps = 0;
    }
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
      if (rec.valLoss === undefined) throw new TypeError(`${this.fn}: monitor 'valLoss' needs validation data; pass options.validationSplit or options.validationData, or monitor 'loss'`);
      return rec.valLoss;
    }
    const m = /^val([A-Z].*)$/.exec(monitor);
    if (m) {
      const name = m[1][0].toLowerCase() + m[1].slice(1);
      const v = rec.valMetrics[name];
      if (v === undefined) throw new TypeError(`${this.fn}: monitor '${monitor}' needs options.metrics: ['${name}'] and validation data`);
      return v;
    }
    const v = rec.metrics[monitor];
    if (v === undefined) throw new TypeError(`${this.fn}: monitor '${monitor}' is not a loss or a requested metric; use 'loss', 'valLoss' or add it to options.metrics`);
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

  /** The gradients' total sum of squares; with recordGradNorms, also adds each one's norm to this epoch's sums. */
  private gradSumSq(): number {
    const k = getBackend().k;
    let s = 0;
    const sums = this.normSums;
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i];
      const q = k.f32_sumsq(p.gradPtr, p.size);
      s += q;
      if (sums) sums[i] += Math.sqrt(q);
    }
    if (sums) this.normSteps++;
    return s;
  }

  private saveLastGood(): void {
    const k = getBackend().k, ps = this.params, lg = this.lastGood;
    for (let i = 0; i < ps.length; i++) k.f32_copy(lg[i].ptr, ps[i].ptr, ps[i].size);
  }

  private diverge(epoch: number, batch: number, what: 'loss' | 'gradient', value: number): never {
    // The parameters now in place produced the non-finite value; put back the previous ones (the
    // last whose loss and gradient were finite) and the optimizer's state from then, so that a
    // run continued with a lower learning rate starts clean. Before the first step there is
    // nothing older.
    let stateRolledBack = this.rollback !== null;
    if (this.history.batchLoss.length > 0) {
      const k = getBackend().k;
      this.params.forEach((p, i) => k.f32_copy(p.ptr, this.lastGood[i].ptr, p.size));
      stateRolledBack = this.rollback?.restore() ?? false;
    }
    this.history.stopReason = 'aborted';
    this.history.stopMessage = `diverged at epoch ${epoch}, batch ${batch}: ${what} ${value}`;
    throw new DivergenceError(epoch, batch, what, value, this.history, stateRolledBack);
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
          esBest: encodeNumber(this.esBest), esWait: this.esWait, convBest: encodeNumber(this.convBest), convCount: this.convCount,
          esBestWeights: this.esBestWeights?.map((w) => encodeArray(w)),
          order: Array.from(this.order),
        },
      }),
    );
  }
}

/** Checks the trainer section of a checkpoint against this run (data size, parameter sizes). */
function decodeTrainer(fn: string, where: string, t: unknown, n: number, params: readonly Param[]): TrainerState {
  if (!isObject(t)) {
    throw new TypeError(
      `${fn}: ${where} must be fit's trainer state, got ${describe(t)}: a checkpoint from saveCheckpoint() has none. ` +
        'Resume it with loadCheckpoint(checkpoint, { model, optimizer }) and a new fit, or pass a checkpoint from onCheckpoint.',
    );
  }
  // Checkpoints from before the codec wrote NaN and Infinity as null: those are the starting values.
  const esBest = t.esBest === null ? NaN : decodeNumber(t.esBest, `${fn}: ${where}.esBest`);
  const convBest = t.convBest === null ? Infinity : decodeNumber(t.convBest, `${fn}: ${where}.convBest`);
  const esWait = decodeNumber(t.esWait, `${fn}: ${where}.esWait`, { integer: true, min: 0 });
  const convCount = decodeNumber(t.convCount, `${fn}: ${where}.convCount`, { integer: true, min: 0 });
  let esBestWeights: Float32Array[] | undefined;
  if (t.esBestWeights !== undefined && t.esBestWeights !== null) {
    if (!Array.isArray(t.esBestWeights) || t.esBestWeights.length !== params.length) {
      throw new RangeError(`${fn}: ${where}.esBestWeights must hold ${params.length} arrays (one per parameter), got ${describe(t.esBestWeights)}`);
    }
    esBestWeights = t.esBestWeights.map((w, i) => Float32Array.from(decodeArray(w, `${fn}: ${where}.esBestWeights[${i}]`, params[i].size, { finite: true })));
  }
  if (!Array.isArray(t.order)) throw new TypeError(`${fn}: ${where}.order must be the shuffle order (an array of row indices), got ${describe(t.order)}`);
  if (t.order.length !== n) {
    throw new RangeError(
      `${fn}: the checkpoint was saved training on ${t.order.length} rows but this data has ${n} (after any validation split); ` +
        'resume with the same data, validationSplit and seed',
    );
  }
  const order = new Uint32Array(n);
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = t.order[i];
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= n || seen[r]) {
      throw new RangeError(`${fn}: ${where}.order[${i}] is ${describe(r)}; the order must hold each row index 0..${n - 1} once (the checkpoint is truncated or edited)`);
    }
    seen[r] = 1;
    order[i] = r;
  }
  return { esBest, esWait, convBest, convCount, esBestWeights, order };
}

/** An optimizer given as an instance must be over the model's parameters, else fit would step other values. */
function checkOptimizerParams(fn: string, opt: TrainableOptimizer, params: readonly Param[]): void {
  const mine = opt.params;
  if (!Array.isArray(mine)) return; // an optimizer of the user's own without a params list
  const set = new Set(mine);
  const missing = params.findIndex((p) => !set.has(p));
  if (missing >= 0) {
    throw new TypeError(`${fn}: options.optimizer does not hold model.parameters()[${missing}]${params[missing].name ? ` ('${params[missing].name}')` : ''}, so fit would not train it; build the optimizer over model.parameters()`);
  }
}

/**
 * The optimizer's state at the last step, for rolling back on divergence: each parameter's step
 * count, buffers (copied aside before every step) and scalars, restored through loadStateDict. Only
 * for optimizers with `params` and `state(p)` (the library's); others roll back their parameters only.
 * The library's buffers are tensors in the backend's memory: they are copied by the copy kernel into
 * tensors of the run's own (made at set-up by a first save, freed by dispose), not into JS arrays.
 */
class StateRollback {
  private readonly saved: Array<{ step: number; buffers: Record<string, Float32Array | Float64Array | Tensor | null>; scalars: Record<string, number>; copies: Record<string, Tensor> }>;

  private constructor(private readonly opt: TrainableOptimizer & { params: Param[]; state(p: Param): ParamStateLike }) {
    this.saved = opt.params.map(() => ({ step: 0, buffers: {}, scalars: {}, copies: {} }));
  }

  static for(opt: TrainableOptimizer): StateRollback | null {
    return Array.isArray(opt.params) && typeof opt.state === 'function' ? new StateRollback(opt as TrainableOptimizer & { params: Param[]; state(p: Param): ParamStateLike }) : null;
  }

  /** save()'s visitor for the library's optimizers, made once (save runs every step). */
  private readonly saveOne = (i: number, st: ParamState): void => {
    const slot = this.saved[i];
    slot.step = st.step;
    const unset = st.unset.size === 0 ? null : st.unset;
    for (const key in st.buffers) {
      const b = st.buffers[key];
      if (unset !== null && unset.has(key)) slot.buffers[key] = null;
      else if (b instanceof Tensor) this.copy(slot, key, b);
      else this.keep(slot, key, (b as { data: Float32Array | Float64Array }).data); // a float64 engine's buffer
    }
    for (const key in st.scalars) slot.scalars[key] = st.scalars[key];
  };

  save(): void {
    const opt = this.opt as { forEachState?: Optimizer<{ lr: number }>['forEachState'] };
    if (typeof opt.forEachState === 'function') {
      // the library's optimizers: their live state, without state(p)'s objects (this runs every step)
      opt.forEachState.call(this.opt, this.saveOne);
      return;
    }
    const ps = this.opt.params;
    for (let i = 0; i < ps.length; i++) {
      const st = this.opt.state(ps[i]);
      const slot = this.saved[i];
      slot.step = st.step;
      for (const key in st) {
        if (key === 'step') continue;
        const v = st[key];
        if (typeof v === 'number') slot.scalars[key] = v;
        else this.keep(slot, key, v);
      }
    }
  }

  /** Copies the tensor buffer `key` into the slot's tensor of that name (made on the first save), with the backend's copy kernel. */
  private copy(slot: StateRollback['saved'][number], key: string, b: Tensor): void {
    let c = slot.copies[key];
    if (c === undefined || c.size !== b.size) {
      c?.dispose();
      c = slot.copies[key] = new Tensor(b.size, 'rollback copy');
    }
    b.backend.k.f32_copy(c.ptr, b.ptr, b.size);
    slot.buffers[key] = c;
  }

  /** Copies buffer `key` (or its absence, null) into the slot, reusing the slot's copy. */
  private keep(slot: StateRollback['saved'][number], key: string, v: Float32Array | Float64Array | null): void {
    if (v === null) {
      slot.buffers[key] = null;
      return;
    }
    let copy = slot.buffers[key];
    if (!copy || copy instanceof Tensor || copy.length !== v.length || copy.constructor !== v.constructor) copy = slot.buffers[key] = new (v.constructor as Float32ArrayConstructor)(v.length);
    copy.set(v);
  }

  /** Puts the saved state back; false if the optimizer refused it (its state is then as it was). */
  restore(): boolean {
    const sd = this.opt.stateDict() as { state?: Array<Record<string, unknown>> };
    if (!isObject(sd) || !Array.isArray(sd.state) || sd.state.length !== this.saved.length) return false;
    sd.state.forEach((entry, i) => {
      const slot = this.saved[i];
      entry.step = slot.step;
      for (const [k, v] of Object.entries(slot.buffers)) if (k in entry) entry[k] = v === null ? null : encodeArray(v instanceof Tensor ? v.data : v);
      for (const [k, v] of Object.entries(slot.scalars)) if (k in entry) entry[k] = encodeNumber(v);
    });
    try {
      this.opt.loadStateDict(sd);
      return true;
    } catch {
      return false;
    }
  }

  /** Frees the copies in the backend's memory. */
  dispose(): void {
    for (const slot of this.saved) {
      for (const key in slot.copies) slot.copies[key].dispose();
      slot.copies = {};
    }
  }
}

function takePrepared(p: Prepared, idx: Uint32Array): Prepared {
  const cols = p.X.shape[1], w = p.width;
  const X = new Float32Array(idx.length * cols);
  const y = new (p.y.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(idx.length * w);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    X.set(p.X.data.subarray(i * cols, (i + 1) * cols), r * cols);
    y.set(p.y.subarray(i * w, (i + 1) * w), r * w);
  }
  return { X: { data: X, shape: [idx.length, cols] }, y, width: w };
}

const INT32 = 2147483648;

/**
 * The data set, checked once and in fit's own copy where needed: X as float32 (every value a
 * finite number; data that lives in the backend's memory is copied, since fit allocates), y as
 * Int32Array class labels (whole numbers, not wrapped) or Float32Array targets. Then the model's
 * own checkData, with the caller's names.
 */
function prepare(fn: string, model: TrainableModel, Xin: MatrixInput, yin: Labels, xName: string, yName: string, memory: { readonly buffer: ArrayBufferLike }): Prepared {
  const v = viewTable(Xin, fn, xName);
  const rows = v.rows, cols = v.cols;
  if (rows === 0) throw new RangeError(`${fn}: ${xName} has no rows; pass at least one row`);
  let data: Float32Array;
  if (v.flat instanceof Float32Array) data = v.flat.buffer === memory.buffer ? v.flat.slice() : v.flat;
  else {
    data = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = v.get(i, j);
  }
  const bad = firstNonFinite(data);
  if (bad >= 0) {
    const r = Math.floor(bad / cols), c = bad % cols;
    const given = v.get(r, c);
    const why = Number.isFinite(given) ? ', too large for float32' : '';
    throw new TypeError(`${fn}: ${xName}[${r}][${c}] (row ${r}, column ${c}) is ${describe(given)}${why}; every value must be finite: remove or impute it before training`);
  }
  if (yin === null || typeof yin !== 'object' || typeof (yin as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${fn}: ${yName} must be an array or typed array of labels, got ${describe(yin)}`);
  }
  assertAttached(yin, fn, yName);
  if (ArrayBuffer.isView(yin) && yin.buffer === memory.buffer) yin = (yin as Float32Array).slice();
  if (rows === 0 || yin.length % rows !== 0) {
    throw new RangeError(`${fn}: ${yName} has ${yin.length} labels but ${xName} has ${rows} rows; pass one label (or one row of targets) per row`);
  }
  const width = yin.length / rows;
  const src = yin as ArrayLike<unknown>;
  let y: Float32Array | Int32Array;
  if (model.task === 'regression') {
    y = new Float32Array(yin.length);
    for (let i = 0; i < yin.length; i++) {
      const l = src[i];
      if (typeof l !== 'number' || !Number.isFinite(l)) throw new TypeError(`${fn}: ${yName}[${i}] is ${describe(l)}; every target must be a finite number`);
      y[i] = l;
      if (!Number.isFinite(y[i])) throw new TypeError(`${fn}: ${yName}[${i}] is ${describe(l)}, too large for float32; scale the targets`);
    }
  } else {
    if (width !== 1) throw new RangeError(`${fn}: ${yName} has ${yin.length} labels but ${xName} has ${rows} rows; a classifier takes one class label per row`);
    y = new Int32Array(yin.length);
    for (let i = 0; i < yin.length; i++) {
      const l = src[i];
      if (typeof l !== 'number' || !Number.isInteger(l) || l >= INT32 || l < -INT32) {
        throw new (typeof l === 'number' ? RangeError : TypeError)(`${fn}: ${yName}[${i}] is ${describe(l)}; class labels must be whole numbers (class indices 0, 1, ...)`);
      }
      y[i] = l;
    }
  }
  const prepared: Prepared = { X: { data, shape: [rows, cols] }, y, width };
  // X was scanned above (every value finite in float32): the model's check skips that scan
  model.checkData?.(prepared.X, prepared.y, { fn, X: xName, y: yName, xFinite: true });
  return prepared;
}

/** recordGradNorms' keys: each parameter's name, else `param<i>`; a repeated name gets `#<i>` after it. */
function gradNormKeys(params: Param[]): string[] {
  const seen = new Set<string>();
  return params.map((p, i) => {
    let key = p.name ?? `param${i}`;
    if (seen.has(key)) key = `${key}#${i}`;
    seen.add(key);
    return key;
  });
}

function earlyStoppingConfig(fn: string, o: EarlyStoppingOptions | undefined, hasVal: boolean) {
  if (!o) return undefined;
  const monitor = o.monitor ?? (hasVal ? 'valLoss' : 'loss');
  const mode = o.mode ?? 'auto';
  const patience = o.patience ?? 0;
  const minDelta = Math.abs(o.minDelta ?? 0);
  if (monitor === 'valLoss' && !hasVal) throw new TypeError(`${fn}: options.earlyStopping monitors 'valLoss' but there is no validation data; pass options.validationSplit or options.validationData, or monitor: 'loss'`);
  const higher = mode === 'max' || (mode === 'auto' && isHigherBetter(monitor));
  return { monitor, mode, patience, minDelta, baseline: o.baseline, restoreBestWeights: o.restoreBestWeights ?? false, higher };
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
