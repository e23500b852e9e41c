#!/usr/bin/env node
// The soak test: long runs that must hold memory flat, the way a serverless function that trains
// per request runs descent.
//   1. `steps` optimizer steps, spread over every optimizer (built, stepped, disposed in turns);
//   2. `cycles` cycles of build -> fit one epoch -> dispose for each model family (LinearRegression,
//      LogisticRegression, SoftmaxRegression, LinearSVM, MLP), with the optimizer by name and by
//      instance in turns, and a rejected resume, a rejected modelFromJSON and a rejected fit in the
//      loop.
// After every cycle memoryStats().bytesInUse must be back at its starting value (exactly), and the
// JS heap, measured after gc() once warmed up and at the end, must not grow by more than the
// tolerance. Exits 1 (and says why) otherwise.
//
//   node --expose-gc scripts/soak.mjs [--steps 100000] [--cycles 5000] [--backend wasm-simd|wasm-scalar|js] [--dist dist]
//
// The bounded run in npm test (test/memory/soak.test.ts) is --steps 5000 --cycles 200.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const FAMILIES = ['LinearRegression', 'LogisticRegression', 'SoftmaxRegression', 'LinearSVM', 'MLP'];
const OPTIMIZERS = ['SGD', 'Adam', 'AdamW', 'Adagrad', 'Adadelta', 'RMSprop', 'Adamax', 'NAdam', 'RAdam', 'Rprop', 'Lion'];

/** Seeded data: 64 rows × 8 features, regression targets, 3-class and binary labels. */
function data(d) {
  const rng = new d.Prng(7);
  const n = 64, f = 8;
  const X = new Float32Array(n * f);
  for (let i = 0; i < X.length; i++) X[i] = rng.nextNormal();
  const yReg = new Float32Array(n), y3 = new Int32Array(n), y2 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    yReg[i] = X[i * f] - 0.5 * X[i * f + 1];
    y3[i] = i % 3;
    y2[i] = X[i * f] > 0 ? 1 : 0;
  }
  return { X: { data: X, shape: [n, f] }, yReg, y3, y2, f };
}

function build(d, family, f, seed) {
  switch (family) {
    case 'LinearRegression': return new d.LinearRegression({ nFeatures: f });
    case 'LogisticRegression': return new d.LogisticRegression({ nFeatures: f });
    case 'SoftmaxRegression': return new d.SoftmaxRegression({ nFeatures: f, nClasses: 3 });
    case 'LinearSVM': return new d.LinearSVM({ nFeatures: f });
    default: return new d.MLP({ layers: [f, 16, 3], seed });
  }
}

const labelsFor = (family, D) => (family === 'LinearRegression' ? D.yReg : family === 'SoftmaxRegression' || family === 'MLP' ? D.y3 : D.y2);

/**
 * Runs the soak against the package API `d` (already initialized) and returns
 * `{ ok, problems, bytesInUse, heap: { warm, end } }`.
 */
export async function soak(d, { steps = 100_000, cycles = 5000, gc = globalThis.gc, log = () => {}, heapToleranceBytes = 4 * 1048576 } = {}) {
  const problems = [];
  const bytes = () => d.memoryStats().bytesInUse;
  const heap = () => {
    gc?.();
    gc?.();
    return process.memoryUsage().heapUsed;
  };
  const D = data(d);
  const base = bytes();
  const flat = (where) => {
    if (bytes() !== base && problems.length < 20) problems.push(`${where}: bytesInUse ${bytes()}, expected ${base}`);
  };

  // 1. Optimizer steps.
  const perOpt = Math.ceil(steps / OPTIMIZERS.length);
  for (const name of OPTIMIZERS) {
    const ps = [d.param.zeros(1000), d.param.zeros(37), d.param.zeros(1)];
    const opt = new d[name](ps, { lr: 1e-3 });
    for (let s = 0; s < perOpt; s++) {
      for (const p of ps) {
        const g = p.grad;
        g[0] = Math.sin(s);
        g[g.length - 1] = Math.cos(s);
      }
      opt.step();
    }
    opt.dispose();
    for (const p of ps) p.dispose();
    flat(`after ${perOpt} ${name} steps`);
  }
  log(`optimizer steps: ${perOpt * OPTIMIZERS.length}, bytesInUse ${bytes()}`);

  // 2. Build -> fit one epoch -> dispose.
  const warmAt = Math.max(1, Math.floor(cycles / 10));
  let warm = 0;
  let ckpt;
  let json;
  for (let c = 0; c < cycles; c++) {
    if (c === warmAt) warm = heap();
    for (const family of FAMILIES) {
      const y = labelsFor(family, D);
      const model = build(d, family, D.f, c);
      try {
        if (c % 2 === 0) {
          d.fit(model, D.X, y, { optimizer: c % 4 === 0 ? 'adam' : { name: 'sgd', lr: 0.05, momentum: 0.9 }, maxEpochs: 1, batchSize: 16, seed: c });
        } else {
          const opt = new d.RMSprop(model.parameters(), { lr: 1e-3 });
          try {
            d.fit(model, D.X, y, {
              optimizer: opt, maxEpochs: 1, batchSize: 16, seed: c,
              onCheckpoint: c === 1 && family === 'MLP' ? (k) => { ckpt = JSON.parse(JSON.stringify(k)); } : undefined,
            });
          } finally {
            opt.dispose();
          }
        }
        if (c % 10 === 0) {
          // Refusals in the loop: each must free what it took.
          try { d.fit(model, D.X, y.map((v, i) => (i === 3 ? (family === 'LinearRegression' ? NaN : 99) : v)), { optimizer: 'adam', maxEpochs: 1 }); } catch { /* refused */ }
          if (family === 'MLP' && ckpt) {
            try { d.fit(model, D.X, y, { optimizer: 'adam', maxEpochs: 2, resume: { ...ckpt, trainer: null } }); } catch { /* refused */ }
          }
          json ??= JSON.parse(JSON.stringify(model.toJSON()));
          if (family === 'LinearRegression') {
            const bad = { ...json, params: { ...json.params, weight: json.params.weight.map((v, i) => (i === 0 ? 'NaN' : v)) } };
            try { d.modelFromJSON(bad); } catch { /* refused */ }
            d.modelFromJSON(json).dispose();
          }
        }
      } finally {
        model.dispose();
      }
    }
    flat(`after cycle ${c}`);
    if (c % 500 === 0) log(`cycle ${c}: bytesInUse ${bytes()}, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(1)} MiB`);
  }
  const end = heap();
  if (gc && cycles > warmAt && end - warm > heapToleranceBytes) {
    problems.push(`JS heap grew from ${(warm / 1048576).toFixed(2)} MiB (cycle ${warmAt}) to ${(end / 1048576).toFixed(2)} MiB after ${cycles} cycles (tolerance ${(heapToleranceBytes / 1048576).toFixed(1)} MiB)`);
  }
  if (!gc) log('note: run node with --expose-gc to check the JS heap too');
  return { ok: problems.length === 0, problems, bytesInUse: bytes(), heap: { warm, end } };
}

const main = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (main) {
  const args = process.argv.slice(2);
  const flag = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const here = dirname(fileURLToPath(import.meta.url));
  const dist = resolve(flag('--dist', resolve(here, '..', 'dist')));
  const d = await import(pathToFileURL(resolve(dist, 'entry', 'node.js')).href);
  const backends = flag('--backend') ? [flag('--backend')] : ['wasm-simd', 'wasm-scalar', 'js'];
  const steps = Number(flag('--steps', 100_000));
  const cycles = Number(flag('--cycles', 5000));
  let failed = false;
  for (const backend of backends) {
    await d.init({ backend });
    const t0 = Date.now();
    const r = await soak(d, { steps, cycles, log: (s) => console.log(`  ${backend}: ${s}`) });
    console.log(
      `${backend}: ${r.ok ? 'flat' : 'NOT FLAT'} after ${steps} steps and ${cycles} cycles × ${FAMILIES.length} families ` +
        `(bytesInUse ${r.bytesInUse}; heap ${(r.heap.warm / 1048576).toFixed(2)} -> ${(r.heap.end / 1048576).toFixed(2)} MiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    for (const p of r.problems) console.log(`  ${p}`);
    failed ||= !r.ok;
  }
  process.exit(failed ? 1 : 0);
}
