// The CNN of docs/autodiff-examples.md, full run: conv(1→16, 3) → relu → maxpool 2 → conv(16→32, 3)
// → relu → maxpool 2 → dense(800 → 10), on real MNIST (bench/mnist.mjs's seeded 8,000 / 2,000 split of
// the `mnist` package), Adam lr 0.003 with a cosine schedule over the epochs, mini-batches of 64.
// Prints the test accuracy after every epoch and the training time, writes the loss curve (moving
// average of the mini-batch losses) to docs/cnn-mnist-loss.svg and the figures to
// docs/cnn-mnist.json, which the doc quotes.
// Usage: npm run build && node scripts/cnn-mnist.mjs [--epochs 10] [--backend wasm-simd] [--check]
// --check (the test suite): writes nothing; exits 1 unless the run reaches the goal and gives exactly
// the per-epoch figures docs/cnn-mnist.json holds (the same bits on every run and thread count).
// Exits 1 if the final test accuracy is below 0.975.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Conv2d, CosineAnnealingLR, Dense, Flatten, MaxPool2d, ReLU, Sequential, accuracy, fit, init, lossCurveSVG } from 'descent';
import { IN, loadMnist } from '../bench/mnist.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const EPOCHS = Number(arg('epochs', 10)), BATCH = 64, LR = 0.003, GOAL = 0.975;
const backend = arg('backend', 'wasm-simd');
await init({ backend });

const { train, test } = loadMnist();
const Xtr = { data: train.X, shape: [train.y.length, IN] }, Xte = { data: test.X, shape: [test.y.length, IN] };
const net = new Sequential([
  new Conv2d(1, 16, 3), new ReLU(), new MaxPool2d(2),
  new Conv2d(16, 32, 3), new ReLU(), new MaxPool2d(2),
  new Flatten(), new Dense(32 * 5 * 5, 10),
], { inputShape: [1, 28, 28], seed: 0 });

const perEpoch = [];
let trainMs = 0, t0 = performance.now();
const history = fit(net, Xtr, train.y, {
  optimizer: { name: 'adam', lr: LR }, scheduler: (o) => new CosineAnnealingLR(o, { TMax: EPOCHS }),
  batchSize: BATCH, maxEpochs: EPOCHS, seed: 0,
  onEpochEnd: (e) => {
    trainMs += performance.now() - t0;
    const acc = accuracy(test.y, net.predict(Xte));
    perEpoch.push({ epoch: e.epoch, loss: e.loss, testAccuracy: acc });
    console.log(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, test accuracy ${acc.toFixed(4)}, training ${(trainMs / 1000).toFixed(1)} s`);
    t0 = performance.now();
  },
});
const final = perEpoch.at(-1).testAccuracy;

const smooth = (losses, beta = 0.95) => {
  let avg = 0;
  return losses.map((l, i) => (avg = beta * avg + (1 - beta) * l) / (1 - beta ** (i + 1)));
};
const steps = Math.ceil(train.y.length / BATCH);
const x = history.batchLoss.map((_, i) => (i + 1) / steps);
const svg = lossCurveSVG([{ label: `mini-batch loss (moving average); final test accuracy ${final.toFixed(4)}`, values: smooth(history.batchLoss), x }], {
  logY: true, width: 760, height: 420, xLabel: 'epoch', yLabel: 'mini-batch loss, moving average (log scale)',
  title: `MNIST CNN conv16-pool-conv32-pool-dense, Adam lr ${LR} cosine, batch ${BATCH} (${backend})`,
});
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv.includes('--check')) {
  const { readFileSync } = await import('node:fs');
  const quoted = JSON.parse(readFileSync(join(root, 'docs/cnn-mnist.json'), 'utf8'));
  const same = JSON.stringify(quoted.perEpoch) === JSON.stringify(perEpoch);
  console.log(`final test accuracy ${final.toFixed(4)} (goal ${GOAL}); per-epoch figures ${same ? 'equal' : 'DIFFER from'} docs/cnn-mnist.json`);
  process.exit(final >= GOAL && same ? 0 : 1);
}
writeFileSync(join(root, 'docs/cnn-mnist-loss.svg'), svg);
writeFileSync(join(root, 'docs/cnn-mnist.json'), JSON.stringify({
  backend, epochs: EPOCHS, batchSize: BATCH, lr: LR, trainRows: train.y.length, testRows: test.y.length,
  testAccuracy: final, trainingSeconds: Math.round(trainMs / 100) / 10, perEpoch,
}, null, 2) + '\n');
console.log(`final test accuracy ${final.toFixed(4)} (goal ${GOAL}); ${(trainMs / 1000).toFixed(1)} s of training; wrote docs/cnn-mnist-loss.svg and docs/cnn-mnist.json`);
if (final < GOAL) process.exit(1);
