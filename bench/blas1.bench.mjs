// Question: how much faster are the Wasm paths than the js path for level-1 vector kernels, and how
// close is axpy to the same-run SIMD bandwidth limit?
// axpy (out = a·x + y, 12 bytes per element) and dot (8 bytes per element) at n = 1e3, 1e5, 1e6 on
// wasm-simd, wasm-scalar and js. Run: node bench/blas1.bench.mjs (after npm run build).
import { getBackend } from '../dist/init.js';
import { init, threadsReady } from '../dist/entry/node.js';
import { bandwidthProbe, fmt, isMain, measure, table, target, writeResults } from './harness.mjs';

export const title = 'Level-1 kernels: axpy and dot';
const SIZES = [1e3, 1e5, 1e6];
const BACKENDS = ['wasm-simd', 'wasm-scalar', 'js'];

export default async function run() {
  const probe = {};
  for (const n of SIZES) probe[n] = await bandwidthProbe(n);
  const res = {};
  for (const backend of BACKENDS) {
    await init({ backend });
    await threadsReady();
    const { k, arena } = getBackend();
    for (const n of SIZES) {
      const x = arena.alloc(n * 4), y = arena.alloc(n * 4), out = arena.alloc(n * 4);
      const m = new Float32Array(arena.memory.buffer);
      for (let i = 0; i < n; i++) { m[(x >> 2) + i] = (i % 17) - 8; m[(y >> 2) + i] = (i % 5) * 0.25; }
      let sink = 0;
      const r = await measure(`${backend} n=${n}`, [
        { name: 'axpy', fn: () => { k.f32_axpy(out, 0.5, x, y, n); } },
        { name: 'dot', fn: () => { sink += k.f32_dot(x, y, n); } },
      ]);
      res[`${backend}/${n}`] = { axpyGBs: (12 * n) / r.axpy.median / 1e9, dotGBs: (8 * n) / r.dot.median / 1e9, axpyNs: r.axpy.median * 1e9, dotNs: r.dot.median * 1e9, sink };
      arena.free(x); arena.free(y); arena.free(out);
    }
  }
  const rows = [];
  for (const op of ['axpy', 'dot']) {
    for (const n of SIZES) {
      const js = res[`js/${n}`][`${op}GBs`];
      for (const backend of BACKENDS) {
        const gbs = res[`${backend}/${n}`][`${op}GBs`];
        rows.push([op, n.toExponential(0), backend, fmt(res[`${backend}/${n}`][`${op}Ns`] / 1e3, 3), fmt(gbs), `${fmt(gbs / js, 1)}x`, `${fmt((100 * gbs) / probe[n].triadGBs, 0)}%`]);
      }
    }
  }
  const markdown = [
    table(['op', 'n', 'backend', 'µs/call (median)', 'GB/s', 'vs js', '% of triad'], rows),
    '',
    `Same-run SIMD probe (GB/s): ${SIZES.map((n) => `n=${n.toExponential(0)}: copy ${fmt(probe[n].copyGBs)}, triad ${fmt(probe[n].triadGBs)}`).join('; ')}.`,
  ].join('\n');
  return { markdown, data: { probe, results: res } };
}

/** Issue 2's goal: axpy on wasm-simd at least 6x the js path at n = 1e5. */
export function targetsOf(d) {
  return [target('axpy: wasm-simd speed-up over the js path at n = 1e5', d.results['wasm-simd/100000'].axpyGBs / d.results['js/100000'].axpyGBs, 6, 'x')];
}

if (isMain(import.meta.url)) writeResults('blas1', { title, targetsOf }, await run());
