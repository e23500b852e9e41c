// Question: how close does f32_gemm come to the same-run Wasm SIMD mul+add peak on the MLP's shapes,
// and how do the wasm-scalar and js paths (and TF.js's wasm matMul, XNNPACK) compare?
// Shapes: the MLP 784-128-10 at batch 64 — forward X·W1 (64×784 · 784×128, NN), its two backward
// products dW1 = Xᵀ·G (784×64 · 64×128, TN) and dX = G·W1ᵀ (64×128 · 128×784, NT) — and 128³ (NN).
// The peak probe is f32_peak_probe: twelve independent f32x4 mul+add chains in registers (96 flops
// per iteration). GFLOP/s counts 2·M·N·K flops per product. The machine is shared, so every path is
// timed in interleaved rounds and the best round's median is kept (for the probe too).
// Run: npm run build && node bench/gemm.bench.mjs   (or npm run bench -- gemm)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { getBackend } from '../dist/init.js';
import { init } from '../dist/entry/node.js';
import { fmt, isMain, measure, table, target, writeResults } from './harness.mjs';

export const title = 'GEMM: f32_gemm on the MLP shapes vs the same-run SIMD peak';
const OPTS = { minSamples: 30, maxTime: 1.5, minTime: 0.05 };
const BACKENDS = ['wasm-simd', 'wasm-scalar', 'js'];
export const SHAPES = [
  { name: 'forward X·W1', tA: 0, tB: 0, M: 64, N: 128, K: 784 },
  { name: 'backward dW1 = Xᵀ·G', tA: 1, tB: 0, M: 784, N: 128, K: 64 },
  { name: 'backward dX = G·W1ᵀ', tA: 0, tB: 1, M: 64, N: 784, K: 128 },
  { name: '128³', tA: 0, tB: 0, M: 128, N: 128, K: 128 },
];
const PEAK_ITERS = 200_000;

function values(n, seed) {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = s / 4294967296 - 0.5; }
  return a;
}

/** The bench case of shape `s` on a backend: operands allocated and filled, `ptrs` to free after. */
export function gemmCase({ k, arena }, s) {
  const [ar, ac] = s.tA ? [s.K, s.M] : [s.M, s.K];
  const [br, bc] = s.tB ? [s.N, s.K] : [s.K, s.N];
  const pa = arena.alloc(ar * ac * 4), pb = arena.alloc(br * bc * 4), pc = arena.alloc(s.M * s.N * 4);
  new Float32Array(arena.memory.buffer, pa, ar * ac).set(values(ar * ac, 1));
  new Float32Array(arena.memory.buffer, pb, br * bc).set(values(br * bc, 2));
  return { name: s.name, fn: () => k.f32_gemm(s.tA, s.tB, s.M, s.N, s.K, 1, pa, ac, pb, bc, 0, pc, s.N), ptrs: [pa, pb, pc] };
}

async function descentCases(backend) {
  // one thread: the question is the kernel's share of one core's SIMD peak (bench/threads.bench.mjs
  // measures what a second thread adds)
  await init({ backend, threads: 1 });
  const { k, arena } = getBackend();
  const cases = [], frees = [];
  for (const s of SHAPES) {
    const c = gemmCase({ k, arena }, s);
    cases.push(c);
    frees.push(...c.ptrs);
  }
  if (backend === 'wasm-simd') cases.push({ name: 'peak', fn: () => k.f32_peak_probe(PEAK_ITERS) });
  const r = await measure(`descent ${backend}`, cases, backend === 'js' ? { ...OPTS, minSamples: 10 } : OPTS);
  frees.forEach((p) => arena.free(p));
  return r;
}

async function tfCases() {
  const require = createRequire(import.meta.url);
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  await tf.setBackend('wasm');
  await tf.ready();
  const cases = [], keep = [];
  for (const s of SHAPES) {
    const a = tf.tensor2d(values(s.M * s.K, 1), s.tA ? [s.K, s.M] : [s.M, s.K]);
    const b = tf.tensor2d(values(s.K * s.N, 2), s.tB ? [s.N, s.K] : [s.K, s.N]);
    keep.push(a, b);
    cases.push({ name: s.name, fn: () => { const c = tf.matMul(a, b, !!s.tA, !!s.tB); c.dataSync(); c.dispose(); } });
  }
  const r = await measure('tfjs-wasm matMul', cases, OPTS);
  keep.forEach((t) => t.dispose());
  return { r, simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') };
}

const ROUNDS = 3;

/** Keeps, per case, the lower median of two measurements (the machine is shared: the best round is the least disturbed). */
function best(a, b) {
  if (!a) return b;
  const out = {};
  for (const k of Object.keys(b)) out[k] = a[k].median <= b[k].median ? a[k] : b[k];
  return out;
}

export default async function run() {
  const res = {};
  let tfr;
  for (let r = 0; r < ROUNDS; r++) {
    for (const b of BACKENDS) res[b] = best(res[b], await descentCases(b));
    tfr = await tfCases();
    res['tfjs-wasm'] = best(res['tfjs-wasm'], tfr.r);
  }
  const peak = (PEAK_ITERS * 96) / res['wasm-simd'].peak.median / 1e9;
  const gflops = {};
  const rows = [];
  for (const s of SHAPES) {
    const flops = 2 * s.M * s.N * s.K;
    for (const p of [...BACKENDS, 'tfjs-wasm']) {
      const g = flops / res[p][s.name].median / 1e9;
      (gflops[p] ??= {})[s.name] = g;
      rows.push([s.name, `${s.M}×${s.N}×${s.K}`, `${s.tA ? 'T' : 'N'}${s.tB ? 'T' : 'N'}`, p, fmt(res[p][s.name].median * 1e6, 1), fmt(g, 2), `${fmt((100 * g) / peak, 0)}%`]);
    }
  }
  const markdown = [
    table(['product', 'M×N×K', 'op', 'path', 'µs (median)', 'GFLOP/s', '% of SIMD peak'], rows),
    '',
    `Same-run Wasm SIMD mul+add peak (f32_peak_probe, 12 independent f32x4 chains): **${fmt(peak, 2)} GFLOP/s**. ` +
      `TF.js ${tf.version_core} wasm backend (XNNPACK): SIMD ${tfr.simd}, threads ${tfr.threads}; matMul plus dataSync. ` +
      `Every path (and the probe) is timed by benny in ${ROUNDS} interleaved rounds; each figure is the best round's median.`,
  ].join('\n');
  return { markdown, data: { peakGflops: peak, gflops, medians: res } };
}

/** Issue 4's goal: f32_gemm on wasm-simd at least 50% of the same-run peak on the forward product. */
export function targetsOf(d) {
  return [target(`f32_gemm on wasm-simd, ${SHAPES[0].name} (64×784 · 784×128): share of the same-run SIMD peak`, (100 * d.gflops['wasm-simd'][SHAPES[0].name]) / d.peakGflops, 50, '%')];
}

if (isMain(import.meta.url)) writeResults('gemm', { title, targetsOf }, await run());
