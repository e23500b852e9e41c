// Question: how fast is one optimizer step (Adam; SGD with momentum 0.9) on wasm-simd, wasm-scalar and
// the js path, against TensorFlow.js (wasm and cpu backends, optimizer.applyGradients), and how close
// does it come to the same-run SIMD triad bandwidth (f32_axpy, 12 bytes per element)?
// Sizes n = 1e4, 1e5, 1e6. Adam moves 28 bytes per parameter (p, m, v read and written, g read); SGD
// with momentum is counted at 16 bytes per parameter as the targets state it (20 by the same count).
// Run: npm run build && node bench/optim.bench.mjs   (or through bench/run.mjs: npm run bench -- optim)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { getBackend } from '../dist/init.js';
import { init, param, threadsReady } from '../dist/entry/node.js';
import { Adam, SGD } from '../dist/optim/index.js';
import { fmt, isMain, measure, table, target, writeResults } from './harness.mjs';

export const title = 'Optimizer step: Adam and SGD-momentum vs TensorFlow.js';
const SIZES = [1e4, 1e5, 1e6];
const BACKENDS = ['wasm-simd', 'wasm-scalar', 'js'];
const BYTES = { adam: 28, sgdm: 16 };
const OPTS = { minSamples: 30, maxTime: 1, minTime: 0.05 };
/** Every case is measured in this many rounds (all paths, interleaved) and its best median kept: a noisy
 * neighbour that lands on one case in one round does not decide a ratio. BENCH_ROUNDS overrides. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Gradients of mixed sign and magnitude (the values do not change the work, but keep them finite). */
function gradValues(n) {
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
  return g;
}

/** descent on one backend at size n: Adam step, SGD-momentum step and (on wasm-simd) the triad probe, in one suite. */
async function descentCases(backend, n) {
  await init({ backend });
  await threadsReady(); // the runs compare with peers on every thread init() starts
  const g = gradValues(n);
  const pa = param.zeros(n), ps = param.zeros(n);
  pa.grad.set(g);
  ps.grad.set(g);
  const adam = new Adam([pa], { lr: 1e-3 });
  const sgd = new SGD([ps], { lr: 1e-3, momentum: 0.9 });
  const cases = [
    { name: 'adam', fn: () => adam.step() },
    { name: 'sgdm', fn: () => sgd.step() },
  ];
  let triad = null;
  if (backend === 'wasm-simd') {
    const { k, arena } = getBackend();
    const x = arena.alloc(n * 4), y = arena.alloc(n * 4), out = arena.alloc(n * 4);
    new Float32Array(arena.memory.buffer, x, n).fill(1.5);
    new Float32Array(arena.memory.buffer, y, n).fill(0.25);
    cases.push({ name: 'triad', fn: () => k.f32_axpy(out, 0.5, x, y, n) });
    triad = () => { arena.free(x); arena.free(y); arena.free(out); };
  }
  const r = await measure(`descent ${backend} n=${n}`, cases, OPTS);
  if (!Number.isFinite(pa.data[0]) || !Number.isFinite(ps.data[0])) throw new Error('descent: a benchmark step produced a non-finite value');
  adam.dispose(); sgd.dispose(); pa.dispose(); ps.dispose(); triad?.();
  return r;
}

/** TensorFlow.js on backend 'wasm' or 'cpu': optimizer.applyGradients in tf.tidy, then a 1-element readback to be sure it completed. */
async function tfCases(backend, n) {
  await tf.setBackend(backend);
  await tf.ready();
  const g = tf.tensor1d(gradValues(n));
  const va = tf.variable(tf.zeros([n]), true, `adam_${backend}_${n}`);
  const vs = tf.variable(tf.zeros([n]), true, `sgdm_${backend}_${n}`);
  const adam = tf.train.adam(1e-3);
  const sgdm = tf.train.momentum(1e-3, 0.9);
  const done = (v) => tf.tidy(() => tf.slice(v, 0, 1).dataSync()[0]);
  let sink = 0;
  const r = await measure(`tfjs-${backend} n=${n}`, [
    { name: 'adam', fn: () => { tf.tidy(() => adam.applyGradients({ [va.name]: g })); sink += done(va); } },
    { name: 'sgdm', fn: () => { tf.tidy(() => sgdm.applyGradients({ [vs.name]: g })); sink += done(vs); } },
  ], OPTS);
  if (!Number.isFinite(sink)) throw new Error('tfjs: non-finite result');
  adam.dispose(); sgdm.dispose(); va.dispose(); vs.dispose(); g.dispose();
  return r;
}

export default async function run() {
  const require = createRequire(import.meta.url);
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  await tf.setBackend('wasm');
  await tf.ready();
  const tfFlags = { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') };

  const res = {}; // res[path][n] = { adamNs, sgdmNs, rounds } in ns per parameter (best median over the rounds)
  const triad = {}; // GB/s per n (best over the rounds)
  const keep = (path, n, r) => {
    const e = ((res[path] ??= {})[n] ??= { adamNs: Infinity, sgdmNs: Infinity, rounds: [] });
    e.adamNs = Math.min(e.adamNs, (r.adam.median * 1e9) / n);
    e.sgdmNs = Math.min(e.sgdmNs, (r.sgdm.median * 1e9) / n);
    e.rounds.push({ adamNs: (r.adam.median * 1e9) / n, sgdmNs: (r.sgdm.median * 1e9) / n, rme: { adam: r.adam.rme, sgdm: r.sgdm.rme } });
  };
  for (const n of SIZES) {
    for (let round = 0; round < ROUNDS; round++) {
      for (const b of BACKENDS) {
        const r = await descentCases(b, n);
        keep(b, n, r);
        if (r.triad) triad[n] = Math.max(triad[n] ?? 0, (12 * n) / r.triad.median / 1e9);
      }
      for (const b of ['wasm', 'cpu']) keep(`tfjs-${b}`, n, await tfCases(b, n));
    }
  }

  const PATHS = [...BACKENDS, 'tfjs-wasm', 'tfjs-cpu'];
  const rows = [];
  for (const op of ['adam', 'sgdm']) {
    for (const n of SIZES) {
      const simd = res['wasm-simd'][n][`${op}Ns`];
      for (const p of PATHS) {
        const ns = res[p][n][`${op}Ns`];
        const gbs = BYTES[op] / ns;
        rows.push([
          op === 'adam' ? 'Adam' : 'SGD-momentum', n.toExponential(0), p, fmt(ns, 2), fmt(gbs, 2),
          p === 'wasm-simd' ? '1x' : `${fmt(ns / simd, 1)}x`, `${fmt((100 * gbs) / triad[n], 0)}%`,
        ]);
      }
    }
  }
  const markdown = [
    table(['optimizer', 'n', 'path', 'ns/param (median)', 'GB/s', 'time vs wasm-simd', '% of triad'], rows),
    '',
    `Same-run SIMD triad (f32_axpy on wasm-simd, 12 B/element): ${SIZES.map((n) => `n=${n.toExponential(0)}: ${fmt(triad[n])} GB/s`).join('; ')}. ` +
      `GB/s counts ${BYTES.adam} B/param for Adam and ${BYTES.sgdm} B/param for SGD-momentum. ` +
      `TF.js ${tf.version_core} wasm backend: SIMD ${tfFlags.simd}, threads ${tfFlags.threads}; applyGradients in tf.tidy plus a 1-element readback. ` +
      `Each figure is the best of ${ROUNDS} rounds' medians (benny), all paths measured in every round.`,
  ].join('\n');
  return { markdown, data: { rounds: ROUNDS, tfjs: { version: tf.version_core, ...tfFlags }, triadGBs: triad, nsPerParam: res } };
}

/** Issue 3's goals, same-run ratios (Adam 28 and SGD-momentum 16 bytes per parameter against the triad). */
export function targetsOf(d) {
  const ns = (path, n, op) => d.nsPerParam[path][n][`${op}Ns`];
  return [
    ...[1e5, 1e6].map((n) => target(`Adam n = ${n.toExponential(0)}: wasm-simd speed-up over TF.js-wasm`, ns('tfjs-wasm', n, 'adam') / ns('wasm-simd', n, 'adam'), 10, 'x')),
    ...[1e5, 1e6].map((n) => target(`Adam n = ${n.toExponential(0)}: wasm-simd speed-up over the js path`, ns('js', n, 'adam') / ns('wasm-simd', n, 'adam'), 8, 'x')),
    target('Adam n = 1e6 on wasm-simd: share of the same-run triad bandwidth', (100 * BYTES.adam) / ns('wasm-simd', 1e6, 'adam') / d.triadGBs[1e6], 75, '%'),
    target('SGD-momentum n = 1e6 on wasm-simd: share of the same-run triad bandwidth', (100 * BYTES.sgdm) / ns('wasm-simd', 1e6, 'sgdm') / d.triadGBs[1e6], 85, '%'),
  ];
}

if (isMain(import.meta.url)) writeResults('optim', { title, targetsOf }, await run());
