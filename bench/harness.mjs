// Shared bench plumbing: time cases with benny (median seconds per call), the same-run Wasm SIMD
// bandwidth probe (copy and triad), machine facts, and the one shape every suite's results take:
// bench/results/<suite>.json holds the suite's data plus a top-level
// `targets: [{ name, measured, goal, unit, met }]`, computed from that data by the suite's
// `targetsOf(data)`, and bench/RESULTS.md shows each suite's targets as a table.
// A suite module exports `title`, `default run()` → { markdown, data } and `targetsOf(data)`.
import b from 'benny';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { getBackend } from '../dist/init.js';
import { init } from '../dist/entry/node.js';

/** Default sampling: enough samples for a stable median on a noisy 2-core machine. */
export const DEFAULT_OPTIONS = { minSamples: 30, maxTime: 1.5, minTime: 0.05 };

/**
 * Times each case with benny and returns { [name]: { median, rme, samples } }, median in seconds per
 * call. Cases run one after another in one process: same-run ratios are what the suites report.
 */
export async function measure(suiteName, cases, options = DEFAULT_OPTIONS) {
  const summary = await b.suite(
    suiteName,
    ...cases.map((c) => b.add(c.name, c.fn, options)),
    b.complete(() => {}),
  );
  const out = {};
  for (const r of summary.results) {
    out[r.name] = { median: r.details.median, rme: r.details.relativeMarginOfError, samples: r.samples };
  }
  return out;
}

/**
 * The same-run bandwidth limit: on wasm-simd, a copy (memory.copy, 8 bytes per f32 moved) and a
 * triad (out = a·x + y in v128, 12 bytes per f32) over n floats. Returns GB/s (1e9 bytes/s).
 * Leaves the library on the wasm-simd backend.
 */
export async function bandwidthProbe(n) {
  await init({ backend: 'wasm-simd' });
  const { k, arena } = getBackend();
  const x = arena.alloc(n * 4), y = arena.alloc(n * 4), out = arena.alloc(n * 4);
  new Float32Array(arena.memory.buffer, x, n).fill(1.5);
  new Float32Array(arena.memory.buffer, y, n).fill(0.25);
  const r = await measure(`bandwidth probe n=${n}`, [
    { name: 'copy', fn: () => { k.f32_copy(out, x, n); } },
    { name: 'triad', fn: () => { k.f32_axpy(out, 0.5, x, y, n); } },
  ]);
  arena.free(x); arena.free(y); arena.free(out);
  return { copyGBs: (8 * n) / r.copy.median / 1e9, triadGBs: (12 * n) / r.triad.median / 1e9 };
}

export function machine() {
  const c = cpus();
  return { cpu: c[0]?.model ?? 'unknown', cpuId: cpuId(), cores: c.length, node: process.version, date: new Date().toISOString() };
}

/**
 * What tells two CPUs of one model name apart (virtual machines often say just "AMD EPYC"): family,
 * model and whether they have AVX-512, from /proc/cpuinfo (Linux), or null where it cannot be read.
 */
function cpuId() {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(info)?.[1]?.trim();
    const flags = ` ${field('flags') ?? ''} `;
    return `family ${field('cpu family') ?? '?'} model ${field('model') ?? '?'}, ${flags.includes(' avx512f ') ? 'AVX-512' : flags.includes(' avx2 ') ? 'AVX2' : 'no AVX2'}`;
  } catch {
    return null;
  }
}

/** Formats a markdown table from a header row and rows of cells. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The median (the mean of the middle two for an even count). */
export function median(xs) {
  const a = [...xs].sort((x, y) => x - y);
  return a.length % 2 ? a[a.length >> 1] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
}

/**
 * Two paths of the same work timed back to back: after ~warmMs of calls on each, a fixed number of
 * calls per sample (~sampleMs on path a), `rounds` rounds with the order alternating. The machine's
 * speed drifts by more than the differences asked about, so a speed-up is the median over rounds of
 * each round's own ratio (the two samples of a round are taken one after the other).
 * Returns µs per call: { aUs, bUs } (medians over rounds), `ratio` (median of a/b per round), the samples.
 * `meterB`, a function returning an object of running totals, is read around each sample of b: its
 * per-round differences come back as `meterB` (e.g. a thread pool's stats over that very sample).
 */
export function pairedSamples(a, b, { rounds, sampleMs, warmMs, bothCores = false, meterB = null }) {
  const both = [a, b];
  let calls = 1;
  both.forEach((fn, j) => {
    const t0 = performance.now();
    let done = 0;
    while (performance.now() - t0 < warmMs || done < 3) { fn(); done++; }
    if (j === 0) calls = Math.max(1, Math.round((done * sampleMs) / (performance.now() - t0)));
  });
  const us = [[], []], gaugeUs = [], otherGaugeUs = [], meters = [];
  const diff = (x, y) => Object.fromEntries(Object.keys(y).map((k) => [k, y[k] - x[k]]));
  for (let r = 0; r < rounds; r++) {
    if (bothCores) {
      const [mine, other] = bothCoresGaugeUs();
      gaugeUs.push(mine);
      otherGaugeUs.push(other);
    } else {
      gaugeUs.push(coreGaugeUs());
    }
    for (let j = 0; j < 2; j++) {
      const i = (j + r) % 2; // alternate which path goes first
      const m0 = i === 1 && meterB ? { ...meterB() } : null;
      const t0 = performance.now();
      for (let c = 0; c < calls; c++) both[i]();
      us[i].push(((performance.now() - t0) * 1000) / calls);
      if (m0) meters.push(diff(m0, meterB()));
    }
  }
  const ratios = us[0].map((u, r) => u / us[1][r]);
  return {
    aUs: median(us[0]), bUs: median(us[1]), ratio: median(ratios), samplesUs: us, calls, ratios, gaugeUs,
    ...(bothCores ? { otherGaugeUs } : {}), ...(meterB ? { meterB: meters } : {}),
  };
}

/**
 * The rounds of one or more pairedSamples results ({ ratios, gaugeUs }: several processes' rounds are
 * pooled) split by the core gauge read before each (coreGaugeUs): those within 25% of the lowest
 * reading ("quiet": the core was ours) and the rest, each with the median of its rounds' ratios a/b
 * (null when there are none) and how many rounds it has.
 */
export function byGauge(...parts) {
  const gauge = parts.flatMap((p) => p.gaugeUs), ratios = parts.flatMap((p) => p.ratios);
  // with both cores gauged (bothCores), a round is quiet when both were
  const other = parts.every((p) => p.otherGaugeUs) ? parts.flatMap((p) => p.otherGaugeUs) : null;
  const low = Math.min(...gauge), otherLow = other ? Math.min(...other) : 0, quiet = [], busy = [];
  gauge.forEach((g, r) => (g <= 1.25 * low && (!other || other[r] <= 1.25 * otherLow) ? quiet : busy).push(ratios[r]));
  return { lowUs: low, ...(other ? { otherLowUs: otherLow } : {}), quiet: roundsPart(quiet), busy: roundsPart(busy) };
}

/** Some rounds' ratios as { ratio: their median (null with none), rounds: how many }: one side of byGauge and its like. */
export const roundsPart = (xs) => ({ ratio: xs.length ? median(xs) : null, rounds: xs.length });

/** A table cell for one side of byGauge: "1.31x (12)" (the median ratio and its rounds), or "–" with none. */
export const gaugeCell = (x) => (x.rounds ? `${fmt(x.ratio, 2)}x (${x.rounds})` : '–');

export const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/**
 * One goal of a suite: `measured` against `goal` in `unit`; met when measured >= goal, or, with
 * `{ atMost: true }`, when measured <= goal (times, gaps). The name says what is measured and where.
 */
export function target(name, measured, goal, unit, { atMost = false } = {}) {
  const met = Number.isFinite(measured) && (atMost ? measured <= goal : measured >= goal);
  return { name, measured, goal, unit, met };
}

/** The markdown table of a suite's targets (bench/run.mjs puts it under the suite's section). */
export function targetsTable(targets) {
  const num = (x) => (Number.isFinite(x) ? String(Number(x.toPrecision(Math.abs(x) >= 1000 ? 6 : 4))) : String(x));
  return table(['target', 'measured', 'goal', 'unit', 'met'], targets.map((t) => [t.name, `**${num(t.measured)}**`, num(t.goal), t.unit, t.met ? 'met' : '**NOT met**']));
}

/** The results file of a suite: title, markdown, machine, targets, then the suite's data. */
export function resultsRecord(mod, r) {
  return { title: mod.title, markdown: r.markdown, machine: machine(), targets: mod.targetsOf(r.data), ...r.data };
}

/** Writes bench/results/<name>.json for a suite run and prints its section. */
export function writeResults(name, mod, r) {
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const rec = resultsRecord(mod, r);
  writeFileSync(new URL(`./${name}.json`, dir), JSON.stringify(rec, null, 2) + '\n');
  console.log(`## ${rec.title}\n\n${rec.markdown}\n\n${targetsTable(rec.targets)}\n`);
  return rec;
}

/**
 * A suite's measurements taken in `n` fresh processes, one after another: the suite's module (at
 * `url`) is started again (with `nodeFlags` added to node's own, e.g. relaxed SIMD's flag) with
 * BENCH_CHILD naming a file, measures, and writes its figures there (see
 * childMain); returns the n results in order. One process is not enough where the figures are a few
 * µs or ms: what V8 compiles, and where, differs per process, and this machine's cores are at times
 * shared with other work for seconds at a time (see coreGaugeUs).
 */
export function inFreshProcesses(url, n, label, nodeFlags = []) {
  const dir = mkdtempSync(join(tmpdir(), `descent-${label}-`));
  try {
    const parts = [];
    for (let i = 0; i < n; i++) {
      const out = join(dir, `${i}.json`);
      console.log(`${label}: process ${i + 1} of ${n} ...`);
      const r = spawnSync(process.execPath, [...process.execArgv, ...nodeFlags, fileURLToPath(url)], { stdio: 'inherit', env: { ...process.env, BENCH_CHILD: out } });
      if (r.status !== 0 || !existsSync(out)) throw new Error(`${label}: process ${i + 1} failed (exit ${r.status ?? r.signal})`);
      parts.push(JSON.parse(readFileSync(out, 'utf8')));
    }
    return parts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** In a process started by inFreshProcesses: runs `measure` and writes its figures to the parent's file; true. Elsewhere false. */
export async function childMain(measure) {
  if (!process.env.BENCH_CHILD) return false;
  writeFileSync(process.env.BENCH_CHILD, JSON.stringify(await measure()));
  return true;
}

const GAUGE_DATA = new Float32Array(4096).fill(1);
let gaugeWarm = false;

/**
 * The gauge's loop: 200,000 dependent adds of floats read a 64-byte line apart from a 16 KiB array.
 * Its shape matters: written with the time taken into a local before the check and an Error built
 * in the throw, V8's optimized loop ran ~2.5x slower here (~830 µs against ~330, timed alternately),
 * and the readings would mostly have measured that.
 */
function gaugeLoop() {
  const t0 = performance.now();
  let s = 0, i = 0;
  for (let c = 0; c < 200000; c++) {
    s += GAUGE_DATA[i];
    i = (i + 16) & 4095;
  }
  if (s !== 200000) throw 0; // never: the sum keeps the loop from being optimized away
  return (performance.now() - t0) * 1000;
}

/**
 * µs for a fixed loop of plain JavaScript that reads a 16 KiB array (L1-resident) and adds what it
 * reads, 200,000 times: what this process's core gives it right now. On this machine the same loop
 * reads up to several times its lowest, in blocks of seconds, while a loop of square roots timed the
 * same way holds still: at times the core's load and add units are shared with other work, most
 * likely another tenant on the same physical core (an SMT sibling; the VM shows none), and our
 * kernels slow down with the gauge. Read before a timed piece of work, it says which of
 * the two the work ran on. The first call warms the loop up (V8 optimizes it), so readings compare.
 */
export function coreGaugeUs() {
  if (!gaugeWarm) {
    for (let w = 0; w < 20; w++) gaugeLoop();
    gaugeWarm = true;
  }
  return gaugeLoop();
}

let gaugeWorker = null;

/**
 * The core gauge on this thread and, at the same moment, on a worker thread of its own (with both
 * busy, the system runs them on two different cores): [this core's µs, the other's µs]. The worker
 * is started on first use (unref'd, so it never keeps the process alive); the call blocks in
 * Atomics.wait until the worker's reading is in.
 */
export function bothCoresGaugeUs() {
  if (gaugeWorker === null) {
    const sab = new SharedArrayBuffer(16), flag = new Int32Array(sab, 0, 1), out = new Float64Array(sab, 8, 1);
    const src = `const { workerData } = require('node:worker_threads');
      const flag = new Int32Array(workerData, 0, 1), out = new Float64Array(workerData, 8, 1);
      const GAUGE_DATA = new Float32Array(4096).fill(1);
      ${gaugeLoop.toString()}
      for (let w = 0; w < 20; w++) gaugeLoop();
      for (;;) { Atomics.wait(flag, 0, 0); out[0] = gaugeLoop(); Atomics.store(flag, 0, 2); Atomics.notify(flag, 0); Atomics.wait(flag, 0, 2); }`;
    const w = new Worker(src, { eval: true, workerData: sab });
    w.unref();
    gaugeWorker = { flag, out };
  }
  const { flag, out } = gaugeWorker;
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  const mine = coreGaugeUs();
  Atomics.wait(flag, 0, 1); // until the worker has written its reading (2)
  const other = out[0];
  Atomics.store(flag, 0, 0);
  Atomics.notify(flag, 0);
  return [mine, other];
}

/** True when the module at `url` is the script node was started with (a suite run on its own). */
export const isMain = (url) => process.argv[1] === fileURLToPath(url);
