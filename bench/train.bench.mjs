// Question: how long does descent take to reach scikit-learn's test accuracy on the digits split,
// on each backend? Softmax regression to 0.969 (sklearn LogisticRegression(lbfgs): 0.9694) and
// MLP(64) with Adam to 0.97 (sklearn MLPClassifier((64,), adam): 0.9722). The clock runs during
// training only: the test accuracy checked after every epoch is not counted. Median of 5 runs.
// Run: node bench/train.bench.mjs (after npm run build).
import { init, loadDigits, digitsSplit, takeRows, StandardScaler, SoftmaxRegression, MLP, fit, accuracy } from '../dist/entry/node.js';
import { fmt, isMain, table, target, writeResults } from './harness.mjs';

export const title = 'Training: time to scikit-learn accuracy on the digits split';
const BACKENDS = ['wasm-simd', 'wasm-scalar', 'js'];
const REPEATS = 5;
// Measured on this machine before descent existed (issue #5): scikit-learn with native BLAS.
const SKLEARN_MS = { softmax: 75, mlp: 975 };

function data() {
  const digits = loadDigits(), split = digitsSplit(), d = digits.shape[1];
  const train = takeRows(digits.X, digits.y, split.trainIndices), test = takeRows(digits.X, digits.y, split.testIndices);
  const scaler = new StandardScaler().fit(train.X);
  return { train: { X: scaler.transform(train.X), y: train.y }, test: { X: scaler.transform(test.X), y: test.y }, d };
}

const TASKS = [
  { key: 'softmax', name: 'softmax regression → 0.969', target: 0.969, maxEpochs: 100,
    model: (d) => new SoftmaxRegression({ nFeatures: d, nClasses: 10, penalty: 'l2', alpha: 1e-3 }), optimizer: { name: 'adam', lr: 0.01 }, batchSize: 32 },
  { key: 'mlp', name: 'MLP(64), Adam → 0.97', target: 0.97, maxEpochs: 200,
    model: (d) => new MLP({ layers: [d, 64, 10], seed: 0, penalty: 'l2', alpha: 1e-4 }), optimizer: { name: 'adam', lr: 1e-3 }, batchSize: 32 },
];

function timeToTarget(task, { train, test, d }) {
  const model = task.model(d);
  let evalMs = 0, reachedAt = -1, acc = 0;
  const t0 = performance.now();
  fit(model, train.X, train.y, {
    optimizer: task.optimizer, batchSize: task.batchSize, maxEpochs: task.maxEpochs, seed: 0,
    onEpochEnd: ({ epoch }) => {
      const e0 = performance.now();
      acc = accuracy(test.y, model.predict(test.X));
      evalMs += performance.now() - e0;
      if (acc >= task.target) { reachedAt = epoch; return false; }
    },
  });
  const ms = performance.now() - t0 - evalMs;
  model.dispose();
  return { ms, epochs: reachedAt, acc };
}

export default async function run() {
  const ds = data();
  const res = {};
  for (const backend of BACKENDS) {
    await init({ backend });
    for (const task of TASKS) {
      timeToTarget(task, ds); // warm-up (JIT, workspaces)
      const runs = Array.from({ length: REPEATS }, () => timeToTarget(task, ds));
      const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
      res[`${backend}/${task.key}`] = { medianMs: ms[REPEATS >> 1], epochs: runs[0].epochs, acc: runs[0].acc, runsMs: ms };
    }
  }
  const rows = [];
  for (const task of TASKS) {
    for (const backend of BACKENDS) {
      const r = res[`${backend}/${task.key}`];
      rows.push([task.name, backend, r.epochs > 0 ? String(r.epochs) : 'not reached', fmt(r.acc, 4), fmt(r.medianMs, 0),
        `${fmt(res[`js/${task.key}`].medianMs / r.medianMs, 1)}x`, `${fmt(SKLEARN_MS[task.key] / r.medianMs, 2)}x`]);
    }
  }
  const markdown = [
    table(['task', 'backend', 'epochs to target', 'test accuracy', 'ms to target (median of 5)', 'speed vs js path', 'speed vs sklearn'], rows),
    '',
    `scikit-learn figures are the issue's measurements on this machine (LogisticRegression(lbfgs) ${SKLEARN_MS.softmax} ms, MLPClassifier((64,), adam) ${SKLEARN_MS.mlp} ms), not same-run. Goal: no slower than scikit-learn.`,
  ].join('\n');
  return { markdown, data: { results: res, sklearnMs: SKLEARN_MS } };
}

/** Issue 5's goal: time to scikit-learn's accuracy on wasm-simd no longer than scikit-learn's own time. */
export function targetsOf(d) {
  return TASKS.map((t) => target(`${t.name}: ms to target on wasm-simd (at most scikit-learn's)`, d.results[`wasm-simd/${t.key}`].medianMs, d.sklearnMs[t.key], 'ms', { atMost: true }));
}

if (isMain(import.meta.url)) writeResults('train', { title, targetsOf }, await run());
