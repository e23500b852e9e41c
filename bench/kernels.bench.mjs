// Question: how fast is every activation, loss, penalty and input-check kernel on wasm-simd,
// wasm-scalar and the js path, and which path is fastest? Driven by the kernel manifest
// (scripts/manifest.mjs): every kernel of those families (each activation code of the kernels that
// take one) at 1e3 and 1e5 elements — n for vector kernels, rows × 100 columns for row kernels —
// with the arguments and seeded data the parity tests use (scripts/kernel-harness.mjs). Reports
// elements per second (the largest operand's element count / time) and the time relative to the
// fastest path. A kernel added to these families in the manifest is timed here without an edit.
// Run: npm run build && node bench/kernels.bench.mjs   (or npm run bench -- kernels)
import { KERNELS } from '../scripts/manifest.mjs';
import { argList, counts, fillCase } from '../scripts/kernel-harness.mjs';
import { getBackend } from '../dist/init.js';
import { init, threadsReady } from '../dist/entry/node.js';
import { fmt, isMain, measure, table, target, writeResults } from './harness.mjs';

export const title = 'Kernels from the manifest: activations, losses, penalties and checks';
const FAMILIES = ['activations', 'losses', 'penalties', 'check'];
const SIZES = [1e3, 1e5];
const COLS = 100;
const BACKENDS = ['wasm-simd', 'wasm-scalar', 'js'];
const OPTS = { minSamples: Number(process.env.BENCH_SAMPLES ?? 20), maxTime: Number(process.env.BENCH_MAX_TIME ?? 0.5), minTime: 0.02 };
/** This suite's own goal (no issue set one): wasm-simd at least this many times the js path at 1e5 elements. */
const GOAL_VS_JS = 2;

/** The timed calls: one per kernel, per activation code where it takes one, per size. */
function benchCases() {
  const out = [];
  for (const k of KERNELS.filter((x) => FAMILIES.includes(x.family) && x.bench)) {
    const enumArg = k.args.find((a) => a.kind === 'enum');
    for (const e of enumArg ? enumArg.values : [null]) {
      for (const N of SIZES) {
        const dims = k.args.filter((a) => a.kind === 'dim').map((a) => a.name);
        const ints = {};
        for (const a of k.args) {
          if (a.kind === 'dim') ints[a.name] = dims.length === 1 ? N : a.name === dims[dims.length - 1] ? COLS : N / COLS;
          else if (a.kind === 'enum') ints[a.name] = e;
          else if (a.kind === 'flags') ints[a.name] = 0;
          else if (a.kind === 'fixed') ints[a.name] = a.value;
        }
        const present = Object.fromEntries(k.args.filter((a) => a.kind === 'ptr').map((a) => [a.name, true]));
        const c = { ints, present, alias: null, data: 'finite', seed: 1 };
        const elements = Math.max(...Object.values(counts(k, ints)));
        out.push({ k, c, N, elements, variant: e === null ? '' : `${enumArg.name}=${e}`, key: `${k.name}${e === null ? '' : `[${enumArg.name}=${e}]`}@${N}` });
      }
    }
  }
  return out;
}

/** All cases on one backend: buffers filled once, each call timed by benny. Returns { key: median s }. */
async function onBackend(backend, cases) {
  await init({ backend });
  await threadsReady();
  const b = getBackend();
  const frees = [];
  const timed = cases.map((bc) => {
    const values = fillCase(bc.k, bc.c);
    const n = counts(bc.k, bc.c.ints);
    const ptr = {};
    for (const a of bc.k.args.filter((x) => x.kind === 'ptr')) {
      const p = b.arena.alloc(Math.max(16, n[a.name] * 4));
      frees.push(p);
      const view = a.elem === 'i32' ? new Int32Array(b.memory.buffer, p, n[a.name]) : new Float32Array(b.memory.buffer, p, n[a.name]);
      view.set(values[a.name]);
      ptr[a.name] = p;
    }
    const args = argList(bc.k, bc.c, values, (name) => ptr[name]);
    const f = b.k[bc.k.name];
    let sink = 0;
    return { name: bc.key, fn: () => { sink += Number(f(...args)) || 0; } };
  });
  const r = await measure(`kernels on ${backend}`, timed, OPTS);
  frees.forEach((p) => b.arena.free(p));
  return Object.fromEntries(Object.entries(r).map(([key, v]) => [key, v.median]));
}

export default async function run() {
  const cases = benchCases();
  const medians = {};
  for (const backend of BACKENDS) medians[backend] = await onBackend(backend, cases);
  const results = {};
  const rows = [];
  for (const bc of cases) {
    const t = Object.fromEntries(BACKENDS.map((b) => [b, medians[b][bc.key]]));
    const fastest = Math.min(...Object.values(t));
    results[bc.key] = { kernel: bc.k.name, family: bc.k.family, variant: bc.variant, n: bc.N, elements: bc.elements, seconds: t };
    for (const b of BACKENDS) {
      rows.push([bc.k.name, bc.variant || '–', bc.N.toExponential(0), b, fmt(t[b] * 1e6, 3), fmt(bc.elements / t[b] / 1e6, 0), t[b] === fastest ? 'fastest' : `${fmt(t[b] / fastest, 1)}x`]);
    }
  }
  const markdown = [
    table(['kernel', 'variant', 'elements', 'path', 'µs/call (median)', 'Melem/s', 'time vs fastest'], rows),
    '',
    `Every kernel of the manifest's ${FAMILIES.join(', ')} families; row kernels run rows × ${COLS}. Data and arguments as in the parity tests ` +
      `(scripts/kernel-harness.mjs, seed 1); losses with sample weights and a gradient; f32_find_nonfinite scans finite data to the end. ` +
      `benny: at least ${OPTS.minSamples} samples, ${OPTS.maxTime} s per case. The goal (wasm-simd >= ${GOAL_VS_JS}x the js path at 1e5 elements) is this suite's own; no issue set one.`,
  ].join('\n');
  return { markdown, data: { sizes: SIZES, cols: COLS, goalVsJs: GOAL_VS_JS, results } };
}

/** Per kernel (and activation code): the wasm-simd speed-up over the js path at the largest size. */
export function targetsOf(d) {
  const big = Math.max(...d.sizes);
  return Object.values(d.results).filter((r) => r.n === big).map((r) =>
    target(`${r.kernel}${r.variant ? ` (${r.variant})` : ''} at ${r.n.toExponential(0)} elements: wasm-simd speed-up over the js path`, r.seconds.js / r.seconds['wasm-simd'], d.goalVsJs, 'x'));
}

if (isMain(import.meta.url)) writeResults('kernels', { title, targetsOf }, await run());
