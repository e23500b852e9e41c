// Question: what do threads buy on this machine — threads 2 against threads 1 in the same run — for
// GEMM 256×256×256, an MNIST MLP training step (784-128-10, ReLU, softmax cross-entropy, Adam) at
// batch 256 and 64, and an Adam step at n = 1e6 (and Adam with threads against TF.js-wasm)? What does
// one synchronisation cost, and where does a split start to pay (the thresholds of
// scripts/manifest/parallel.mjs)?
// Method: the speed-ups pair their samples. This checkout's build runs init({ threads: 2 }) and a copy
// of it (bench/.ab/threads-copy/, a second module graph with its own memory) init({ threads: 1 }),
// side by side in one process; each case runs on both back to back (a fixed number of calls,
// ~SAMPLE_MS), in PAIRED_ROUNDS rounds with the order alternating; a speed-up is the median over rounds
// of each round's own ratio, a time the median over rounds. (The best-of-3-rounds benny medians of
// separate 1-thread and 2-thread passes used before moved the one-thread GEMM from 1944 to 1442 µs
// between two quiet runs while the two-thread time stayed.) The sync cost and the sweeps below are
// best-of-rounds benny medians. The sync cost is a forced split of a 32-element
// f32_fill (2 chunks: the worker is woken, claims one, the caller waits) minus the same call on one
// thread. The threshold sweep times f32_axpy and f32_adam_step at growing n, forced onto 2 threads
// (the pool's `force`) and on the raw one-thread kernel, on the same memory in the same run.
// The paired speed-ups are measured in THREADS_PROCESSES fresh processes (default 3) and combined
// per case: the median of the processes' speed-ups (each shown) and of their times; the rest once.
// Run: npm run build && node bench/threads.bench.mjs   (or npm run bench -- threads)
// BENCH_ROUNDS=1 BENCH_SMOKE=1 for a smoke run (short sampling; the figures are not meaningful).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { getBackend } from '../dist/init.js';
import { Adam, MLP, init, param, threadsReady } from '../dist/entry/node.js';
import { ELEMENTWISE_MIN, GEMM_MIN, OPTIM_MIN } from '../scripts/manifest/parallel.mjs';
import { byGauge, childMain, roundsPart, fmt, gaugeCell, inFreshProcesses, isMain, measure, median, pairedSamples, table, target, writeResults } from './harness.mjs';
import { loadMnist } from './mnist.mjs';

export const title = 'Threads: 2 threads against 1 in the same run, the cost of one synchronisation, the size thresholds';
const SMOKE = process.env.BENCH_SMOKE === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const OPTS = SMOKE ? { minSamples: 5, maxTime: 0.2, minTime: 0.01 } : { minSamples: 30, maxTime: 1, minTime: 0.05 };
const PAIRED_ROUNDS = SMOKE ? 3 : Number(process.env.BENCH_PAIRED_ROUNDS ?? 15);
const PROCESSES = Number(process.env.THREADS_PROCESSES ?? (SMOKE ? 1 : 3));
if (!Number.isInteger(PROCESSES) || PROCESSES < 1) throw new RangeError(`threads: THREADS_PROCESSES must be a whole number of processes, 1 or more (default 3), got ${JSON.stringify(process.env.THREADS_PROCESSES)}`);
const SAMPLE_MS = SMOKE ? 10 : 60, WARM_MS = SMOKE ? 20 : 150;
const GEMM = 256;
const ADAM_N = 1e6;
const IN = 784, HID = 128, OUT = 10;
const BATCHES = [256, 64];
const SWEEP = SMOKE ? [4096, 65536] : [2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144];
/** GEMM shapes (M, N, K) of the small models' steps, for the GEMM threshold (M·N·K multiply-adds). */
const GEMM_SWEEP = SMOKE ? [[64, 10, 128], [64, 64, 64]] : [[32, 10, 64], [64, 10, 128], [32, 64, 64], [64, 64, 64], [128, 64, 64], [64, 128, 128], [256, 128, 64]];

function values(n, seed) {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = s / 4294967296 - 0.5; }
  return a;
}

/** Per case, the lower median of two measurements (the machine is shared: the best round is the least disturbed). */
function best(a, b) {
  if (!a) return b;
  const out = {};
  for (const k of Object.keys(b)) out[k] = a[k].median <= b[k].median ? a[k] : b[k];
  return out;
}

/** Batches of the MNIST training split: { data, shape } inputs and their labels. */
export function mnistBatches(batch) {
  const { train } = loadMnist(8000, 2000);
  const out = [];
  for (let s = 0; s + batch <= 8000 && out.length < 16; s += batch) {
    out.push({ X: { data: train.X.subarray(s * IN, (s + batch) * IN), shape: [batch, IN] }, y: train.y.subarray(s, s + batch) });
  }
  return out;
}

/** The MNIST MLP (784-128-10, ReLU, He init, Adam 1e-3) stepping through `mnist[batch]`, after `warm` steps (`lib`: a module graph of descent). */
function mlpTrainer(mnist, batch, warm, lib = { MLP, Adam }) {
  const net = new lib.MLP({ layers: [IN, HID, OUT], activation: 'relu', loss: 'softmax-cross-entropy', init: 'he', seed: 42 });
  const opt = new lib.Adam(net.parameters(), { lr: 1e-3 });
  const bs = mnist[batch];
  let j = 0;
  const step = () => { const b = bs[j++ % bs.length]; net.lossAndGrad(b.X, b.y); opt.step(); };
  for (let i = 0; i < warm; i++) step();
  return { step, dispose: () => { opt.dispose(); net.dispose(); } };
}

/** GEMM, MLP steps and the Adam step with `threads` threads, on the module graph `g` ({ lib, getBackend }): { cases, dispose }. */
async function threadCases(threads, mnist, g) {
  const L = g.lib;
  await L.init({ backend: 'wasm-simd', threads });
  const info = await L.threadsReady();
  if (info.threads !== threads) throw new Error(`bench: asked for ${threads} threads, running ${info.threads} (${info.threadsReason})`);
  const { k, arena } = g.getBackend();
  const n3 = GEMM * GEMM;
  const pa = arena.alloc(n3 * 4), pb = arena.alloc(n3 * 4), pc = arena.alloc(n3 * 4);
  new Float32Array(arena.memory.buffer, pa, n3).set(values(n3, 1));
  new Float32Array(arena.memory.buffer, pb, n3).set(values(n3, 2));
  const cases = [{ name: 'gemm', kernelOnly: true, fn: () => k.f32_gemm(0, 0, GEMM, GEMM, GEMM, 1, pa, GEMM, pb, GEMM, 0, pc, GEMM) }];
  const nets = [];
  for (const batch of BATCHES) {
    const t = mlpTrainer(mnist, batch, 3, L);
    cases.push({ name: `mlp${batch}`, fn: t.step });
    nets.push(t);
  }
  const p = L.param.zeros(ADAM_N);
  p.grad.set(values(ADAM_N, 3));
  const adam = new L.Adam([p], { lr: 1e-3 });
  cases.push({ name: 'adam', kernelOnly: true, fn: () => adam.step() });
  return {
    cases,
    dispose() {
      if (!Number.isFinite(p.data[0])) throw new Error('bench: the Adam step produced a non-finite value');
      adam.dispose(); p.dispose();
      for (const t of nets) t.dispose();
      arena.free(pa); arena.free(pb); arena.free(pc);
    },
  };
}

/** A copy of this checkout's dist/, build/ and package.json (bench/.ab/threads-copy/): a second module graph, loaded. */
async function copyGraph() {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const dir = join(root, 'bench', '.ab', 'threads-copy');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const d of ['dist', 'build', 'package.json']) cpSync(join(root, d), join(dir, d), { recursive: true });
  const url = (f) => pathToFileURL(join(dir, f)).href;
  return { lib: await import(url('dist/entry/node.js')), getBackend: (await import(url('dist/init.js'))).getBackend };
}

/**
 * Threads 1 (the copy) against threads 2 (this build), paired: per case, both back to back in
 * PAIRED_ROUNDS rounds, the order alternating. { medianUs: { 1: {...}, 2: {...} }, speedup: {...}, gauge: {...} (byGauge) }.
 */
async function pairedThreads(mnist) {
  const one = await threadCases(1, mnist, await copyGraph());
  const two = await threadCases(2, mnist, { lib: { init, threadsReady, MLP, Adam, param }, getBackend });
  const medianUs = { 1: {}, 2: {} }, speedup = {}, rounds = {};
  try {
    for (let i = 0; i < one.cases.length; i++) {
      const name = one.cases[i].name;
      const p = pairedSamples(one.cases[i].fn, two.cases[i].fn, {
        rounds: PAIRED_ROUNDS, sampleMs: SAMPLE_MS, warmMs: WARM_MS, bothCores: true, meterB: () => getBackend().pool.stats,
      });
      medianUs[1][name] = p.aUs;
      medianUs[2][name] = p.bUs;
      speedup[name] = p.ratio;
      rounds[name] = {
        ratios: p.ratios, gaugeUs: p.gaugeUs, otherGaugeUs: p.otherGaugeUs, balance: p.meterB.map(chunkBalance),
        // one kernel per call (GEMM, Adam): the caller's time per chunk with both threads running over
        // a chunk's share of the one-thread call in the same round
        ...(one.cases[i].kernelOnly ? { slowdown: p.meterB.map((d, r) => (d.ownChunks > 0 ? (d.ownMs * 1000 / d.ownChunks) / (p.samplesUs[0][r] * d.runs / d.chunks) : null)) } : {}),
      };
    }
  } finally {
    one.dispose();
    two.dispose();
  }
  return { medianUs, speedup, rounds };
}

/**
 * How much slower the worker ran its chunks than the caller ran its own over one sample of the
 * two-thread path (the pool's stats, differences): the worker's time per chunk (the call's whole
 * time over its chunks: it works from the start to the end) over the caller's. About 1 when the two
 * cores ran at one speed; 1.5 when the worker's core was shared with other work and the caller's was
 * not; null when one side ran no chunk.
 */
function chunkBalance(d) {
  const theirs = d.chunks - d.ownChunks;
  if (!(d.ownChunks > 0 && theirs > 0)) return null;
  return (d.wallMs / theirs) / (d.ownMs / d.ownChunks);
}

/**
 * Rounds pooled over processes: those whose two threads ran their chunks at one speed (balance within
 * 25%), the median balance of all, and, where a call is one kernel (slowdown known), the rounds whose
 * threads also ran at the speed one thread runs alone (the caller's time per chunk within 25% of a
 * chunk's share of the one-thread call) with the median slowdown of all.
 */
function byBalance(parts) {
  const bal = parts.flatMap((p) => p.balance), ratios = parts.flatMap((p) => p.ratios);
  const slow = parts.every((p) => p.slowdown) ? parts.flatMap((p) => p.slowdown) : null;
  const evenAt = (r) => bal[r] !== null && bal[r] >= 0.8 && bal[r] <= 1.25;
  const known = (xs) => xs.filter((x) => x !== null);
  return {
    even: roundsPart(ratios.filter((_, r) => evenAt(r))),
    medianBalance: known(bal).length ? median(known(bal)) : null,
    ...(slow ? {
      full: roundsPart(ratios.filter((_, r) => evenAt(r) && slow[r] !== null && slow[r] <= 1.25)),
      medianSlowdown: known(slow).length ? median(known(slow)) : null,
    } : {}),
  };
}

/** The paired cases in PROCESSES fresh processes, combined per case (medians of the processes' figures; the gauge split over all their rounds). */
async function pairedInProcesses(mnist) {
  const parts = PROCESSES <= 1 ? [await pairedThreads(mnist)] : inFreshProcesses(import.meta.url, PROCESSES, 'threads');
  const cases = Object.keys(parts[0].speedup);
  const per = (f) => Object.fromEntries(cases.map((c) => [c, median(parts.map((p) => f(p, c)))]));
  return {
    medianUs: { 1: per((p, c) => p.medianUs[1][c]), 2: per((p, c) => p.medianUs[2][c]) },
    speedup: per((p, c) => p.speedup[c]),
    processSpeedup: Object.fromEntries(cases.map((c) => [c, parts.map((p) => p.speedup[c])])),
    gauge: Object.fromEntries(cases.map((c) => [c, byGauge(...parts.map((p) => p.rounds[c]))])),
    balance: Object.fromEntries(cases.map((c) => [c, byBalance(parts.map((p) => p.rounds[c]))])),
  };
}

/** The MNIST batches the paired MLP cases train on. */
function loadPairedMnist() {
  return Object.fromEntries(BATCHES.map((b) => [b, mnistBatches(b)]));
}

/** With 2 threads: the sync cost (a forced 2-chunk split of a 32-element fill against the raw call) and the threshold sweep. */
async function syncAndSweep() {
  await init({ backend: 'wasm-simd', threads: 2 });
  await threadsReady();
  const { k, raw, arena, pool } = getBackend();
  if (!pool || pool.threads !== 2) throw new Error('bench: the pool did not start 2 threads');
  const nmax = SWEEP[SWEEP.length - 1];
  const bufs = Array.from({ length: 5 }, () => arena.alloc(nmax * 4));
  const f32 = new Float32Array(arena.memory.buffer);
  bufs.forEach((b, i) => f32.set(values(nmax, 10 + i), b >>> 2));
  const [x, y, out, m, v] = bufs;
  f32.fill(0, m >>> 2, (m >>> 2) + nmax);
  f32.fill(0, v >>> 2, (v >>> 2) + nmax);
  const forced = (fn) => () => { pool.force = true; try { fn(); } finally { pool.force = false; } };
  const adam = (kk, n) => () => kk.f32_adam_step(out, x, m, v, 0, n, -1e-3, 0.9, 0.1, 0.999, 0.001, 1, 1e-8, 0, 1, 0);
  const cases = [
    { name: 'sync 2 threads', fn: forced(() => k.f32_fill(out, 0.5, 32)) },
    { name: 'sync 1 thread', fn: () => raw.f32_fill(out, 0.5, 32) },
  ];
  for (const n of SWEEP) {
    cases.push({ name: `axpy ${n} 2t`, fn: forced(() => k.f32_axpy(out, 0.5, x, y, n)) });
    cases.push({ name: `axpy ${n} 1t`, fn: () => raw.f32_axpy(out, 0.5, x, y, n) });
    cases.push({ name: `adam ${n} 2t`, fn: forced(adam(k, n)) });
    cases.push({ name: `adam ${n} 1t`, fn: adam(raw, n) });
  }
  for (const [M, N, K] of GEMM_SWEEP) {
    const g = (kk) => () => kk.f32_gemm(0, 0, M, N, K, 1, x, K, y, N, 0, out, N);
    cases.push({ name: `gemm ${M}x${N}x${K} 2t`, fn: forced(g(k)) });
    cases.push({ name: `gemm ${M}x${N}x${K} 1t`, fn: g(raw) });
  }
  const r = await measure('sync and sweep, 2 threads', cases, OPTS);
  bufs.forEach((b) => arena.free(b));
  return r;
}

/**
 * What two threads can compute at most on this machine: f32_peak_probe (12 independent f32x4
 * mul+add chains, no memory traffic) on one worker alone, then on two workers started together (an
 * Atomics flag), each on its own instance of the SIMD build. Two separate cores give 2x; two
 * hyperthreads of one core (what a cloud VM's vCPUs may be) give much less, and then no compute-bound
 * kernel (GEMM) can reach 2x either. Returns the best of `rounds` of { soloGflops, pairGflops }.
 */
export async function coreProbe(rounds) {
  const module = await WebAssembly.compile(readFileSync(new URL('../build/descent-simd.wasm', import.meta.url)));
  const dir = mkdtempSync(join(tmpdir(), 'descent-probe-'));
  const file = join(dir, 'probe.mjs');
  const loader = new URL('../dist/wasm/loader.js', import.meta.url).href;
  writeFileSync(file, `
import { parentPort, workerData } from 'node:worker_threads';
import { instantiateBuild } from ${JSON.stringify(loader)};
const k = await instantiateBuild(workerData.module, new WebAssembly.Memory({ initial: 64, maximum: 256 }));
k.f32_peak_probe(200000);
const flag = new Int32Array(workerData.flag);
parentPort.postMessage('ready');
Atomics.wait(flag, 0, 0);
const t0 = performance.now();
const sink = k.f32_peak_probe(workerData.iters);
parentPort.postMessage({ ms: performance.now() - t0, sink });
`);
  const ITERS = SMOKE ? 2e6 : 2e7;
  const once = async (n) => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const ws = Array.from({ length: n }, () => new Worker(file, { workerData: { module, flag: flag.buffer, iters: ITERS } }));
    const msgs = ws.map((w) => { const q = []; const waiters = []; w.on('message', (m) => (waiters.length ? waiters.shift()(m) : q.push(m))); w.on('error', (e) => { throw e; }); return () => (q.length ? Promise.resolve(q.shift()) : new Promise((r) => waiters.push(r))); });
    await Promise.all(msgs.map((next) => next()));
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    const res = await Promise.all(msgs.map((next) => next()));
    await Promise.all(ws.map((w) => w.terminate()));
    const ms = Math.max(...res.map((r) => r.ms));
    return (n * ITERS * 96) / (ms * 1e6);
  };
  let solo = 0, pair = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      solo = Math.max(solo, await once(1));
      pair = Math.max(pair, await once(2));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { soloGflops: solo, pairGflops: pair };
}

/**
 * Where one thread's MLP step goes (threads 1): the calls that 2 threads would split (GEMMs of at
 * least GEMM_MIN multiply-adds, optimizer steps of at least OPTIM_MIN parameters; every other kernel of
 * these steps is far below its threshold), the calls that stay on one thread, and the JavaScript
 * between them. With the split calls taking exactly half the time (a perfect 2x) the step would be
 * total / (total - split / 2) faster: Amdahl's bound for the MLP rows.
 */
export async function stepShares(mnist, batch) {
  await init({ backend: 'wasm-simd', threads: 1 });
  const b = getBackend(), real = b.k;
  const { step, dispose } = mlpTrainer(mnist, batch, 20);
  let split = 0, serial = 0;
  const wrapped = {};
  for (const name of Object.keys(real)) {
    const f = real[name];
    if (typeof f !== 'function') { wrapped[name] = f; continue; }
    const splits = name === 'f32_gemm' ? (a) => a[2] * a[3] * a[4] >= GEMM_MIN : name === 'f32_adam_step' ? (a) => a[5] >= OPTIM_MIN : () => false;
    wrapped[name] = (...a) => {
      const t0 = performance.now();
      const r = f(...a);
      const dt = performance.now() - t0;
      if (splits(a)) split += dt; else serial += dt;
      return r;
    };
  }
  const N = SMOKE ? 10 : 60;
  const shares = [];
  for (let round = 0; round < 5; round++) {
    split = 0; serial = 0;
    b.k = wrapped;
    const t0 = performance.now();
    try { for (let i = 0; i < N; i++) step(); } finally { b.k = real; }
    const total = (performance.now() - t0) / N;
    shares.push({ totalUs: total * 1000, splitUs: (split / N) * 1000, serialUs: (serial / N) * 1000, jsUs: (total - (split + serial) / N) * 1000 });
  }
  dispose();
  const r = shares.sort((x, y) => x.totalUs - y.totalUs)[2];
  return { ...r, bound: r.totalUs / (r.totalUs - r.splitUs / 2) };
}

async function tfAdam() {
  const require = createRequire(import.meta.url);
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  await tf.setBackend('wasm');
  await tf.ready();
  const g = tf.tensor1d(values(ADAM_N, 3));
  const va = tf.variable(tf.zeros([ADAM_N]), true, `threads_adam_${ADAM_N}`);
  const opt = tf.train.adam(1e-3);
  let sink = 0;
  const r = await measure('tfjs-wasm adam', [{ name: 'adam', fn: () => { tf.tidy(() => opt.applyGradients({ [va.name]: g })); sink += tf.tidy(() => tf.slice(va, 0, 1).dataSync()[0]); } }], OPTS);
  if (!Number.isFinite(sink)) throw new Error('tfjs: non-finite result');
  opt.dispose(); va.dispose(); g.dispose();
  return { r, simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') };
}

export default async function run() {
  const mnist = loadPairedMnist();
  const paired = await pairedInProcesses(mnist);
  let sweep, tfr, tfBest;
  for (let round = 0; round < ROUNDS; round++) {
    sweep = best(sweep, await syncAndSweep());
    tfr = await tfAdam();
    tfBest = best(tfBest, tfr.r);
  }
  await init({ backend: 'wasm-simd', threads: 1 });
  const cores = await coreProbe(SMOKE ? 1 : 5);
  const shares = {};
  for (const bt of BATCHES) shares[bt] = await stepShares(mnist, bt);
  const us = (c) => c.median * 1e6;
  const medians = paired.medianUs;
  const syncUs = us(sweep['sync 2 threads']) - us(sweep['sync 1 thread']);
  const sweepUs = Object.fromEntries(Object.entries(sweep).map(([k, c]) => [k, us(c)]));
  const tfAdamUs = us(tfBest.adam);
  const rows = [
    ['GEMM 256×256×256', 'gemm'], ['MNIST MLP step, batch 256', 'mlp256'], ['MNIST MLP step, batch 64', 'mlp64'], ['Adam step, n = 1e6', 'adam'],
  ].map(([label, key]) => {
    const g = paired.gauge[key], bal = paired.balance[key];
    return [
      label, fmt(medians[1][key], 1), fmt(medians[2][key], 1), `${fmt(paired.speedup[key], 2)}x (${paired.processSpeedup[key].map((x) => fmt(x, 2)).join(', ')})`,
      gaugeCell(g.quiet), gaugeCell(g.busy), gaugeCell(bal.even), bal.medianBalance === null ? '–' : `${fmt(bal.medianBalance, 2)}x`,
      bal.full ? gaugeCell(bal.full) : '–', bal.medianSlowdown == null ? '–' : `${fmt(bal.medianSlowdown, 2)}x`,
    ];
  });
  const sweepRows = SWEEP.map((n) => [
    String(n),
    fmt(sweepUs[`axpy ${n} 1t`], 2), fmt(sweepUs[`axpy ${n} 2t`], 2), `${fmt(sweepUs[`axpy ${n} 1t`] / sweepUs[`axpy ${n} 2t`], 2)}x`,
    fmt(sweepUs[`adam ${n} 1t`], 2), fmt(sweepUs[`adam ${n} 2t`], 2), `${fmt(sweepUs[`adam ${n} 1t`] / sweepUs[`adam ${n} 2t`], 2)}x`,
  ]);
  const gemmRows = GEMM_SWEEP.map(([M, N, K]) => {
    const key = `gemm ${M}x${N}x${K}`;
    return [`${M}×${N}×${K}`, String(M * N * K), fmt(sweepUs[`${key} 1t`], 2), fmt(sweepUs[`${key} 2t`], 2), `${fmt(sweepUs[`${key} 1t`] / sweepUs[`${key} 2t`], 2)}x`];
  });
  const markdown = [
    table([
      'case', 'threads 1 (µs)', 'threads 2 (µs)', 'speed-up (each process)', 'rounds with both cores quiet', 'rounds with either shared',
      'rounds whose threads ran at one speed', "worker's time per chunk over the caller's",
      'rounds whose threads ran at one speed and at the one-thread speed', "caller's time per chunk over one thread's",
    ], rows),
    '',
    `Threads 1: a copy of this build in a second module graph with init({ threads: 1 }); threads 2: this build with init({ threads: 2 }); in each of ${PROCESSES} fresh process${PROCESSES > 1 ? 'es' : ''}, ` +
      `each case on both back to back (a fixed number of calls, ~${SAMPLE_MS} ms), ${PAIRED_ROUNDS} rounds with the order alternating. ` +
      'In a process, µs are medians over the rounds and a speed-up the median over rounds of each round\'s own ratio; the table gives the medians of the processes\' figures, each process\'s speed-up in brackets. ' +
      'The last two columns split the rounds by a gauge read before each on both cores at once (a fixed L1-resident loop of loads and adds, bench/harness.mjs bothCoresGaugeUs: on the calling thread and on a worker of its own): a round is quiet when each core read within 25% of its lowest reading, and otherwise a core was shared with other work (the same loop then takes up to 4x as long, while a loop of square roots holds still: most likely another tenant on the same physical core; the two vCPUs are shared independently, one often while the other is not); each gives the median speed-up of its rounds, pooled over the processes, and their count. ' +
      `Lowest readings: ${fmt(Math.min(...Object.values(paired.gauge).map((g) => g.lowUs)), 0)} µs on the calling thread's core, ${fmt(Math.min(...Object.values(paired.gauge).map((g) => g.otherLowUs)), 0)} µs on the other. ` +
      'The gauge is read before a round, and a core can change state inside it; the last two columns look inside the two-thread sample itself (the pool\'s stats, src/threads/pool.ts): ' +
      'per round, the worker\'s time per chunk (the call\'s whole time over the chunks it ran) over the caller\'s (the caller\'s time in its own chunks over their count). ' +
      'Within 25% of 1, the two threads ran at one speed, and those rounds\' median speed-up is what the threading gives when neither core is held back; the next column is the median of that figure over all rounds. ' +
      'Where a call is one kernel (GEMM, Adam), the last two columns also compare the caller\'s time per chunk with both threads running against a chunk\'s share of the one-thread call of the same round: ' +
      'near 1 when each thread had a core to itself; near 2 when the two threads shared one core\'s execution units (both vCPUs on one physical core, or each beside other work). ' +
      'Rounds within 25% on both counts ran both threads at full speed: their speed-up is the threading\'s own.',
    '',
    `Adam n = 1e6: TF.js ${tf.version_core} wasm (SIMD ${tfr.simd}, threads ${tfr.threads}) ${fmt(tfAdamUs, 1)} µs; descent with 2 threads ${fmt(tfAdamUs / medians[2].adam, 1)}x faster, with 1 thread ${fmt(tfAdamUs / medians[1].adam, 1)}x.`,
    '',
    `What two threads can compute at most here (f32_peak_probe, 12 independent f32x4 mul+add chains, on separate workers): ` +
      `one alone ${fmt(cores.soloGflops, 1)} GFLOP/s, two at once ${fmt(cores.pairGflops, 1)} GFLOP/s together: **${fmt(cores.pairGflops / cores.soloGflops, 2)}x**. ` +
      'This bounds the speed-up of compute-bound kernels (GEMM, and the MLP steps whose time is mostly GEMM); 2x means two full cores, much less means the two vCPUs share one core\'s SIMD units.',
    '',
    'The MLP steps on one thread (timed call by call; the timer itself adds a little to every call):',
    '',
    table(['MNIST MLP step', 'µs', 'in calls 2 threads split', 'in calls that stay on one thread', 'JavaScript between calls', 'Amdahl bound for 2 threads'],
      BATCHES.map((bt) => [`batch ${bt}`, fmt(shares[bt].totalUs, 0), fmt(shares[bt].splitUs, 0), fmt(shares[bt].serialUs, 0), fmt(shares[bt].jsUs, 0), `${fmt(shares[bt].bound, 2)}x`])),
    '',
    `One synchronisation (a forced 2-chunk split of a 32-element f32_fill minus the raw call): **${fmt(syncUs, 2)} µs** ` +
      `(${fmt(sweepUs['sync 2 threads'], 2)} against ${fmt(sweepUs['sync 1 thread'], 2)} µs).`,
    '',
    'Threshold sweep (2 threads forced to split against the raw one-thread kernel, same memory, same run):',
    '',
    table(['n', 'axpy 1t (µs)', 'axpy 2t (µs)', 'axpy speed-up', 'adam 1t (µs)', 'adam 2t (µs)', 'adam speed-up'], sweepRows),
    '',
    'GEMM (NN) on the small models\' shapes, split over 2 threads (by columns where N >= M, else by rows) against the raw one-thread kernel:',
    '',
    table(['M×N×K', 'multiply-adds', '1t (µs)', '2t (µs)', 'speed-up'], gemmRows),
    '',
    `Thresholds in use (scripts/manifest/parallel.mjs): element-wise ${ELEMENTWISE_MIN} elements, optimizer steps ${OPTIM_MIN} parameters, GEMM ${GEMM_MIN} multiply-adds (M·N·K). ` +
      `The sync cost, the sweeps and TF.js: the best of ${ROUNDS} interleaved rounds' medians (benny).${SMOKE ? ' SMOKE RUN: short sampling, not figures to quote.' : ''}`,
  ].join('\n');
  return {
    markdown,
    data: { rounds: ROUNDS, pairedRounds: PAIRED_ROUNDS, smoke: SMOKE, medianUs: medians, speedup: paired.speedup, processSpeedup: paired.processSpeedup, processes: PROCESSES, gauge: paired.gauge, balance: paired.balance, cores, shares, syncUs, sweepUs, sweepSizes: SWEEP, gemmSweep: GEMM_SWEEP, tfjsAdamUs: tfAdamUs, tfjs: { version: tf.version_core, simd: tfr.simd, threads: tfr.threads }, thresholds: { elementwise: ELEMENTWISE_MIN, optim: OPTIM_MIN, gemm: GEMM_MIN } },
  };
}

/** Issue 13's goals: threads 2 against threads 1 in the same run, and Adam with threads against TF.js-wasm. */
export function targetsOf(d) {
  const x = (key) => d.speedup?.[key] ?? d.medianUs[1][key] / d.medianUs[2][key];
  return [
    target('GEMM 256×256×256: threads 2 speed-up over threads 1', x('gemm'), 1.8, 'x'),
    target('MNIST MLP step, batch 256: threads 2 speed-up over threads 1', x('mlp256'), 1.7, 'x'),
    target('MNIST MLP step, batch 64: threads 2 speed-up over threads 1', x('mlp64'), 1.4, 'x'),
    target('Adam step n = 1e6: threads 2 speed-up over threads 1', x('adam'), 1.6, 'x'),
    target('Adam step n = 1e6: threads 2 speed-up over TF.js-wasm', d.tfjsAdamUs / d.medianUs[2].adam, 10, 'x'),
  ];
}

// a child of pairedInProcesses() writes its paired cases to the file the parent named; the parent writes the results
if (isMain(import.meta.url) && !(await childMain(() => pairedThreads(loadPairedMnist())))) writeResults('threads', { title, targetsOf }, await run());
