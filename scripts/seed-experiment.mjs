// The seed experiment of docs/extending.md: a user-written plain SGD (through the Optimizer door)
// beside the built-in SGD, same model seed and same shuffling seed, on real MNIST (8,000 training
// digits of the `mnist` package, bench/mnist.mjs's seeded split), MLP 784-128-10, mini-batches of 64.
// On every backend it checks that the two runs agree to the last bit (every mini-batch loss and every
// parameter), then draws both loss curves, with a third run (the built-in SGD shuffled with another
// seed) for contrast, into docs/seed-experiment.svg (and .png with --png, through scripts/render-svg.mjs).
// Usage: npm run build && node scripts/seed-experiment.mjs [--epochs 5] [--backends wasm-simd,wasm-scalar,js] [--png]
// Exits 1 if any backend's runs differ in a single bit.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MLP, Optimizer, SGD, accuracy, axpy, fit, init, lossCurveSVG } from 'descent';
import { IN, loadMnist } from '../bench/mnist.mjs';

/** docs/extending.md's PlainSGD, in JS: p ← p − lr·∇p with the tensor op axpy. */
class PlainSGD extends Optimizer {
  constructor(params, options) {
    super(params, options, { name: 'PlainSGD', defaults: { lr: 0.01 } });
  }

  update(p, state, group) {
    axpy(p, -group.lr, p.gradTensor, p);
  }
}

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const EPOCHS = Number(arg('epochs', 5));
const BACKENDS = arg('backends', 'wasm-simd,wasm-scalar,js').split(',');
const LR = 0.1, BATCH = 64, HIDDEN = 128;

const { train, test } = loadMnist(8000, 2000);
const Xtrain = { data: train.X, shape: [train.y.length, IN] }, Xtest = { data: test.X, shape: [test.y.length, IN] };

function run(Ctor, seed) {
  const model = new MLP({ layers: [IN, HIDDEN, 10], seed: 0 });
  const t0 = performance.now();
  const history = fit(model, Xtrain, train.y, { optimizer: new Ctor(model.parameters(), { lr: LR }), maxEpochs: EPOCHS, batchSize: BATCH, seed });
  const ms = performance.now() - t0;
  const params = model.parameters().map((p) => p.toArray());
  const acc = accuracy(test.y, model.predict(Xtest));
  model.dispose();
  return { losses: history.batchLoss, params, acc, ms };
}

const sameBits = (a, b) => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

console.log(`seed experiment: MNIST ${train.y.length} training / ${test.y.length} test digits, MLP ${IN}-${HIDDEN}-10, SGD lr ${LR}, batch ${BATCH}, ${EPOCHS} epochs\n`);
let failed = false;
let plot = null;
for (const backend of BACKENDS) {
  await init({ backend });
  const ours = run(PlainSGD, 0), theirs = run(SGD, 0);
  const sameLoss = sameBits(ours.losses, theirs.losses);
  const sameParams = ours.params.every((p, i) => sameBits(p, theirs.params[i]));
  failed ||= !(sameLoss && sameParams);
  console.log(
    `${backend.padEnd(11)} ${ours.losses.length} steps: same losses ${sameLoss}, same parameters ${sameParams}; ` +
      `test accuracy ${ours.acc.toFixed(4)} / ${theirs.acc.toFixed(4)}; ${(ours.ms / 1000).toFixed(1)} s / ${(theirs.ms / 1000).toFixed(1)} s`,
  );
  if (plot === null) plot = { backend, ours, theirs, other: run(SGD, 1) };
}

// Mini-batch losses are noisy; the curves show their exponential moving average (β = 0.95,
// debiased as fastai's lr finder does), which keeps identical runs identical.
const smooth = (losses, beta = 0.95) => {
  let avg = 0;
  return losses.map((l, i) => (avg = beta * avg + (1 - beta) * l) / (1 - beta ** (i + 1)));
};
const x = plot.ours.losses.map((_, i) => (i + 1) / Math.ceil(train.y.length / BATCH));
const svg = lossCurveSVG(
  [
    { label: 'PlainSGD (yours, through the door), seed 0', values: smooth(plot.ours.losses), x },
    { label: 'SGD (built in), seed 0: the same bits, drawn over it', values: smooth(plot.theirs.losses), x },
    { label: 'SGD (built in), shuffling seed 1', values: smooth(plot.other.losses), x },
  ],
  {
    logY: true, width: 760, height: 420, xLabel: 'epoch', yLabel: 'mini-batch loss, moving average (log scale)',
    title: `MNIST, MLP ${IN}-${HIDDEN}-10, SGD lr ${LR}, batch ${BATCH} (${plot.backend})`,
  },
);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs/seed-experiment.svg');
writeFileSync(out, svg);
console.log(`\nwrote ${out}`);
if (process.argv.includes('--png')) execFileSync(process.execPath, [join(root, 'scripts/render-svg.mjs'), out], { stdio: 'inherit' });
if (failed) {
  console.error('the user-written SGD and the built-in SGD differ: see the lines above');
  process.exit(1);
}
