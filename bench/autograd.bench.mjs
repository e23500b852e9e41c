// Question: does a model written in descent's tensor ops and trained through autodiff (valueAndGrad +
// Adam) run at built-in speed, and how does it compare with the autodiff of TF.js-wasm and jax-js?
//
// 1. The MNIST MLP step (784-128-10, ReLU, softmax cross-entropy, batch 64, Adam lr 1e-3) on four
//    paths: descent autodiff (ops + valueAndGrad + Adam, wasm-simd), descent's built-in MLP
//    (lossAndGrad + Adam, wasm-simd), TF.js 4.22 on its wasm backend through its autodiff
//    (optimizer.minimize; the full @tensorflow/tfjs registers the gradients) and @jax-js/jax 0.1.25 on
//    its wasm device (one jit of valueAndGrad and the Adam update). Every path starts from the same
//    weights (the built-in MLP's He init, seed 42) and trains one epoch on the same batches in the
//    same order (the 8000/2000 MNIST split of bench/mnist.mjs, order Prng(1)); its per-step losses
//    give the epoch's mean loss, and its final weights, read back, are scored by one evaluator (the
//    mean cross-entropy over the 8000 training images): the loss after one epoch, which must match.
//    Copying a batch into the library (descent's tensors, TF.js's tensor2d, jax's np.array) is part
//    of the step; labels are indices for descent and one-hot rows (made beforehand) for TF.js/jax.
// 2. The CNN step (batch 64): conv(1→8, 3×3) → relu → maxpool 2 → conv(8→16, 3×3) → relu → maxpool 2
//    → dense(400→10), no padding, Adam lr 1e-3 — the shape the docs' MNIST CNN example uses —
//    descent autodiff against TF.js-wasm (NHWC there, with the same weights permuted to its layout).
// 3. Per-op overhead: a chain of 100 element-wise ops (mul, add, tanh, sigmoid in turn) on a
//    16-element Param, summed, through a replayed valueAndGrad step: µs per op (forward and backward).
// 4. Wasm size of both builds (build/descent-{simd,scalar}.wasm), raw and gzipped.
//
// Timing: each path is timed by benny in BENCH_ROUNDS interleaved rounds (fresh model, 10 warm-up
// steps); the headline is the best round's median. jax-js runs single-threaded here (Node has no
// global Worker, which its wasm backend needs for threads), as descent and TF.js-wasm do.
// Run: npm run bench -- autograd   (BENCH_ROUNDS=1 BENCH_MAX_TIME=0.3 for a short smoke run)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as jax from '@jax-js/jax';
import { Adam, indexTensor, init, MLP, ops, param, Prng, tensor, threadsReady, valueAndGrad } from '../dist/entry/node.js';
import { fmt, isMain, measure, table, target, writeResults } from './harness.mjs';
import { loadMnist } from './mnist.mjs';

export const title = 'Autodiff: MNIST MLP and CNN training steps vs the built-in MLP, TF.js-wasm and jax-js; per-op overhead; Wasm size';

const require = createRequire(import.meta.url);
const B = 64, IN = 784, HID = 128, OUT = 10, TRAIN = 8000, TEST = 2000;
const LR = 1e-3, BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const OPTS = { minSamples: Number(process.env.BENCH_SAMPLES ?? 20), maxTime: Number(process.env.BENCH_MAX_TIME ?? 2), minTime: 0.05 };
/** Relative spread of the paths' losses after one epoch accepted as a match (float32, different summation orders). */
const MATCH_RTOL = 1e-2;
// CNN: 28 → conv 3×3 → 26 → pool → 13 → conv 3×3 → 11 → pool → 5; 16·5·5 = 400 features
const C1 = 8, C2 = 16, K = 3, FEAT = C2 * 5 * 5;

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;

function data() {
  const { train, test } = loadMnist(TRAIN, TEST);
  const order = new Prng(1).permutation(TRAIN);
  const batches = [];
  for (let s = 0; s + B <= TRAIN; s += B) {
    const X = new Float32Array(B * IN), y = new Int32Array(B), Y = new Float32Array(B * OUT);
    for (let i = 0; i < B; i++) {
      const r = order[s + i];
      X.set(train.X.subarray(r * IN, (r + 1) * IN), i * IN);
      y[i] = train.y[r];
      Y[i * OUT + y[i]] = 1;
    }
    batches.push({ X, y, Y });
  }
  return { train, test, batches };
}

// ---- the MLP -----------------------------------------------------------------------------------

/** The built-in MLP's initial weights (He, seed 42): W1 [784, 128], b1, W2 [128, 10], b2. */
function mlpInit() {
  const net = new MLP({ layers: [IN, HID, OUT], activation: 'relu', loss: 'softmax-cross-entropy', init: 'he', seed: 42 });
  const w = net.parameters().map((p) => p.toArray());
  net.dispose();
  return w;
}

function builtinMlp(d) {
  const net = new MLP({ layers: [IN, HID, OUT], activation: 'relu', loss: 'softmax-cross-entropy', init: 'he', seed: 42 });
  const opt = new Adam(net.parameters(), { lr: LR, betas: [BETA1, BETA2], eps: EPS });
  const mats = d.batches.map((b) => ({ data: b.X, shape: [B, IN] }));
  return {
    step(i) {
      const l = net.lossAndGrad(mats[i], d.batches[i].y);
      opt.step();
      return l;
    },
    weights: () => net.parameters().map((p) => p.toArray()),
    dispose() { opt.dispose?.(); net.dispose(); },
  };
}

/** A descent autodiff stepper: `f(x, y)` written in ops over Params `ps`, valueAndGrad + Adam. */
function autodiffStepper(d, ps, xShape, f) {
  const opt = new Adam(ps, { lr: LR, betas: [BETA1, BETA2], eps: EPS });
  const x = tensor.zeros(xShape), y = indexTensor(new Int32Array(B));
  // accumulate: false sets each p.grad to this step's gradient (no zeroGrad pass), as the built-in models do
  const step = valueAndGrad(f, { argnums: [], accumulate: false });
  return {
    step(i) {
      x.data.set(d.batches[i].X);
      y.data.set(d.batches[i].y);
      const [l] = step(x, y);
      opt.step();
      return l;
    },
    weights: () => ps.map((p) => p.toArray()),
    dispose() { step.dispose(); opt.dispose?.(); [...ps, x, y].forEach((t) => t.dispose()); },
  };
}

function autodiffMlp(d, w0) {
  const ps = [[IN, HID], [HID], [HID, OUT], [OUT]].map((shape, i) => param(w0[i], { shape }));
  const [W1, b1, W2, b2] = ps;
  return autodiffStepper(d, ps, [B, IN], (x, y) => ops.crossEntropy(x.matmul(W1).add(b1).relu().matmul(W2).add(b2), y));
}

/** A TF.js stepper: `logits(x)` over variables `vs`, optimizer.minimize in tf.tidy, the loss read back. */
function tfStepper(d, vs, xShape, logits) {
  const opt = tf.train.adam(LR, BETA1, BETA2, EPS);
  return {
    step(i) {
      const loss = tf.tidy(() => {
        const xs = tf.tensor(d.batches[i].X, xShape), ys = tf.tensor2d(d.batches[i].Y, [B, OUT]);
        return opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, logits(xs)), true);
      });
      const l = loss.dataSync()[0];
      loss.dispose();
      return l;
    },
    weights: () => vs.map((v) => v.dataSync().slice()),
    dispose() { opt.dispose(); vs.forEach((v) => v.dispose()); },
  };
}

function tfMlp(d, w0) {
  const vs = [[IN, HID], [HID], [HID, OUT], [OUT]].map((shape, i) => tf.variable(tf.tensor(w0[i], shape)));
  const [W1, b1, W2, b2] = vs;
  return tfStepper(d, vs, [B, IN], (x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, W1), b1)), W2), b2));
}

/** Adam (torch's form, as descent's) inside a jax-js jit: p ← p + ns·m / (√v·ibc + eps). */
function jaxAdam(p, m, v, g, ns, ibc) {
  const { numpy: np } = jax;
  const out = { p: {}, m: {}, v: {} };
  for (const k of Object.keys(p)) {
    const gk = g[k];
    const mk = m[k].mul(BETA1).add(gk.ref.mul(1 - BETA1));
    const vk = v[k].mul(BETA2).add(gk.ref.mul(gk).mul(1 - BETA2));
    out.m[k] = mk.ref;
    out.v[k] = vk.ref;
    out.p[k] = p[k].add(mk.mul(ns.ref).div(np.sqrt(vk).mul(ibc.ref).add(EPS)));
  }
  ns.dispose();
  ibc.dispose();
  return out;
}

/** A jax-js stepper: `loss(p, x, y)` of a params object, one jit of valueAndGrad + Adam. */
function jaxStepper(d, p0, loss, xShape) {
  const { numpy: np, jit, valueAndGrad: vg, tree } = jax;
  let p = p0, t = 0;
  let m = tree.map((a) => np.zeros(a.shape), p), v = tree.map((a) => np.zeros(a.shape), p);
  const train = jit((p, m, v, x, y, ns, ibc) => {
    const [l, g] = vg(loss)(tree.ref(p), x, y);
    const u = jaxAdam(p, m, v, g, ns, ibc);
    return [l, u.p, u.m, u.v];
  });
  return {
    step(i) {
      t++;
      const x = np.array(d.batches[i].X).reshape(xShape), y = np.array(d.batches[i].Y).reshape([B, OUT]);
      const [l, p2, m2, v2] = train(p, m, v, x, y, np.array(-LR / (1 - BETA1 ** t)), np.array(1 / Math.sqrt(1 - BETA2 ** t)));
      p = p2; m = m2; v = v2;
      return l.item();
    },
    weights: () => Object.keys(p).map((k) => p[k].ref.dataSync().slice()),
    dispose() { train.dispose(); tree.dispose(p); tree.dispose(m); tree.dispose(v); },
  };
}

function jaxMlp(d, w0) {
  const { numpy: np, nn } = jax;
  const shapes = [[IN, HID], [HID], [HID, OUT], [OUT]];
  const [W1, b1, W2, b2] = shapes.map((s, i) => np.array(w0[i]).reshape(s));
  const loss = (p, x, y) => {
    const z = np.matmul(nn.relu(np.matmul(x, p.W1).add(p.b1)), p.W2).add(p.b2);
    return np.mean(np.sum(nn.logSoftmax(z, -1).mul(y), -1)).mul(-1);
  };
  return jaxStepper(d, { W1, b1, W2, b2 }, loss, [B, IN]);
}

const MLP_PATHS = { autodiff: autodiffMlp, builtin: builtinMlp, 'tfjs-wasm': tfMlp, 'jax-js': jaxMlp };

/** The mean cross-entropy of MLP weights over rows of X (descent's eager ops, wasm-simd). */
function mlpLoss([W1, b1, W2, b2], X, y) {
  const n = y.length;
  const z = ops.tensor(X, [n, IN]).matmul(ops.tensor(W1, [IN, HID])).add(b1).relu().matmul(ops.tensor(W2, [HID, OUT])).add(b2);
  return ops.crossEntropy(z, y).toArray()[0];
}

// ---- the CNN -----------------------------------------------------------------------------------

/** Seeded He-uniform weights (biases 0): conv1 [8,1,3,3], conv2 [16,8,3,3], dense [400,10], OIHW / (in, out). */
function cnnInit() {
  const rng = new Prng(7);
  const he = (n, fanIn) => Float32Array.from({ length: n }, () => (2 * rng.nextFloat() - 1) * Math.sqrt(6 / fanIn));
  return [he(C1 * K * K, K * K), new Float32Array(C1), he(C2 * C1 * K * K, C1 * K * K), new Float32Array(C2), he(FEAT * OUT, FEAT), new Float32Array(OUT)];
}

function autodiffCnn(d, w0) {
  const shapes = [[C1, 1, K, K], [C1], [C2, C1, K, K], [C2], [FEAT, OUT], [OUT]];
  const ps = shapes.map((shape, i) => param(w0[i], { shape }));
  const [W1, b1, W2, b2, W3, b3] = ps;
  return autodiffStepper(d, ps, [B, 1, 28, 28], (x, y) => {
    const h1 = ops.maxPool2d(ops.conv2d(x, W1, b1).relu(), 2);
    const h2 = ops.maxPool2d(ops.conv2d(h1, W2, b2).relu(), 2);
    return ops.crossEntropy(h2.reshape([B, FEAT]).matmul(W3).add(b3), y);
  });
}

/** OIHW → HWIO (TF.js filters), and the dense rows from (c, h, w) order to TF.js's (h, w, c) flatten order. */
function tfCnnWeights(w0) {
  const hwio = (w, O, I) => {
    const r = new Float32Array(w.length);
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) r[((a * K + b) * I + i) * O + o] = w[((o * I + i) * K + a) * K + b];
    return r;
  };
  const dense = new Float32Array(FEAT * OUT);
  for (let c = 0; c < C2; c++) for (let s = 0; s < 25; s++) dense.set(w0[4].subarray((c * 25 + s) * OUT, (c * 25 + s + 1) * OUT), (s * C2 + c) * OUT);
  return [hwio(w0[0], C1, 1), w0[1], hwio(w0[2], C2, C1), w0[3], dense, w0[5]];
}

function tfCnn(d, w0) {
  const shapes = [[K, K, 1, C1], [C1], [K, K, C1, C2], [C2], [FEAT, OUT], [OUT]];
  const vs = tfCnnWeights(w0).map((w, i) => tf.variable(tf.tensor(w, shapes[i])));
  const [W1, b1, W2, b2, W3, b3] = vs;
  return tfStepper(d, vs, [B, 28, 28, 1], (x) => {
    const h1 = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, W1, 1, 'valid'), b1)), 2, 2, 'valid');
    const h2 = tf.maxPool(tf.relu(tf.add(tf.conv2d(h1, W2, 1, 'valid'), b2)), 2, 2, 'valid');
    return tf.add(tf.matMul(tf.reshape(h2, [B, FEAT]), W3), b3);
  });
}

const CNN_PATHS = { autodiff: autodiffCnn, 'tfjs-wasm': tfCnn };

/**
 * TF.js 4.22's wasm backend has no Conv2DBackpropFilter kernel (conv2d's weight gradient), so its
 * autodiff cannot train a conv net. This registers one that runs TF.js's own native wasm
 * Conv3DBackpropFilterV2 kernel with depth 1: the same data under 5-D shapes, no copies.
 */
export function registerTfConv2dFilterGrad() {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return;
  const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc({ inputs: { x, dy }, backend, attrs }) {
      const { strides, pad, dataFormat, filterShape } = attrs;
      if (typeof pad !== 'string' || (dataFormat !== undefined && dataFormat !== 'NHWC')) throw new Error('bench shim: NHWC and a string padding only');
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      const dw = conv3d.kernelFunc({
        inputs: { x: { dataId: x.dataId, shape: [x.shape[0], 1, ...x.shape.slice(1)], dtype: x.dtype }, dy: { dataId: dy.dataId, shape: [dy.shape[0], 1, ...dy.shape.slice(1)], dtype: dy.dtype } },
        backend,
        attrs: { strides: [1, sh, sw], pad, filterShape: [1, ...filterShape] },
      });
      return { dataId: dw.dataId, shape: filterShape, dtype: dw.dtype };
    },
  });
}

// ---- running paths -----------------------------------------------------------------------------

/** One epoch on a fresh stepper: its per-step losses, the median step time and its final weights. */
function epoch(make, d, w0) {
  const s = make(d, w0);
  const times = [], losses = [];
  for (let i = 0; i < d.batches.length; i++) {
    const t0 = performance.now();
    losses.push(s.step(i));
    times.push(performance.now() - t0);
  }
  const weights = s.weights?.();
  s.dispose();
  if (!losses.every(Number.isFinite)) throw new Error(`a loss became ${losses.find((l) => !Number.isFinite(l))}`);
  return { epochMeanLoss: mean(losses), lastLoss: losses[losses.length - 1], epochMedianMs: median(times), weights };
}

/** benny on further steps of a fresh stepper (after 10 warm-up steps): median ms per step. */
async function timeSteps(name, make, d, w0) {
  const s = make(d, w0);
  for (let i = 0; i < 10; i++) s.step(i);
  let j = 10;
  const r = await measure(name, [{ name: 'step', fn: () => { s.step(j++ % d.batches.length); } }], OPTS);
  s.dispose();
  return r.step.median * 1e3;
}

async function timePaths(suite, paths, d, w0) {
  const res = Object.fromEntries(Object.keys(paths).map((p) => [p, { rounds: [] }]));
  // The machine is shared: interleave the paths round by round and keep each path's best median.
  for (let r = 0; r < ROUNDS; r++) for (const [p, make] of Object.entries(paths)) res[p].rounds.push(await timeSteps(`${suite} ${p}`, make, d, w0));
  for (const p of Object.keys(paths)) res[p].ms = Math.min(...res[p].rounds);
  return res;
}

// ---- per-op overhead ---------------------------------------------------------------------------

const CHAIN = 100, CHAIN_N = 16;

async function perOp() {
  const x = param(Float32Array.from({ length: CHAIN_N }, (_, i) => 0.1 + i / CHAIN_N));
  const f = () => {
    let h = x;
    for (let i = 0; i < CHAIN; i++) {
      const r = i % 4;
      h = r === 0 ? h.mul(x) : r === 1 ? h.add(x) : r === 2 ? h.tanh() : h.sigmoid();
    }
    return ops.sum(h);
  };
  const step = valueAndGrad(f, { accumulate: false });
  for (let i = 0; i < 10; i++) step();
  const r = await measure('per-op overhead', [{ name: 'step', fn: () => { step(); } }], { ...OPTS, minSamples: 50 });
  step.dispose();
  x.dispose();
  const stepUs = r.step.median * 1e6;
  return { ops: CHAIN, elements: CHAIN_N, stepUs, usPerOp: stepUs / CHAIN };
}

// ---- wasm size ---------------------------------------------------------------------------------

function wasmSizes() {
  const size = (f) => {
    const bytes = readFileSync(new URL(`../build/${f}`, import.meta.url));
    return { bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  };
  return { simd: size('descent-simd.wasm'), scalar: size('descent-scalar.wasm') };
}

// ---- the suite ---------------------------------------------------------------------------------

export default async function run() {
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  await tf.setBackend('wasm');
  await tf.ready();
  registerTfConv2dFilterGrad();
  await jax.init('wasm');
  jax.defaultDevice('wasm');
  await init({ backend: 'wasm-simd' });
  await threadsReady();
  const d = data();

  const w0 = mlpInit();
  const mlp = {};
  for (const [p, make] of Object.entries(MLP_PATHS)) {
    const e = epoch(make, d, w0);
    mlp[p] = { epochMeanLoss: e.epochMeanLoss, lastLoss: e.lastLoss, epochMedianMs: e.epochMedianMs, trainLoss: mlpLoss(e.weights, d.train.X, d.train.y) };
  }
  const mlpTimes = await timePaths('MLP', MLP_PATHS, d, w0);
  for (const p of Object.keys(MLP_PATHS)) Object.assign(mlp[p], mlpTimes[p]);

  const c0 = cnnInit();
  const cnn = {};
  for (const [p, make] of Object.entries(CNN_PATHS)) {
    const e = epoch(make, d, c0);
    cnn[p] = { epochMeanLoss: e.epochMeanLoss, lastLoss: e.lastLoss, epochMedianMs: e.epochMedianMs };
  }
  const cnnTimes = await timePaths('CNN', CNN_PATHS, d, c0);
  for (const p of Object.keys(CNN_PATHS)) Object.assign(cnn[p], cnnTimes[p]);

  const chain = await perOp();
  const wasm = wasmSizes();

  const spread = (vals) => (Math.max(...vals) - Math.min(...vals)) / Math.min(...vals);
  const mlpMatch = spread(['autodiff', 'tfjs-wasm', 'jax-js'].map((p) => mlp[p].trainLoss));
  const cnnMatch = spread(Object.values(cnn).map((r) => r.epochMeanLoss));
  const tfFlags = { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') };

  // Times and losses in separate tables: bench/compare.mjs keys rows by their unmeasured cells, and a
  // loss that moves in the fifth digit (a kernel's summation order) must not unmatch a time row.
  const TIME_HEAD = ['path', 'ms/step (best of rounds)', 'medians per round', 'ms/step (epoch-1 median)', 'time vs autodiff'];
  const timeRows = (res) => Object.entries(res).map(([p, r]) => [
    p, fmt(r.ms, 3), r.rounds.map((x) => fmt(x, 2)).join(' / '), fmt(r.epochMedianMs, 3),
    p === 'autodiff' ? '1x' : `${fmt(r.ms / res.autodiff.ms, 2)}x`,
  ]);
  const mlpLosses = Object.entries(mlp).map(([p, r]) => [p, fmt(r.epochMeanLoss, 5), fmt(r.lastLoss, 5), fmt(r.trainLoss, 5)]);
  const cnnLosses = Object.entries(cnn).map(([p, r]) => [p, fmt(r.epochMeanLoss, 5), fmt(r.lastLoss, 5)]);
  const kib = (b) => fmt(b / 1024, 1);
  const markdown = [
    '**MNIST MLP step** (784-128-10, ReLU, softmax cross-entropy, batch 64, Adam lr 1e-3; same initial weights and batches on every path):',
    '',
    table(TIME_HEAD, timeRows(mlp)),
    '',
    table(['path', 'epoch mean loss', 'last step loss', 'train loss after 1 epoch'], mlpLosses),
    '',
    `Train loss after one epoch: the final weights of each path scored by one evaluator (mean cross-entropy over the ${TRAIN} training images); ` +
      `relative spread across autodiff, TF.js and jax-js ${fmt(mlpMatch * 100, 3)}% (match: under ${MATCH_RTOL * 100}%).`,
    '',
    `**CNN step** (batch 64; conv(1→${C1}, 3×3) → relu → maxpool 2 → conv(${C1}→${C2}, 3×3) → relu → maxpool 2 → dense(${FEAT}→10), no padding, Adam; same weights):`,
    '',
    table(TIME_HEAD, timeRows(cnn)),
    '',
    table(['path', 'epoch mean loss', 'last step loss'], cnnLosses),
    '',
    `**Per-op overhead**: a replayed valueAndGrad step over a chain of ${CHAIN} element-wise ops on ${CHAIN_N} elements takes ${fmt(chain.stepUs, 1)} µs: ` +
      `**${fmt(chain.usPerOp, 3)} µs per op** (its forward and its backward).`,
    '',
    `**Wasm size**: SIMD build ${wasm.simd.bytes} bytes (${kib(wasm.simd.bytes)} KiB, ${kib(wasm.simd.gzipBytes)} KiB gzipped), ` +
      `scalar build ${wasm.scalar.bytes} bytes (${kib(wasm.scalar.bytes)} KiB, ${kib(wasm.scalar.gzipBytes)} KiB gzipped).`,
    '',
    `TF.js ${tf.version.tfjs} wasm backend (SIMD ${tfFlags.simd}, threads ${tfFlags.threads}), optimizer.minimize in tf.tidy, loss read back each step; ` +
      `@jax-js/jax 0.1.25 wasm device, one jit of valueAndGrad + Adam, loss read back with item(). ` +
      `Each path timed by benny in ${ROUNDS} interleaved round(s) (fresh model, 10 warm-up steps); the headline is the best round's median.`,
  ].join('\n');
  return { markdown, data: { tfjs: { version: tf.version.tfjs, ...tfFlags }, jax: { version: '0.1.25' }, matchRtol: MATCH_RTOL, mlp, mlpMatch, cnn, cnnMatch, perOp: chain, wasm } };
}

/** Issue 12's goals, same-run ratios. */
export function targetsOf(d) {
  const ad = d.mlp.autodiff.ms;
  return [
    target('MLP step: autodiff time / built-in MLP time', ad / d.mlp.builtin.ms, 1.2, 'x', { atMost: true }),
    target('MLP step: autodiff speed-up over TF.js-wasm autodiff', d.mlp['tfjs-wasm'].ms / ad, 8, 'x'),
    target('MLP step: autodiff speed-up over jax-js (wasm, jit)', d.mlp['jax-js'].ms / ad, 2.8, 'x'),
    target('MLP: relative spread of the loss after one epoch (autodiff, TF.js, jax-js)', d.mlpMatch, d.matchRtol, 'ratio', { atMost: true }),
    target('CNN step: autodiff speed-up over TF.js-wasm autodiff', d.cnn['tfjs-wasm'].ms / d.cnn.autodiff.ms, 2, 'x'),
    target('Wasm size: SIMD build', d.wasm.simd.bytes / 1000, 160, 'kB', { atMost: true }),
  ];
}

if (isMain(import.meta.url)) writeResults('autograd', { title, targetsOf }, await run());
