/**
 * The four commands: train, predict, evaluate, lr-find. Each returns its exit code; bad input
 * throws a UsageError (main prints it as one line and exits 2).
 */
import { toNumber } from '../data/csv.js';
import { trainTestSplit } from '../data/split.js';
import { MinMaxScaler, StandardScaler } from '../data/preprocess.js';
import type { DataMatrix } from '../data/matrix.js';
import { LinearRegression, LinearSVM, LogisticRegression, MLP, SoftmaxRegression, type Model } from '../models/index.js';
import { fit } from '../train/fit.js';
import { lrFind } from '../train/lr-find.js';
import { optimizerNames } from '../train/optimizer-spec.js';
import { computeMetrics, type MetricName } from '../train/metric-set.js';
import { confusionMatrix, meanAbsoluteError, meanSquaredError, r2Score } from '../train/metrics.js';
import { DivergenceError } from '../train/errors.js';
import { lossCurveSVG } from '../plot/loss-curve.js';
import { formatShort } from '../plot/axes.js';
import { describe } from '../util/describe.js';
import { COUNT, SEED } from '../util/options.js';
import { enumFlag, numberFlag, requiredFlag, stringFlag, type Parsed } from './args.js';
import { csvField, readForModel, readTable, type CliTask, type Table } from './data.js';
import { FORMAT, loadModel, scaled, type LoadedModel, type SavedModel, type Scaler } from './model-file.js';
import { Progress } from './progress.js';
import { UsageError, type CliIO } from './io.js';

const MODELS = ['linear', 'logistic', 'softmax', 'svm', 'mlp'] as const;
type ModelName = (typeof MODELS)[number];
const SCALES = ['standard', 'minmax', 'none'] as const;
type ScaleName = (typeof SCALES)[number];

/** The flags train and lr-find share, checked and with their defaults. */
interface Setup {
  table: Table;
  modelName: ModelName;
  hidden: number[];
  optimizer: string;
  batchSize: number | 'full';
  scale: ScaleName;
  seed: number;
}

function setup(io: CliIO, p: Parsed): Setup {
  const file = p.args[0];
  const target = requiredFlag(p, 'target', 'species');
  const task = enumFlag<CliTask>(p, 'task', ['regression', 'classification']);
  const modelFlag = enumFlag<ModelName>(p, 'model', MODELS);
  const hiddenFlag = stringFlag(p, 'hidden');
  if (hiddenFlag !== undefined && modelFlag !== 'mlp') throw new UsageError(`--hidden applies to --model mlp${modelFlag ? `, not ${modelFlag}` : ''}; add --model mlp or drop --hidden`);
  const hidden = (hiddenFlag ?? '64').split(',').map((s) => s.trim());
  if (hidden.some((s) => !/^\d+$/.test(s) || Number(s) < 1)) {
    throw new UsageError(`--hidden must be layer sizes >= 1 separated by commas, got ${describe(hiddenFlag)}. Pass e.g. --hidden 64,32`);
  }
  const optimizer = (stringFlag(p, 'optimizer') ?? 'adam').toLowerCase();
  enumFlag({ args: [], flags: { optimizer } }, 'optimizer', optimizerNames());
  const batchRaw = stringFlag(p, 'batch-size');
  const batchSize = batchRaw === 'full' ? 'full' : numberFlag(p, 'batch-size', 32, { ...COUNT, fix: "Pass a number of rows such as 32, or 'full'." });
  const scale = enumFlag<ScaleName>(p, 'scale', SCALES) ?? 'standard';
  const seed = numberFlag(p, 'seed', 0, SEED);
  const table = readTable(io, file, target, task);
  const modelName = modelFlag ?? (table.task === 'regression' ? 'linear' : table.classes!.length === 2 ? 'logistic' : 'softmax');
  const fits: Record<ModelName, CliTask[]> = { linear: ['regression'], logistic: ['classification'], softmax: ['classification'], svm: ['classification'], mlp: ['regression', 'classification'] };
  if (!fits[modelName].includes(table.task)) {
    throw new UsageError(`--model ${modelName} is for ${fits[modelName][0]}, but ${table.target} is a ${table.task} target (${table.taskReason}); use --model ${table.task === 'regression' ? 'linear or mlp' : 'logistic, softmax, svm or mlp'}${table.taskReason === '--task' ? '' : ', or --task'}`);
  }
  return { table, modelName, hidden: hidden.map(Number), optimizer, batchSize, scale, seed };
}

function buildModel(s: Setup): Model {
  const d = s.table.X.shape[1];
  const K = s.table.classes?.length ?? 0;
  switch (s.modelName) {
    case 'linear': return new LinearRegression({ nFeatures: d });
    case 'logistic': return new LogisticRegression({ nFeatures: d, ...(K > 2 ? { nClasses: K } : {}) });
    case 'softmax': return new SoftmaxRegression({ nFeatures: d, nClasses: K });
    case 'svm': return new LinearSVM({ nFeatures: d, nClasses: K });
    case 'mlp': return new MLP({ layers: [d, ...s.hidden, K || 1], seed: s.seed });
  }
}

function describeModel(s: Setup): string {
  const K = s.table.classes?.length ?? 0;
  switch (s.modelName) {
    case 'linear': return 'linear regression';
    case 'logistic': return K > 2 ? `logistic regression (one-vs-rest, ${K} classes)` : 'logistic regression';
    case 'softmax': return 'softmax regression';
    case 'svm': return K > 2 ? `linear SVM (multiclass hinge, ${K} classes)` : 'linear SVM';
    case 'mlp': return `MLP ${[s.table.X.shape[1], ...s.hidden, K || 1].join('-')} (relu)`;
  }
}

function makeScaler(scale: ScaleName): Scaler | null {
  return scale === 'standard' ? new StandardScaler() : scale === 'minmax' ? new MinMaxScaler() : null;
}

/** A regression target as a one-column matrix (for its scaler). */
function column(y: ArrayLike<number>): DataMatrix<Float64Array> {
  return { data: Float64Array.from(y), shape: [y.length, 1] };
}

function taskLine(t: Table): string {
  const what = t.task === 'classification'
    ? `classification, ${t.classes!.length} classes: ${t.classes!.slice(0, 6).join(', ')}${t.classes!.length > 6 ? ', …' : ''}`
    : 'regression';
  return `${t.file}: ${t.X.shape[0]} rows, ${t.X.shape[1]} features, target ${describe(t.target)} (${what}; ${t.taskReason === '--task' ? 'from --task' : `inferred from ${t.taskReason}, --task to override`})`;
}

// ------------------------------------------------------------------------------------------------

/** `descent train data.csv --target COL --out model.json [...]`. */
export function train(io: CliIO, p: Parsed): number {
  const out = requiredFlag(p, 'out', 'model.json');
  const plot = stringFlag(p, 'plot');
  const lr = numberFlag(p, 'lr', 1e-3, { kind: 'number', min: 0, minOpen: true, fix: 'Pass e.g. --lr 1e-3.' });
  const epochs = numberFlag(p, 'epochs', 100, { ...COUNT, fix: 'Pass e.g. --epochs 100.' });
  const val = numberFlag(p, 'val', 0.1, { kind: 'number', min: 0, max: 1, maxOpen: true, fix: 'Pass a fraction such as 0.1, or 0 for none.' });
  const test = numberFlag(p, 'test', 0.2, { kind: 'number', min: 0, max: 1, maxOpen: true, fix: 'Pass a fraction such as 0.2, or 0 for none.' });
  const patience = p.flags['early-stopping'] === undefined ? undefined : numberFlag(p, 'early-stopping', 0, { ...COUNT, fix: 'Pass a number of epochs such as 5.' });
  for (const f of [out, plot]) {
    const why = f === undefined ? null : io.cannotWrite(f);
    if (why) throw new UsageError(`cannot write ${describe(f)}: ${why}`);
  }
  const s = setup(io, p);
  const { table } = s;
  const classification = table.task === 'classification';

  // The held-out test rows, stratified for classification, seeded.
  let trainX = table.X, trainY: Int32Array | Float64Array = table.y, testX: DataMatrix<Float32Array> | undefined, testY: Int32Array | Float64Array | undefined;
  if (test > 0) {
    const split = trainTestSplit(table.X, table.y, { testSize: test, seed: s.seed, stratify: classification });
    ({ XTrain: trainX, yTrain: trainY, XTest: testX, yTest: testY } = split);
  }
  const scaler = makeScaler(s.scale);
  if (scaler) scaler.fit(trainX);
  const targetScaler = classification ? null : makeScaler(s.scale);
  if (targetScaler) targetScaler.fit(column(trainY));
  const Xs = scaled(scaler, trainX);
  const ys = targetScaler ? Float32Array.from(targetScaler.transform(column(trainY)).data) : trainY;

  const model = buildModel(s);
  try {
    const metric: MetricName = classification ? 'accuracy' : 'r2';
    const w = io.stdout.write.bind(io.stdout);
    w(`${taskLine(table)}\n`);
    w(`${describeModel(s)}, ${s.optimizer} (lr ${lr}), batch ${s.batchSize}, up to ${epochs} epochs${patience ? `, early stopping after ${patience}` : ''}; ` +
      `${trainX.shape[0]} training rows${val > 0 ? ` (${Math.round(val * 100)}% of them for validation)` : ''}, ${testX ? `${testX.shape[0]} test rows` : 'no test rows'}, ` +
      `${s.scale === 'none' ? 'no scaling' : `${s.scale} scaling`}${targetScaler ? ' (the loss is on the scaled target)' : ''}, seed ${s.seed}\n`);
    const progress = new Progress(io, epochs, metric);
    let history;
    try {
      history = fit(model, Xs, ys, {
        optimizer: { name: s.optimizer, lr }, batchSize: s.batchSize, maxEpochs: epochs, seed: s.seed,
        ...(val > 0 ? { validationSplit: val } : {}),
        metrics: [metric],
        ...(patience ? { earlyStopping: { patience, restoreBestWeights: true, monitor: val > 0 ? 'valLoss' : 'loss' } } : {}),
        ...(progress.tty ? { onEpochEnd: (rec) => progress.epoch(rec) } : { verbose: true, log: (line: string) => w(`${line}\n`) }),
      });
    } catch (e) {
      progress.end();
      if (e instanceof DivergenceError) {
        io.stderr.write(`descent train: training diverged at epoch ${e.epoch} (the ${e.what} became ${e.value}); try a smaller --lr than ${lr}\n`);
        return 1;
      }
      throw e;
    }
    progress.end();
    const kept = patience && history.bestEpoch !== undefined && history.bestEpoch < history.epochs.length;
    w(`stopped: ${history.stopMessage}${kept ? `; kept the weights of epoch ${history.bestEpoch}, the best` : ''}\n`);

    let testMetrics: Record<string, number> | undefined;
    if (testX && testY) {
      testMetrics = metricsOf({ model, scaler, targetScaler, task: table.task }, testX, testY);
      w(`test (${testX.shape[0]} rows): ${formatMetrics(testMetrics)}\n`);
    }
    const saved: SavedModel = {
      format: FORMAT, version: 1, task: table.task, target: table.target, features: table.featureNames,
      ...(classification ? { classes: table.classes } : {}),
      scaler: scaler ? scaler.toJSON() : null,
      targetScaler: targetScaler ? targetScaler.toJSON() : null,
      model: model.toJSON(),
      training: {
        data: table.file, model: describeModel(s), optimizer: s.optimizer, lr, batchSize: s.batchSize, epochs, val, test,
        earlyStopping: patience ?? null, scale: s.scale, seed: s.seed, trainRows: trainX.shape[0], testRows: testX?.shape[0] ?? 0,
        epochsRun: history.epochs.length, stopReason: history.stopReason, ...(testMetrics ? { testMetrics } : {}),
      },
    };
    io.writeText(out, `${JSON.stringify(saved, null, 1)}\n`);
    w(`saved ${out}\n`);
    if (plot) {
      const series = [{ label: 'training loss', values: history.loss, x: history.epochs.map((e) => e.epoch) }];
      if (val > 0) series.push({ label: 'validation loss', values: history.valLoss, x: history.epochs.map((e) => e.epoch) });
      io.writeText(plot, `${lossCurveSVG(series, { title: `${describeModel(s)} on ${table.file}`, yLabel: targetScaler ? 'loss (scaled target)' : 'loss' })}\n`);
      w(`wrote ${plot}\n`);
    }
    return 0;
  } finally {
    model.dispose();
  }
}

/** A model with what turns rows into its input and its output into the user's units. */
type Predictor = Pick<LoadedModel, 'model' | 'scaler' | 'targetScaler' | 'task'>;

/** Predictions: class indices for classification, values in the target's units for regression. */
function predictValues(m: Predictor, X: DataMatrix<Float32Array>): number[] | Int32Array {
  const raw = m.model.predict(scaled(m.scaler, X));
  if (m.task === 'classification') return raw as Int32Array;
  return m.targetScaler ? Array.from(m.targetScaler.inverseTransform(column(raw)).data) : Array.from(raw);
}

/** Test metrics: accuracy, macro F1 and log loss (when the model gives probabilities); or MSE, RMSE, MAE and R² in the target's units. */
function metricsOf(m: Predictor, X: DataMatrix<Float32Array>, y: ArrayLike<number>): Record<string, number> {
  if (m.task === 'classification') {
    const names: MetricName[] = ['accuracy', 'f1', ...(probaOf(m.model) ? (['logLoss'] as const) : [])];
    return computeMetrics(m.model, scaled(m.scaler, X), y, names);
  }
  const pred = predictValues(m, X);
  const mse = meanSquaredError(y, pred);
  return { mse, rmse: Math.sqrt(mse), mae: meanAbsoluteError(y, pred), r2: r2Score(y, pred) };
}

/** The model's class probabilities, when it gives them (not a linear SVM, not a regressor). */
function probaOf(model: Model): ((X: DataMatrix<Float32Array>) => Float32Array) | undefined {
  return 'predictProba' in model ? (X) => model.predictProba(X) : undefined;
}

const METRIC_LABELS: Record<string, string> = { accuracy: 'accuracy', f1: 'F1 (macro)', logLoss: 'log loss', mse: 'MSE', rmse: 'RMSE', mae: 'MAE', r2: 'R²' };

function formatMetrics(m: Record<string, number>): string {
  return Object.entries(m).map(([k, v]) => `${METRIC_LABELS[k] ?? k} ${formatShort(v)}`).join(', ');
}

/** A float32 result in 7 significant digits (as many as float32 holds), without trailing zeros. */
function csvNumber(v: number): string {
  return String(Number(v.toPrecision(7)));
}

/** `descent predict model.json data.csv [--proba]`: CSV on stdout. */
export function predict(io: CliIO, p: Parsed): number {
  const proba = p.flags.proba === true;
  const m = loadModel(io, p.args[0]);
  try {
    const { saved } = m;
    if (proba && saved.task !== 'classification') throw new UsageError(`--proba needs a classifier; ${p.args[0]} is a regression model. Drop --proba`);
    const probs = probaOf(m.model);
    if (proba && !probs) throw new UsageError(`--proba needs probabilities, which a ${saved.model.type} does not give (it scores classes). Drop --proba, or train with --model logistic, softmax or mlp`);
    const { X } = readForModel(io, p.args[1], saved.features, saved.target, false);
    const lines: string[] = [];
    if (proba) {
      const P = probs!(scaled(m.scaler, X));
      const K = saved.classes!.length, n = X.shape[0];
      lines.push(saved.classes!.map(csvField).join(','));
      for (let i = 0; i < n; i++) lines.push(Array.from(P.subarray(i * K, (i + 1) * K), csvNumber).join(','));
    } else {
      lines.push(csvField(saved.target));
      const pred = predictValues(m, X);
      for (const v of pred) lines.push(saved.task === 'classification' ? csvField(saved.classes![v]) : csvNumber(v));
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    m.model.dispose();
  }
}

/** `descent evaluate model.json data.csv`: metrics (and a confusion matrix for classifiers). */
export function evaluate(io: CliIO, p: Parsed): number {
  const m = loadModel(io, p.args[0]);
  try {
    const { saved } = m;
    const { X, labels } = readForModel(io, p.args[1], saved.features, saved.target, true);
    let y: Int32Array | Float64Array;
    if (saved.task === 'classification') {
      const index = new Map(saved.classes!.map((c, k) => [c, k]));
      const numeric = saved.classes!.every((c) => String(Number(c)) === c);
      y = Int32Array.from(labels!, (raw, i) => {
        // Labels compare as train read them: numbers by value ("1.0" is class "1"), text trimmed.
        const v = numeric ? toNumber(raw.trim()) : undefined;
        const key = v !== undefined ? String(v) : raw.trim();
        const k = index.get(key);
        if (k === undefined) throw new UsageError(`${p.args[1]}: row ${i + 1} has the label ${describe(raw)}, which is not one of the model's classes: ${saved.classes!.join(', ')}`);
        return k;
      });
    } else {
      y = Float64Array.from(labels!, (raw, i) => {
        const v = toNumber(raw.trim());
        if (v === undefined) throw new UsageError(`${p.args[1]}: row ${i + 1} has the target ${describe(raw)}, not a number`);
        return v;
      });
    }
    const w = io.stdout.write.bind(io.stdout);
    const what = typeof saved.training?.model === 'string' ? saved.training.model : saved.model.type;
    w(`${p.args[1]}: ${X.shape[0]} rows; ${what} predicting ${describe(saved.target)}\n`);
    const metrics = metricsOf(m, X, y);
    const width = Math.max(...Object.keys(metrics).map((k) => (METRIC_LABELS[k] ?? k).length));
    for (const [k, v] of Object.entries(metrics)) w(`${(METRIC_LABELS[k] ?? k).padEnd(width)}  ${formatShort(v)}\n`);
    if (saved.task === 'classification') {
      const K = saved.classes!.length;
      const cm = confusionMatrix(y, m.model.predict(scaled(m.scaler, X)) as Int32Array, K);
      const names = saved.classes!;
      const cw = Math.max(...names.map((c) => c.length), ...cm.flat().map((v) => String(v).length));
      const rw = Math.max(...names.map((c) => c.length), 'true \\ predicted'.length);
      w(`confusion matrix (rows: true class, columns: predicted):\n`);
      w(`${'true \\ predicted'.padEnd(rw)}  ${names.map((c) => c.padStart(cw)).join('  ')}\n`);
      cm.forEach((row, r) => w(`${names[r].padEnd(rw)}  ${row.map((v) => String(v).padStart(cw)).join('  ')}\n`));
    }
    return 0;
  } finally {
    m.model.dispose();
  }
}

/** A word as a POSIX shell reads it back: quoted when it holds anything but safe characters. */
function shellWord(s: string): string {
  return /^[\w./:@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `descent lr-find data.csv --target COL [--plot lr.svg]`. */
export function lrFindCommand(io: CliIO, p: Parsed): number {
  const plot = stringFlag(p, 'plot');
  const why = plot === undefined ? null : io.cannotWrite(plot);
  if (why) throw new UsageError(`cannot write ${describe(plot)}: ${why}`);
  const s = setup(io, p);
  const { table } = s;
  const scaler = makeScaler(s.scale);
  const X = scaler ? (scaler.fit(table.X), scaler.transform(table.X)) : table.X;
  const targetScaler = table.task === 'regression' ? makeScaler(s.scale) : null;
  const y = targetScaler ? Float32Array.from(targetScaler.fit(column(table.y)).transform(column(table.y)).data) : table.y;
  const model = buildModel(s);
  const w = io.stdout.write.bind(io.stdout);
  w(`${taskLine(table)}\n`);
  w(`${describeModel(s)}, ${s.optimizer}, batch ${s.batchSize}: learning rate from 1e-7 to 10 over 100 steps\n`);
  const batchSize = s.batchSize === 'full' ? table.X.shape[0] : s.batchSize;
  let r;
  try {
    r = lrFind(model, X, y, { batchSize, seed: s.seed, optimizer: s.optimizer === 'sgd' ? { name: 'sgd', momentum: 0.9 } : { name: s.optimizer } });
  } finally {
    model.dispose();
  }
  if (r.lrs.length === 0) {
    io.stderr.write('descent lr-find: the loss was not finite from the first step; check the data\n');
    return 1;
  }
  const best = r.losses.reduce((k, v, i) => (v < r.losses[k] ? i : k), 0);
  w(`${r.lrs.length} steps; the smoothed loss was lowest (${formatShort(r.losses[best])}) at lr ${formatShort(r.lrs[best])}\n`);
  w(`suggested learning rate: ${formatShort(r.suggestion.valley)} (valley); steepest descent at ${formatShort(r.suggestion.steepest)}, minimum / 10 = ${formatShort(r.suggestion.minimum)}\n`);
  w(`try: descent train ${shellWord(table.file)} --target ${shellWord(table.target)} --lr ${formatShort(r.suggestion.valley)} --out model.json\n`);
  if (plot) {
    io.writeText(plot, `${lossCurveSVG([{ label: 'smoothed loss', x: r.lrs, values: r.losses }], { logX: true, xLabel: 'learning rate', title: `lr-find: ${describeModel(s)} on ${table.file}` })}\n`);
    w(`wrote ${plot}\n`);
  }
  return 0;
}

