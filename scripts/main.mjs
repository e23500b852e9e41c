// The main job (npm start): trains on the built-in digits data set, on the fixed split of
// ../shared/conformance/sklearn_splits.json (train_test_split(test_size=0.2, stratify=y,
// random_state=0), built into the library so nothing is read from disk), standardized with the
// training rows' statistics. Softmax regression and an MLP with one hidden layer of 64, each with
// SGD + momentum and with Adam; prints every epoch, each model's test accuracy, the speed of the
// Wasm path against the plain-JS path, and writes the loss curves as SVG to out/.
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  init, loadDigits, digitsSplit, takeRows, StandardScaler, SoftmaxRegression, MLP, fit, accuracy, lossCurveSVG,
} from 'descent';

const t0 = performance.now();
const info = await init();
console.log(`descent on ${info.name} (${info.reason})\n`);

// Data: the fixed split, standardized with the training rows' mean and (population) std.
const digits = loadDigits();
const split = digitsSplit();
const d = digits.shape[1];
const train = takeRows(digits.X, digits.y, split.trainIndices), test = takeRows(digits.X, digits.y, split.testIndices);
const scaler = new StandardScaler().fit(train.X);
train.X = scaler.transform(train.X);
test.X = scaler.transform(test.X);
console.log(`digits: ${train.y.length} training rows, ${test.y.length} test rows, ${d} features, 10 classes\n`);

const RUNS = [
  { name: 'softmax regression, SGD + momentum', model: () => new SoftmaxRegression({ nFeatures: d, nClasses: 10, penalty: 'l2', alpha: 1e-3 }), optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, epochs: 30 },
  { name: 'softmax regression, Adam', model: () => new SoftmaxRegression({ nFeatures: d, nClasses: 10, penalty: 'l2', alpha: 1e-3 }), optimizer: { name: 'adam', lr: 0.01 }, epochs: 30 },
  { name: 'MLP(64), SGD + momentum', model: () => new MLP({ layers: [d, 64, 10], activation: 'relu', seed: 0, penalty: 'l2', alpha: 1e-4 }), optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, epochs: 40 },
  { name: 'MLP(64), Adam', model: () => new MLP({ layers: [d, 64, 10], activation: 'relu', seed: 0, penalty: 'l2', alpha: 1e-4 }), optimizer: { name: 'adam', lr: 1e-3 }, epochs: 60 },
];
const options = (run) => ({ optimizer: run.optimizer, maxEpochs: run.epochs, batchSize: 32, seed: 0 });

const results = [];
for (const run of RUNS) {
  console.log(`== ${run.name}: ${run.epochs} epochs, mini-batches of 32, ${JSON.stringify(run.optimizer)}`);
  const model = run.model();
  const start = performance.now();
  const history = fit(model, train.X, train.y, { ...options(run), verbose: true, log: (line) => console.log(`   ${line}`) });
  const ms = performance.now() - start;
  const acc = accuracy(test.y, model.predict(test.X));
  console.log(`   test accuracy ${acc.toFixed(4)}  (${ms.toFixed(0)} ms)\n`);
  results.push({ run, acc, ms, history });
  model.dispose();
}

// The same training on the plain-JS path (timing only; printing excluded on both sides).
const speed = [];
if (info.name !== 'js') {
  for (const r of [results[1], results[3]]) {
    const time = (backendOptions) => {
      const model = r.run.model();
      const start = performance.now();
      fit(model, train.X, train.y, options(r.run));
      const ms = performance.now() - start;
      model.dispose();
      return ms;
    };
    await init({ backend: 'js' });
    const js = time();
    await init({ backend: info.name });
    const wasm = time();
    speed.push({ name: r.run.name, wasm, js });
  }
}

mkdirSync('out', { recursive: true });
writeFileSync('out/loss-curves.svg', lossCurveSVG(results.map((r) => ({ label: r.run.name, values: r.history.loss, x: r.history.epochs.map((e) => e.epoch) })), {
  logY: true, title: 'digits: training loss per epoch', xLabel: 'epoch', yLabel: 'training loss (log scale)',
}));

console.log('== summary (sklearn on the same split: LogisticRegression 0.9694, MLPClassifier(64) 0.9722)');
for (const r of results) console.log(`   ${r.run.name.padEnd(36)} test accuracy ${r.acc.toFixed(4)}   ${String(r.run.epochs).padStart(2)} epochs in ${r.ms.toFixed(0).padStart(5)} ms`);
for (const s of speed) {
  console.log(`   speed, ${s.name}: ${info.name} ${s.wasm.toFixed(0)} ms, js path ${s.js.toFixed(0)} ms → ${(s.js / s.wasm).toFixed(1)}x faster`);
}
console.log(`   loss curves: out/loss-curves.svg`);
console.log(`   total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const ok = results[0].acc >= 0.96 && results[1].acc >= 0.96 && results[2].acc >= 0.97 && results[3].acc >= 0.97;
if (!ok) {
  console.error('accuracy below target (softmax >= 0.96, MLP >= 0.97)');
  process.exit(1);
}
