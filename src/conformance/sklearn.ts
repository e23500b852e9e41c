/**
 * Conformance handler for sklearn_reference.json (with sklearn_splits.json and data/<dataset>.csv
 * from the same directory). For each case it rebuilds the split and the stored standardisation,
 * then on every backend:
 *
 * - logistic regressions (LogisticRegression with multi_class 'multinomial' → SoftmaxRegression
 *   with one row per class, 'ovr' on two classes → LogisticRegression) are trained on sklearn's
 *   objective C·Σ −log p + ½‖W‖² (intercept not penalised; C read from the case) by L-BFGS
 *   (src/minimize, float64 iterates) over the model's float32 lossAndGrad, to a tight gradient.
 *   The objective is then evaluated in float64 at our parameters (model.loss64) and must be within
 *   1e-4 relative of the stored `tight_fit.train_objective`, with the same test accuracy as the tight
 *   fit. A binary 'multinomial' fit is the two-row softmax model: sklearn's stored row w is
 *   (W₁ − W₀)/2 of ours, and its objective C·Σℓ(2w) + ‖w‖² is the two-row objective (the README's
 *   "2w and C' = 2C").
 * - linear regression: LinearRegression trained on the mean squared error by L-BFGS; its test MSE
 *   must be within 0.5% of sklearn's.
 * Other estimators in the file (SGD, LinearSVC, MLP) depend on sklearn's RNG: not judged here.
 */
import { minimize } from '../minimize/index.js';
import { LinearRegression, LogisticRegression, SoftmaxRegression, type Model } from '../models/index.js';
import type { CaseResult, ConformanceContext, Handler } from './types.js';

const OBJECTIVE_RTOL = 1e-4;
const MSE_RTOL = 5e-3;

interface Table { X: Float64Array; y: Float64Array; rows: number; cols: number }

function parseCsv(text: string, name: string): Table {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0].split(',');
  const cols = header.length - 1;
  const rows = lines.length - 1;
  const X = new Float64Array(rows * cols), y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const f = lines[i + 1].split(',');
    if (f.length !== cols + 1) throw new Error(`${name}: row ${i} has ${f.length} fields, the header ${cols + 1}`);
    for (let j = 0; j < cols; j++) X[i * cols + j] = Number(f[j]);
    y[i] = Number(f[cols]);
  }
  return { X, y, rows, cols };
}

/** Rows `idx` of the table, standardised with the stored scaler, as float32 { data, shape }. */
function take(t: Table, idx: number[], mean: number[], scale: number[]) {
  const data = new Float32Array(idx.length * t.cols);
  const y = new Float64Array(idx.length);
  idx.forEach((r, i) => {
    for (let j = 0; j < t.cols; j++) data[i * t.cols + j] = (t.X[r * t.cols + j] - mean[j]) / (scale[j] === 0 ? 1 : scale[j]);
    y[i] = t.y[r];
  });
  return { X: { data, shape: [idx.length, t.cols] as [number, number] }, y };
}

/** L-BFGS in float64 over the model's parameters, with the model's float32 objective and gradient. */
function fitLbfgs(model: Model, X: { data: Float32Array; shape: [number, number] }, y: ArrayLike<number>, maxIter: number) {
  const params = model.parameters();
  const n = params.reduce((a, p) => a + p.size, 0);
  const x0 = new Float64Array(n);
  let off = 0;
  for (const p of params) { x0.set(p.data, off); off += p.size; }
  const last = new Float64Array(n).fill(NaN);
  const lastGrad = new Float64Array(n);
  let lastF = NaN;
  const evaluate = (x: Float64Array) => {
    let same = true;
    for (let i = 0; i < n; i++) if (x[i] !== last[i]) { same = false; break; }
    if (same) return lastF;
    let o = 0;
    for (const p of params) { p.data.set(x.subarray(o, o + p.size)); o += p.size; }
    lastF = model.lossAndGrad(X, y);
    o = 0;
    for (const p of params) { lastGrad.set(p.grad, o); o += p.size; }
    last.set(x);
    return lastF;
  };
  const r = minimize(evaluate, x0, {
    method: 'lbfgs', maxIter, tol: 1e-6, toleranceChange: 1e-12, historySize: 20,
    grad: (x, out) => { evaluate(x); out.set(lastGrad); },
  });
  let o = 0;
  for (const p of params) { p.data.set(r.x.subarray(o, o + p.size)); o += p.size; }
  return r;
}

const accuracy = (pred: ArrayLike<number>, y: ArrayLike<number>) => {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return ok / y.length;
};

function runLogistic(dataset: string, name: string, m: any, train: ReturnType<typeof take>, test: ReturnType<typeof take>): { passed: boolean; detail: string } {
  const tight = m.tight_fit;
  if (!tight) return { passed: false, detail: 'no tight_fit in the case' };
  const C = Number(m.params?.C ?? 1);
  const nFeatures = train.X.shape[1];
  let classes = 0;
  for (const v of train.y) classes = Math.max(classes, v + 1);
  for (const v of test.y) classes = Math.max(classes, v + 1);
  const multinomial = m.params?.multi_class === 'multinomial';
  if (!multinomial && classes !== 2) return { passed: false, detail: `one-vs-rest with ${classes} classes is not a single descent model` };
  const model: Model = multinomial
    ? new SoftmaxRegression({ nFeatures, nClasses: Math.max(2, classes), C })
    : new LogisticRegression({ nFeatures, C });
  try {
    const yTrain = Int32Array.from(train.y), yTest = Int32Array.from(test.y);
    const r = fitLbfgs(model, train.X, yTrain, 1000);
    const objective = model.loss64(train.X, yTrain);
    const ref = tight.train_objective as number;
    const rel = Math.abs(objective - ref) / Math.abs(ref);
    const acc = accuracy(model.predict(test.X), yTest);
    const refAcc = tight.test_accuracy as number;
    // sklearn's coefficients in our layout (weight is nFeatures × outputs)
    const W = model.parameters()[0].data, K = model.numOutputs;
    let coefErr = 0;
    const coef = tight.coef as number[][];
    for (let c = 0; c < coef.length; c++) {
      for (let j = 0; j < nFeatures; j++) {
        const ours = multinomial && coef.length === 1 ? (W[j * K + 1] - W[j * K]) / 2 : W[j * K + c];
        coefErr = Math.max(coefErr, Math.abs(ours - coef[c][j]));
      }
    }
    const passed = rel <= OBJECTIVE_RTOL && Math.abs(acc - refAcc) < 1e-12;
    return {
      passed,
      detail: `objective ${objective.toPrecision(10)} vs ${ref.toPrecision(10)} (rel ${rel.toExponential(2)} <= ${OBJECTIVE_RTOL}); ` +
        `test accuracy ${acc.toFixed(5)} vs ${refAcc.toFixed(5)}; max|coef − sklearn| ${coefErr.toExponential(2)}; ` +
        `L-BFGS ${r.nIter} it, max|g| ${maxAbs(r.grad).toExponential(1)} (${r.status})`,
    };
  } finally {
    model.dispose();
  }
}

function runLinear(m: any, train: ReturnType<typeof take>, test: ReturnType<typeof take>): { passed: boolean; detail: string } {
  const model = new LinearRegression({ nFeatures: train.X.shape[1] });
  try {
    const yTrain = Float32Array.from(train.y);
    const r = fitLbfgs(model, train.X, yTrain, 2000);
    const pred = model.predict(test.X);
    let mse = 0;
    for (let i = 0; i < test.y.length; i++) mse += (pred[i] - test.y[i]) ** 2;
    mse /= test.y.length;
    const ref = m.test_mse as number;
    const rel = Math.abs(mse - ref) / ref;
    return {
      passed: rel <= MSE_RTOL,
      detail: `test MSE ${mse.toFixed(3)} vs ${ref.toFixed(3)} (rel ${rel.toExponential(2)} <= ${MSE_RTOL}); L-BFGS ${r.nIter} it (${r.status})`,
    };
  } finally {
    model.dispose();
  }
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export const sklearnHandler: Handler = {
  name: 'sklearn',
  matches: (f) => f === 'sklearn_reference.json',
  async run(file, json, ctx: ConformanceContext) {
    const out: CaseResult[] = [];
    const splits = JSON.parse(ctx.readText('sklearn_splits.json'));
    const tables = new Map<string, Table>();
    for (const c of json.cases as any[]) {
      const dataset = String(c.dataset);
      const split = splits.splits?.[dataset];
      const judged = Object.entries(c.models as Record<string, any>).filter(([, m]) =>
        (m.estimator === 'LogisticRegression' && m.tight_fit) || m.estimator === 'LinearRegression');
      if (!split) {
        for (const [name] of judged) out.push({ file, name: `${dataset}/${name}`, backend: '-', passed: false, detail: `sklearn_splits.json has no split for ${dataset}` });
        continue;
      }
      if (!tables.has(dataset)) tables.set(dataset, parseCsv(ctx.readText(`data/${dataset}.csv`), `data/${dataset}.csv`));
      const t = tables.get(dataset)!;
      const mean = c.scaler?.mean ?? new Array(t.cols).fill(0);
      const scale = c.scaler?.scale ?? new Array(t.cols).fill(1);
      for (const backend of ctx.backends) {
        await ctx.useBackend(backend);
        const train = take(t, split.train, mean, scale), test = take(t, split.test, mean, scale);
        for (const [name, m] of judged) {
          try {
            const r = m.estimator === 'LinearRegression' ? runLinear(m, train, test) : runLogistic(dataset, name, m, train, test);
            out.push({ file, name: `${dataset}/${name}`, backend, ...r });
          } catch (e) {
            out.push({ file, name: `${dataset}/${name}`, backend, passed: false, detail: `threw: ${(e as Error).stack ?? e}` });
          }
        }
      }
    }
    return out;
  },
};
