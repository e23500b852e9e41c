// Question: how much faster is the relaxed-SIMD build (f32x4.relaxed_madd, backend 'wasm-relaxed')
// than the SIMD build on the GEMM suite's shapes, and what do the two peak probes say the fused
// multiply-add is worth on this CPU? (Issue 13: at least 1.3x on the MLP shapes.)
// Node 20 compiles relaxed SIMD only with --experimental-wasm-relaxed-simd (NODE_OPTIONS refuses it),
// so the suite runs itself in children `node --experimental-wasm-relaxed-simd`, each measuring both
// builds in one process: each shape and probe on wasm-simd and wasm-relaxed back to back, in
// ROUNDS interleaved rounds (the order of the two alternating), a fixed number of calls per sample
// (calibrated to ~SAMPLE_MS on the SIMD build); a case's time is its median over the rounds and the
// speed-up is the median over rounds of the round's own ratio, the two samples of a round taken one
// after the other (the machine is shared and drifts: the best-of-3-rounds benny medians this suite
// used before gave 1.74x/1.11x/1.02x and 0.96x/1.22x/1.33x for the same builds in two runs ten
// minutes apart). Probes: f32_peak_probe (12 f32x4
// mul+add chains, 96 flops an iteration) and f32_madd_peak_probe (8 f32x4 chains, 64 flops an
// iteration: fused in the relaxed build, a mul then an add in the SIMD build).
// The children are RELAXED_PROCESSES fresh processes (default 3); per case the figures are
// the medians of the processes' (each process's ratio shown), and the gauge split pools their rounds.
// Run: npm run build && node bench/relaxed.bench.mjs   (or npm run bench -- relaxed)
import { byGauge, childMain, fmt, gaugeCell, inFreshProcesses, isMain, median, pairedSamples, table, target, writeResults } from './harness.mjs';

export const title = 'Relaxed SIMD: f32_gemm on wasm-relaxed vs wasm-simd, with both peak probes (Node with the flag)';
const FLAG = '--experimental-wasm-relaxed-simd';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const SAMPLE_MS = 40, WARM_MS = 100;
const PEAK_ITERS = 200_000;
const BUILDS = ['wasm-simd', 'wasm-relaxed'];
/** The MLP's three products (the goal's shapes); 128³ is reported beside them. */
const GOAL_SHAPES = 3;
const PROCESSES = Number(process.env.RELAXED_PROCESSES ?? 3);
if (!Number.isInteger(PROCESSES) || PROCESSES < 1) throw new RangeError(`relaxed: RELAXED_PROCESSES must be a whole number of processes, 1 or more (default 3), got ${JSON.stringify(process.env.RELAXED_PROCESSES)}`);

/** In the child (with the flag): every case on both builds, interleaved; returns medians in seconds. */
async function measureBoth() {
  const { SHAPES, gemmCase } = await import('./gemm.bench.mjs');
  const { init } = await import('../dist/entry/node.js');
  const { getBackend } = await import('../dist/init.js');
  const backends = {};
  for (const name of BUILDS) {
    // one thread on both (the relaxed build has no threaded build): the question is the fused
    // multiply-add's worth per core, and a replaced backend's thread pool is shut down anyway
    await init({ backend: name, threads: 1 });
    backends[name] = getBackend(); // switching backends leaves this one usable
  }
  const cases = {}, frees = [];
  for (const name of BUILDS) {
    const { k, arena } = backends[name];
    cases[name] = [];
    for (const s of SHAPES) {
      const c = gemmCase(backends[name], s);
      cases[name].push(c);
      frees.push([arena, ...c.ptrs]);
    }
    cases[name].push({ name: 'peak mul+add', fn: () => k.f32_peak_probe(PEAK_ITERS) });
    cases[name].push({ name: 'peak madd', fn: () => k.f32_madd_peak_probe(PEAK_ITERS) });
  }
  const res = { 'wasm-simd': {}, 'wasm-relaxed': {} }, ratios = {}, rounds = {};
  for (let i = 0; i < cases['wasm-simd'].length; i++) {
    const name = cases['wasm-simd'][i].name;
    const p = pairedSamples(cases['wasm-simd'][i].fn, cases['wasm-relaxed'][i].fn, { rounds: ROUNDS, sampleMs: SAMPLE_MS, warmMs: WARM_MS });
    // seconds per call, as the rest of the suite reads them
    res['wasm-simd'][name] = { median: p.aUs / 1e6, samples: p.samplesUs[0].map((u) => u / 1e6) };
    res['wasm-relaxed'][name] = { median: p.bUs / 1e6, samples: p.samplesUs[1].map((u) => u / 1e6) };
    ratios[name] = p.ratio;
    rounds[name] = { ratios: p.ratios, gaugeUs: p.gaugeUs };
  }
  for (const [arena, ...ps] of frees) ps.forEach((p) => arena.free(p));
  return { shapes: SHAPES, medians: res, ratios, rounds, reason: getBackend().name === 'wasm-relaxed' ? 'ok' : 'not relaxed' };
}

export default async function run() {
  const parts = inFreshProcesses(import.meta.url, PROCESSES, 'relaxed', [FLAG]);
  const { shapes } = parts[0];
  const cases = Object.keys(parts[0].ratios);
  // per case: the median of the processes' ratios and of their medians (seconds); the gauge split over all their rounds
  const ratios = Object.fromEntries(cases.map((c) => [c, median(parts.map((p) => p.ratios[c]))]));
  const processRatios = Object.fromEntries(cases.map((c) => [c, parts.map((p) => p.ratios[c])]));
  const medians = Object.fromEntries(BUILDS.map((b) => [b, Object.fromEntries(cases.map((c) => [c, { median: median(parts.map((p) => p.medians[b][c].median)) }]))]));
  const gauge = Object.fromEntries(cases.map((c) => [c, byGauge(...parts.map((p) => p.rounds[c]))]));
  const peak = (b) => ({
    mulAdd: (PEAK_ITERS * 96) / medians[b]['peak mul+add'].median / 1e9,
    madd: (PEAK_ITERS * 64) / medians[b]['peak madd'].median / 1e9,
  });
  const peaks = { 'wasm-simd': peak('wasm-simd'), 'wasm-relaxed': peak('wasm-relaxed') };
  const gflops = {}, speedup = {}, rows = [];
  for (const s of shapes) {
    const flops = 2 * s.M * s.N * s.K;
    for (const b of BUILDS) (gflops[b] ??= {})[s.name] = flops / medians[b][s.name].median / 1e9;
    speedup[s.name] = ratios[s.name];
    rows.push([s.name, `${s.M}×${s.N}×${s.K}`, `${s.tA ? 'T' : 'N'}${s.tB ? 'T' : 'N'}`,
      fmt(medians['wasm-simd'][s.name].median * 1e6, 1), fmt(medians['wasm-relaxed'][s.name].median * 1e6, 1),
      fmt(gflops['wasm-simd'][s.name], 2), fmt(gflops['wasm-relaxed'][s.name], 2), `${fmt(speedup[s.name], 2)}x (${processRatios[s.name].map((r) => fmt(r, 2)).join(', ')})`, gaugeCell(gauge[s.name].quiet), gaugeCell(gauge[s.name].busy)]);
  }
  // the most relaxed / simd can be on a shape: the fused peak over the rate wasm-simd already reaches on it
  const ceiling = Object.fromEntries(shapes.map((s) => [s.name, peaks['wasm-relaxed'].madd / gflops['wasm-simd'][s.name]]));
  const goalShapes = shapes.slice(0, GOAL_SHAPES).map((s) => s.name);
  const markdown = [
    table(['product', 'M×N×K', 'op', 'wasm-simd µs', 'wasm-relaxed µs', 'wasm-simd GFLOP/s', 'wasm-relaxed GFLOP/s', 'relaxed / simd (each process)', 'rounds with the core quiet', 'rounds with it shared'], rows),
    '',
    table(['peak probe', 'wasm-simd GFLOP/s', 'wasm-relaxed GFLOP/s'], [
      ['f32_peak_probe: 12 f32x4 mul+add chains', fmt(peaks['wasm-simd'].mulAdd, 2), fmt(peaks['wasm-relaxed'].mulAdd, 2)],
      ['f32_madd_peak_probe: 8 f32x4 chains (fused on wasm-relaxed)', fmt(peaks['wasm-simd'].madd, 2), fmt(peaks['wasm-relaxed'].madd, 2)],
    ]),
    '',
    `Fused peak over mul+add peak, same run: **${fmt(peaks['wasm-relaxed'].madd / peaks['wasm-simd'].mulAdd, 2)}x**. ` +
      `What bounds relaxed / simd: no kernel on wasm-relaxed runs faster than its fused peak (${fmt(peaks['wasm-relaxed'].madd, 2)} GFLOP/s), and wasm-simd already runs ` +
      `${goalShapes.map((n) => `${n} at ${fmt(gflops['wasm-simd'][n], 2)}`).join(', ')} GFLOP/s, so the most a relaxed build could reach in this run is ` +
      `**${goalShapes.map((n) => `${fmt(ceiling[n], 2)}x`).join(', ')}** on those shapes (fused peak / wasm-simd's GFLOP/s); ` +
      'where the core runs a multiply and an add in the same cycle as fast as one fused multiply-add (the fused peak close to the mul+add peak), fusing has little to give. ' +
      `Both builds measured in each of ${PROCESSES} fresh \`node ${FLAG}\` process${PROCESSES > 1 ? 'es' : ''}, one thread each, in ${ROUNDS} rounds per case: the two builds back to back (a fixed number of calls, ~${SAMPLE_MS} ms), the order alternating between rounds. In a process, µs and GFLOP/s are medians over the rounds and relaxed / simd the median over rounds of each round's own ratio; the table gives the medians of the processes' figures (each process's ratio in brackets), and the peak probes the medians of theirs. ` +
      'The last two columns split the rounds by a gauge read before each (a fixed L1-resident loop of loads and adds, bench/harness.mjs coreGaugeUs): within 25% of its lowest reading the core was ours, above it the core was shared with other work (the same loop then takes up to 4x as long while a loop of square roots holds still: most likely another tenant on the same physical core); each gives the median ratio of its rounds, pooled over the processes, and their count.',
  ].join('\n');
  return { markdown, data: { medians, gflops, speedup, ceiling, processRatios, gauge, peaks, processes: PROCESSES, goalShapes } };
}

/** Issue 13's goal: the relaxed build at least 1.3x the SIMD build on each of the MLP's GEMM shapes, same run. */
export function targetsOf(d) {
  return d.goalShapes.map((name) => target(`f32_gemm ${name}: wasm-relaxed speed over wasm-simd (same run, Node with ${FLAG})`, d.speedup[name], 1.3, 'x'));
}

// a child of run() (started with the flag) writes its measurements to the file the parent named; the parent writes the results
if (isMain(import.meta.url) && !(await childMain(measureBoth))) writeResults('relaxed', { title, targetsOf }, await run());
