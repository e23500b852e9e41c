// Question: did any step get slower than at an earlier commit (AB_REV, default 79ea128: 22 Nov, before
// issue 9's refactors, threads, relaxed SIMD and autograd)? Cross-run comparisons cannot say (the
// machine drifts 1.8-2.4x between days), so this is a same-run A/B: the old build and this checkout's
// build loaded side by side in one Node process (separate module graphs, separate Wasm instances), the
// same operations timed in interleaved rounds, ratio = old median / new median (> 1: new faster).
// Columns: old (its init() defaults: wasm-simd, no threads), new (init() defaults: wasm-simd with 2
// threads on a 2-core machine) and new with init({ threads: 1 }) (a copy of this checkout's dist/ and
// build/ under bench/.ab/current/, so it is a third module graph), which tells a threads regression
// from another one.
// Rows: every step the old suites timed (blas1, optim, gemm, mlp, train, ovr), the model families' fit
// steps on the digits split, and minimize per iteration; all through the public API both builds
// export (GEMM through each build's kernel table: no public GEMM at 79ea128), on the same data.
// Each row: ~30 ms of warm-up calls on every path, a fixed number of calls per sample (calibrated to
// ~BUDGET_MS on the old build), then AB_ROUNDS rounds (default 21: with 11, rows of the same code moved
// by more than 5% from one run to the next), each timing every path once, the order rotating between
// rounds; `slow` rows (a whole training run per sample) get 3.
// The old build is made on first use: `git archive <rev> | tar -x` into bench/.ab/<rev>/ (gitignored),
// `npm ci --ignore-scripts` and `npm run build -- --no-debug` there (a minute or two), reused after.
// The whole suite runs in AB_PROCESSES (default 3) fresh processes, combined per row (see run()).
// Run: npm run bench -- ab   (AB_REV=<rev> AB_ROUNDS=<n> AB_PROCESSES=<n> change the baseline, the rounds
// or the processes; AB_ONLY=<text> keeps the rows whose name contains it)
import { execFileSync, execSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { childMain, fmt, inFreshProcesses, isMain, median, table, target, writeResults } from './harness.mjs';
import { IN, loadMnist } from './mnist.mjs';

export const title = 'A/B: every step against an earlier build, same process, interleaved rounds';
const REV = process.env.AB_REV ?? '79ea128';
const ROUNDS = Number(process.env.AB_ROUNDS ?? 21);
const PROCESSES = Number(process.env.AB_PROCESSES ?? 3);
if (!Number.isInteger(PROCESSES) || PROCESSES < 1) throw new RangeError(`ab: AB_PROCESSES must be a whole number of processes, 1 or more (default 3), got ${JSON.stringify(process.env.AB_PROCESSES)}`);
const BUDGET_MS = 60, WARM_MS = 30;
const ONLY = process.env.AB_ONLY; // a substring: only the rows whose name contains it (for a look at one row)
const SLOWER = 0.95; // ratio below this: more than 5% slower
const root = fileURLToPath(new URL('../', import.meta.url));
const abDir = join(root, 'bench', '.ab');

const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });

/** bench/.ab/<rev>/ with its dist/ and build/ (made when missing); { dir, commit } or { error }. */
function baseline(rev) {
  let commit;
  try {
    commit = execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    return { error: `git cannot resolve AB_REV=${JSON.stringify(rev)} here (${String(e.stderr ?? e.message).trim()}); set AB_REV to a commit of this repository` };
  }
  // bench/.ab/79ea128 for AB_REV=79ea128; a symbolic rev (HEAD~3, a branch) gets its commit's 12 hex digits
  const dir = join(abDir, commit.startsWith(rev) ? rev : commit.slice(0, 12));
  const ready = () => existsSync(join(dir, 'dist/entry/node.js')) && existsSync(join(dir, 'build/descent-simd.wasm'));
  if (ready()) {
    console.log(`ab: reusing the ${rev} build in ${dir}`);
    return { dir, commit };
  }
  try {
    console.log(`ab: making the ${rev} build in ${dir} (git archive, npm ci, npm run build; a minute or two the first time)`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execSync(`git archive ${commit} | tar -x -C "${dir}"`, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    // the old build needs asc and tsc only: no install scripts (bun, deno, workerd downloads)
    sh('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
    sh('npm', ['run', 'build', '--', '--no-debug'], dir);
  } catch (e) {
    return { error: `making the ${rev} build in ${dir} failed: ${e.message.split('\n')[0]}` };
  }
  return ready() ? { dir, commit } : { error: `the ${rev} build in ${dir} has no dist/entry/node.js or build/descent-simd.wasm after npm run build` };
}

/** A copy of this checkout's dist/ and build/ (bench/.ab/current/): a second module graph of the new build. */
function currentCopy() {
  const dir = join(abDir, 'current');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const d of ['dist', 'build']) cpSync(join(root, d), join(dir, d), { recursive: true });
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  return dir;
}

/** One build: its package entry (dist/entry/node.js) and its kernel table (dist/init.js), initialised. */
async function load(label, dir, options) {
  const url = (f) => pathToFileURL(join(dir, f)).href;
  const lib = await import(url('dist/entry/node.js'));
  const { getBackend } = await import(url('dist/init.js'));
  await lib.init(options);
  // the new build's init() does not wait for its worker threads (79ea128 has none): wait, as a steady state
  if (typeof lib.threadsReady === 'function') await lib.threadsReady();
  const info = lib.backendInfo();
  console.log(`ab: ${label}: ${JSON.stringify(info)}`);
  if (info.name !== 'wasm-simd') throw new Error(`ab: ${label} runs ${info.name}, not wasm-simd`);
  return { label, lib, getBackend, threads: info.threads ?? 1 };
}

// ---------------------------------------------------------------- data (built once, shared by all paths)

const expo = (n) => n.toExponential(0).replace('+', '');

function lcg(n, seed) {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = s / 4294967296 - 0.5; }
  return a;
}

function gradValues(n) {
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
  return g;
}

/** The digits split as train.bench.mjs makes it (through the new build), as plain { data, shape } matrices. */
function digits(lib) {
  const ds = lib.loadDigits(), split = lib.digitsSplit(), d = ds.shape[1];
  const train = lib.takeRows(ds.X, ds.y, split.trainIndices), test = lib.takeRows(ds.X, ds.y, split.testIndices);
  const scaler = new lib.StandardScaler().fit(train.X);
  const plain = (m) => ({ data: Float32Array.from(m.data), shape: [...m.shape] });
  return { train: { X: plain(scaler.transform(train.X)), y: Int32Array.from(train.y) }, test: { X: plain(scaler.transform(test.X)), y: Int32Array.from(test.y) }, d };
}

/** MNIST as mlp.bench.mjs used it: 8000/2000 split, one epoch of batch-64 batches in a seeded order. */
function mnistBatches(lib, B = 64) {
  const { train, test } = loadMnist(8000, 2000);
  const order = new lib.Prng(1).permutation(8000);
  const batches = [];
  for (let s = 0; s + B <= 8000; s += B) {
    const X = new Float32Array(B * IN), y = new Int32Array(B);
    for (let i = 0; i < B; i++) { X.set(train.X.subarray(order[s + i] * IN, (order[s + i] + 1) * IN), i * IN); y[i] = train.y[order[s + i]]; }
    batches.push({ X: { data: X, shape: [B, IN] }, y });
  }
  return { train, test, batches };
}

/** Extended Rosenbrock in n dimensions (pairs (x₂ᵢ, x₂ᵢ₊₁)), with gradient and Hessian; n = 2 is the classic one. */
function rosenbrock(n) {
  return {
    x0: Float64Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1.2)),
    f(x) { let s = 0; for (let i = 0; i < n; i += 2) { const u = 1 - x[i], v = x[i + 1] - x[i] * x[i]; s += u * u + 100 * v * v; } return s; },
    grad(x, out) {
      for (let i = 0; i < n; i += 2) { const v = x[i + 1] - x[i] * x[i]; out[i] = -2 * (1 - x[i]) - 400 * x[i] * v; out[i + 1] = 200 * v; }
      return out;
    },
    hess(x, out) {
      out.fill(0);
      for (let i = 0; i < n; i += 2) {
        out[i * n + i] = 2 - 400 * (x[i + 1] - 3 * x[i] * x[i]);
        out[i * n + i + 1] = out[(i + 1) * n + i] = -400 * x[i];
        out[(i + 1) * n + i + 1] = 200;
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------- the rows
// A row's setup(path) returns { fn, units, check?, dispose }: fn does units units of work (a call, a
// step, an iteration); its time per unit is what the row reports. `slow` rows (a whole training run
// per call) get at most 3 rounds and one call per sample.

const OPTIMIZERS = ['RMSprop', 'Adagrad', 'Adadelta', 'AdamW', 'Adamax', 'NAdam', 'RAdam', 'Rprop', 'Lion'];
const GEMM_SHAPES = [
  { name: '64×128×784 NN (forward X·W1)', tA: 0, tB: 0, M: 64, N: 128, K: 784 },
  { name: '784×128×64 TN (dW1 = Xᵀ·G)', tA: 1, tB: 0, M: 784, N: 128, K: 64 },
  { name: '64×784×128 NT (dX = G·W1ᵀ)', tA: 0, tB: 1, M: 64, N: 784, K: 128 },
  { name: '128³ NN', tA: 0, tB: 0, M: 128, N: 128, K: 128 },
];
const FAMILIES = [
  { key: 'linear', name: 'LinearRegression', make: (L, d) => new L.LinearRegression({ nFeatures: d }), regression: true },
  { key: 'logistic', name: 'LogisticRegression (one-vs-rest)', make: (L, d) => new L.LogisticRegression({ nFeatures: d, nClasses: 10 }) },
  { key: 'softmax', name: 'SoftmaxRegression', make: (L, d) => new L.SoftmaxRegression({ nFeatures: d, nClasses: 10, penalty: 'l2', alpha: 1e-3 }) },
  { key: 'svm', name: 'LinearSVM', make: (L, d) => new L.LinearSVM({ nFeatures: d, nClasses: 10 }) },
  { key: 'mlp', name: 'MLP(64)', make: (L, d) => new L.MLP({ layers: [d, 64, 10], seed: 0, penalty: 'l2', alpha: 1e-4 }) },
];
const FIT_EPOCHS = { 32: [2, 12], full: [10, 60] };
const TASKS = [
  { name: 'softmax regression → 0.969 (batch 32, Adam 0.01)', target: 0.969, maxEpochs: 100, optimizer: { name: 'adam', lr: 0.01 },
    make: (L, d) => new L.SoftmaxRegression({ nFeatures: d, nClasses: 10, penalty: 'l2', alpha: 1e-3 }) },
  { name: 'MLP(64) → 0.97 (batch 32, Adam 1e-3)', target: 0.97, maxEpochs: 200, optimizer: { name: 'adam', lr: 1e-3 },
    make: (L, d) => new L.MLP({ layers: [d, 64, 10], seed: 0, penalty: 'l2', alpha: 1e-4 }) },
];

function rows(data) {
  const out = [];
  // blas1: public axpy and dot on Tensors
  for (const n of [1e3, 1e5, 1e6]) {
    const xs = Float32Array.from({ length: n }, (_, i) => (i % 17) - 8), ys = Float32Array.from({ length: n }, (_, i) => (i % 5) * 0.25);
    const tensors = (L) => { const x = L.tensor(xs), y = L.tensor(ys), o = L.tensor.zeros(n); return { x, y, o, dispose: () => { x.dispose(); y.dispose(); o.dispose(); } }; };
    out.push({ group: 'blas1', name: `axpy n=${expo(n)}`, unit: 'call', setup: ({ lib: L }) => { const t = tensors(L); return { fn: () => L.axpy(t.o, 0.5, t.x, t.y), units: 1, dispose: t.dispose }; } });
    out.push({ group: 'blas1', name: `dot n=${expo(n)}`, unit: 'call', setup: ({ lib: L }) => { const t = tensors(L); return { fn: () => L.dot(t.x, t.y), units: 1, dispose: t.dispose }; } });
  }
  // the optimizer step
  const optRow = (cls, label, n, options) => ({
    group: 'optim', name: `${label} n=${expo(n)}`, unit: 'step',
    setup: ({ lib: L }) => {
      const p = L.param.zeros(n);
      p.grad.set(gradValues(n));
      const opt = new L[cls]([p], options);
      return { fn: () => opt.step(), units: 1, check: () => Number.isFinite(p.data[0]), dispose: () => { opt.dispose?.(); p.dispose(); } };
    },
  });
  for (const n of [1e4, 1e5, 1e6]) out.push(optRow('Adam', 'Adam', n, { lr: 1e-3 }), optRow('SGD', 'SGD-momentum 0.9', n, { lr: 1e-3, momentum: 0.9 }));
  for (const cls of OPTIMIZERS) out.push(optRow(cls, cls, 1e5, { lr: 1e-3 }));
  // GEMM through each build's kernel table
  for (const s of GEMM_SHAPES) {
    out.push({
      group: 'gemm', name: `f32_gemm ${s.name}`, unit: 'call',
      setup: ({ getBackend }) => {
        const { k, arena } = getBackend();
        const [ar, ac] = s.tA ? [s.K, s.M] : [s.M, s.K], [br, bc] = s.tB ? [s.N, s.K] : [s.K, s.N];
        const pa = arena.alloc(ar * ac * 4), pb = arena.alloc(br * bc * 4), pc = arena.alloc(s.M * s.N * 4);
        new Float32Array(arena.memory.buffer, pa, ar * ac).set(lcg(ar * ac, 1));
        new Float32Array(arena.memory.buffer, pb, br * bc).set(lcg(br * bc, 2));
        return { fn: () => k.f32_gemm(s.tA, s.tB, s.M, s.N, s.K, 1, pa, ac, pb, bc, 0, pc, s.N), units: 1, dispose: () => { arena.free(pa); arena.free(pb); arena.free(pc); } };
      },
    });
  }
  // the MLP step on MNIST (mlp suite: 784-128-10 ReLU, softmax CE, He init, Adam 1e-3, batch 64)
  out.push({
    group: 'mlp', name: 'MNIST MLP 784-128-10 step, batch 64, Adam', unit: 'step',
    setup: ({ lib: L }) => {
      const net = new L.MLP({ layers: [IN, 128, 10], activation: 'relu', loss: 'softmax-cross-entropy', init: 'he', seed: 42 });
      const opt = new L.Adam(net.parameters(), { lr: 1e-3 });
      const bs = data.mnist.batches;
      let j = 0, loss = 0;
      return { fn: () => { const b = bs[j++ % bs.length]; loss = net.lossAndGrad(b.X, b.y); opt.step(); }, units: 1, check: () => Number.isFinite(loss), dispose: () => { opt.dispose?.(); net.dispose(); } };
    },
  });
  // model families' fit steps on the digits split: (fit of E2 epochs − fit of E1) / their steps difference
  const { train, d } = data.digits;
  const yReg = Float32Array.from(train.y);
  for (const fam of FAMILIES) {
    for (const batch of [32, 'full']) {
      const [e1, e2] = FIT_EPOCHS[batch];
      out.push({
        group: 'fit', name: `${fam.name} fit step, batch ${batch}, Adam 1e-3`, unit: 'step', pair: true,
        setup: ({ lib: L }) => {
          const fitFor = (epochs) => {
            const m = fam.make(L, d);
            try {
              const t0 = performance.now();
              const h = L.fit(m, train.X, fam.regression ? yReg : train.y, { optimizer: { name: 'adam', lr: 1e-3 }, batchSize: batch, maxEpochs: epochs, seed: 0 });
              return { ms: performance.now() - t0, steps: h.batchLoss.length };
            } finally { m.dispose(); }
          };
          // one "call" is the pair of fits; its units are the steps difference (the once-per-fit costs cancel)
          let last = null;
          const steps = fitFor(e2).steps - fitFor(e1).steps;
          return { pairFn: () => { const a = fitFor(e1), b = fitFor(e2); last = b.steps - a.steps; return b.ms - a.ms; }, units: steps, check: () => last === steps, dispose: () => {} };
        },
      });
    }
  }
  // the train suite's time-to-accuracy tasks (whole run to the target; evaluation not counted)
  for (const task of TASKS) {
    out.push({
      group: 'train', name: `time to target: ${task.name}`, unit: 'run', slow: true,
      setup: ({ lib: L }) => {
        const { train: tr, test } = data.digits;
        let epochs = -1;
        return {
          pairFn: () => {
            const m = task.make(L, d);
            let evalMs = 0;
            epochs = -1;
            const t0 = performance.now();
            try {
              L.fit(m, tr.X, tr.y, {
                optimizer: task.optimizer, batchSize: 32, maxEpochs: task.maxEpochs, seed: 0,
                onEpochEnd: ({ epoch }) => {
                  const e0 = performance.now();
                  const acc = L.accuracy(test.y, m.predict(test.X));
                  evalMs += performance.now() - e0;
                  if (acc >= task.target) { epochs = epoch; return false; }
                },
              });
              return performance.now() - t0 - evalMs;
            } finally { m.dispose(); }
          },
          units: 1, check: () => epochs > 0, info: () => `epochs ${epochs}`, dispose: () => {},
        };
      },
    });
  }
  // one-vs-rest: 10 classifiers × 50 full-batch SGD steps on MNIST (ovr suite)
  out.push({
    group: 'ovr', name: 'one-vs-rest logistic, 10 classifiers × 50 full-batch steps (MNIST 8000)', unit: 'run', slow: true,
    setup: ({ lib: L }) => {
      const { train: tr } = data.mnist, N = tr.y.length;
      const X = { data: tr.X, shape: [N, IN] };
      return {
        pairFn: () => {
          const m = new L.LogisticRegression({ nFeatures: IN, nClasses: 10, fitIntercept: false });
          try {
            const t0 = performance.now();
            L.fit(m, X, tr.y, { optimizer: { name: 'sgd', lr: 5e-4 * N * 10 }, batchSize: 'full', maxEpochs: 50, shuffle: false });
            return performance.now() - t0;
          } finally { m.dispose(); }
        },
        units: 1, dispose: () => {},
      };
    },
  });
  // minimize: per iteration as a user sees it (a whole run / its iterations, setup included) and by
  // difference ((a whole run − a run with maxIter 1) / (iterations − 1): the loop alone, setup cancelled)
  const minRows = (name, n, options) => {
    let reps = 0; // runs per sample of the difference row, calibrated on the first path set up, shared
    const prepare = (L) => {
      const r = rosenbrock(n);
      const opts = { grad: r.grad, ...(options.method === 'newton' ? { hess: r.hess } : {}), ...options };
      return { r, opts, res: L.minimize(r.f, r.x0, opts) };
    };
    const check = (res, last) => last.nIter === res.nIter && Number.isFinite(last.fun);
    const whole = {
      group: 'minimize', name: `minimize ${name}, Rosenbrock ${n}-D: whole run / iterations`, unit: 'iter',
      setup: ({ lib: L }) => {
        const { r, opts, res } = prepare(L);
        let last = res;
        return { fn: () => { last = L.minimize(r.f, r.x0, opts); }, units: res.nIter, check: () => check(res, last), info: () => `${res.nIter} iterations, ${res.status}`, dispose: () => {} };
      },
    };
    const loop = {
      group: 'minimize', name: `minimize ${name}, Rosenbrock ${n}-D: per iteration, setup cancelled`, unit: 'iter',
      setup: ({ lib: L }) => {
        const { r, opts, res } = prepare(L);
        const one = { ...opts, maxIter: 1 };
        if (!reps) {
          const t0 = performance.now();
          let c = 0;
          while (performance.now() - t0 < 20) { L.minimize(r.f, r.x0, opts); L.minimize(r.f, r.x0, one); c++; }
          reps = Math.max(1, Math.round((c * BUDGET_MS) / (performance.now() - t0)));
        }
        let last = res;
        const time = (o) => { const t0 = performance.now(); for (let i = 0; i < reps; i++) last = L.minimize(r.f, r.x0, o); return performance.now() - t0; };
        return { pairFn: () => { const t1 = time(one), tn = time(opts); return (tn - t1) / reps; }, units: res.nIter - 1, check: () => check(res, last), info: () => `${res.nIter} iterations, ${res.status}`, dispose: () => {} };
      },
    };
    // in 2-D an iteration is about a µs, below what a difference of two runs resolves: whole runs only
    return n > 2 ? [whole, loop] : [whole];
  };
  for (const n of [2, 100]) out.push(...minRows('L-BFGS', n, { method: 'lbfgs' }), ...minRows('Newton', n, { method: 'newton' }));
  out.push(...minRows('gradient descent with Adam (lr 1e-3, 500 iterations)', 100, { method: 'adam', lr: 1e-3, maxIter: 500, tol: 0 }));
  return out;
}

// ---------------------------------------------------------------- measuring

/** µs per unit of one sample: `calls` calls of fn (or one pair), divided by calls·units. */
function sample(c, calls) {
  if (c.pairFn) return (c.pairFn() * 1000) / c.units;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) c.fn();
  return ((performance.now() - t0) * 1000) / (calls * c.units);
}

/** One row on every path: set up, warm up, calibrate the calls per sample on the first path, interleaved rounds. */
function measureRow(row, paths) {
  const cases = paths.map((p) => row.setup(p));
  try {
    // warm-up (JIT tiers, workspaces): ~WARM_MS of calls on every path (one pair for pair rows); the
    // first path's warm-up rate sets the calls per sample
    let calls = 1;
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i];
      if (c.pairFn) { c.pairFn(); continue; }
      const t0 = performance.now();
      let done = 0;
      while (performance.now() - t0 < WARM_MS || done < 3) { c.fn(); done++; }
      if (i === 0) calls = Math.max(1, Math.round((done * BUDGET_MS) / (performance.now() - t0)));
    }
    const rounds = row.slow ? Math.min(ROUNDS, 3) : ROUNDS;
    const us = paths.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (let j = 0; j < paths.length; j++) {
        const i = (j + r) % paths.length; // rotate who goes first
        us[i].push(sample(cases[i], calls));
      }
    }
    cases.forEach((c, i) => { if (c.check && !c.check()) throw new Error(`ab: ${row.name} on ${paths[i].label}: the run's check failed (${c.info?.() ?? 'non-finite or changed work'})`); });
    return { medianUs: us.map(median), samplesUs: us, calls, rounds, info: cases.map((c) => c.info?.() ?? null) };
  } finally {
    cases.forEach((c) => c.dispose());
  }
}

const quartiles = (xs) => { const s = [...xs].sort((a, b) => a - b), at = (f) => s[Math.min(s.length - 1, Math.floor(f * (s.length - 1) + 0.5))]; return [at(0.25), at(0.75)]; };

const verdict = (ratio) => (ratio < SLOWER ? 'slower' : ratio > 1 / SLOWER ? 'faster' : 'same');

/**
 * The suite: AB_PROCESSES (default 3) fresh processes one after another, each measuring every row
 * (measure()), combined per row: the ratio is the median of the processes' ratios, the µs columns the
 * medians of theirs. One process is not enough for rows of a few µs: for the same code, a 2-D minimize
 * row's paired ratio over 1201 rounds came out anywhere from 0.96 to 1.13 from one process to the next
 * (what V8 compiles, and where, differs per process), and single runs of this suite put a row of
 * unchanged code under 0.95 in one run and at 1.01 in the next.
 */
export default async function run() {
  if (PROCESSES <= 1) return report(await measure());
  return report(combine(inFreshProcesses(import.meta.url, PROCESSES, 'ab')));
}

/** Rows measured in several processes, as one: per row the median of the processes' figures. */
function combine(parts) {
  const first = parts[0];
  if (first.error) return first;
  const rows = first.results.map((r, i) => {
    const all = parts.map((p) => p.results[i]);
    if (all.some((x) => x.name !== r.name)) throw new Error(`ab: the processes measured different rows at ${i}`);
    const ratios = all.map((x) => x.ratio);
    const ratio = median(ratios);
    return {
      ...r,
      medianUs: r.medianUs.map((_, j) => median(all.map((x) => x.medianUs[j]))),
      ratio,
      processRatios: ratios,
      ratio1: r.ratio1 === null ? null : median(all.map((x) => x.ratio1)),
      verdict: verdict(ratio),
    };
  });
  return { ...first, results: rows, processes: parts.length };
}

/** Every row measured in this process: { base, paths' threads, results } (or { error }). */
async function measure() {
  const base = baseline(REV);
  if (base.error) {
    console.error(`ab: ${base.error}`);
    return { error: base.error };
  }
  let paths;
  try {
    paths = [await load(`old (${REV})`, base.dir, {}), await load('new', root, {})];
  } catch (e) {
    const error = `loading the builds failed: ${e.message}`;
    console.error(`ab: ${error}`);
    return { error };
  }
  try {
    paths.push(await load('new, 1 thread', currentCopy(), { threads: 1 }));
  } catch (e) {
    console.error(`ab: no 1-thread column: ${e.message}`);
  }
  const newLib = paths[1].lib;
  const data = { digits: digits(newLib), mnist: mnistBatches(newLib) };
  const results = [];
  for (const row of rows(data).filter((r) => !ONLY || r.name.includes(ONLY))) {
    const m = measureRow(row, paths);
    // the ratio of each round's two samples (taken one after the other), then their median: a drift of
    // the machine's speed over the row moves both samples of a round, where medians per path would not pair them
    const paired = (j) => m.samplesUs[0].map((u, r) => u / m.samplesUs[j][r]);
    const ratio = median(paired(1));
    const q = quartiles(paired(1));
    results.push({ group: row.group, name: row.name, unit: row.unit, ...m, ratio, ratioQuartiles: q, ratio1: m.medianUs[2] === undefined ? null : median(paired(2)), verdict: verdict(ratio) });
    console.log(`ab: ${row.name}: ${m.medianUs.map((u) => fmt(u, 2)).join(' / ')} µs per ${row.unit}, ratio ${fmt(ratio, 3)} (${verdict(ratio)})`);
  }
  return { base: { commit: base.commit }, threads: paths.map((p) => p.threads), results: results.map(({ samplesUs, ...r }) => r) };
}

/** The markdown and data of measured (or combined) rows. */
function report(d) {
  if (d.error) return { markdown: `No A/B run: ${d.error}.`, data: { rev: REV, error: d.error, rows: [] } };
  const { base, results } = d;
  const paths = d.threads.map((threads) => ({ threads }));
  const procs = d.processes ?? 1;
  const has1 = paths.length > 2;
  // the same work on every path: iterations of minimize, epochs to the target
  const differ = results.filter((r) => r.info.some((i) => i !== r.info[0]));
  const us = (x) => fmt(x, x < 10 ? 3 : x < 1000 ? 1 : 0);
  const markdown = [
    table(['row', 'unit', `old ${REV} µs`, 'new µs', ...(has1 ? ['new 1-thread µs'] : []), 'ratio old/new', ...(has1 ? ['ratio old/new 1-thread'] : []), 'verdict'],
      results.map((r) => [r.name, r.unit, us(r.medianUs[0]), us(r.medianUs[1]), ...(has1 ? [us(r.medianUs[2])] : []), procs > 1 ? `${fmt(r.ratio, 3)} (${r.processRatios.map((x) => fmt(x, 2)).join(', ')})` : `${fmt(r.ratio, 3)} (${fmt(r.ratioQuartiles[0], 2)}–${fmt(r.ratioQuartiles[1], 2)})`, ...(has1 ? [fmt(r.ratio1, 3)] : []), r.verdict === 'slower' ? '**slower**' : r.verdict])),
    '',
    `Old: ${REV} (${base.commit.slice(0, 12)}) built in bench/.ab/${REV}/, init() defaults (${paths[0].threads} thread). New: this checkout, init() defaults (${paths[1].threads} threads)` +
      (has1 ? '; new 1-thread: a copy of this build with init({ threads: 1 })' : '; no 1-thread column (the copy did not load)') +
      `. All wasm-simd; the three paths in one Node process${procs > 1 ? `, and the whole suite in ${procs} fresh processes one after another` : ''}. Each row: the same calls on every path (calibrated to ~${BUDGET_MS} ms on the old build), ${ROUNDS} interleaved rounds (3 for whole training runs), ` +
      `order rotating per round; in a process, a row's ratio is the median over rounds of old/new within the round (> 1: new faster)` +
      (procs > 1 ? `; the ratio shown is the median of the ${procs} processes' ratios (each in brackets), the µs columns the medians of theirs` : '; in brackets its quartiles over the rounds; µs columns: median per path') +
      `; 'slower' below ${SLOWER}, 'faster' above ${fmt(1 / SLOWER, 3)}. ` +
      `Fit steps: (fit of E2 epochs − fit of E1) / steps difference (batch 32: ${FIT_EPOCHS[32].join(' and ')} epochs; full batch: ${FIT_EPOCHS.full.join(' and ')}). ` +
      'minimize: a whole run / its iterations, and at 100-D also (a whole run − a maxIter-1 run) / (iterations − 1).',
    '',
    differ.length
      ? `Rows whose paths did different work (compare with care): ${differ.map((r) => `${r.name} (${r.info.join(' / ')})`).join('; ')}.`
      : `Every path did the same work on every row${results.some((r) => r.info[0]) ? ` (${results.filter((r) => r.info[0]).map((r) => `${r.name}: ${r.info[0]}`).join('; ')})` : ''}.`,
  ].join('\n');
  return { markdown, data: { rev: REV, commit: base.commit, rounds: ROUNDS, processes: procs, threads: paths.map((p) => p.threads), rows: results } };
}

/** The goal of issue 9: no step more than 5% slower than the old build, same run. */
export function targetsOf(d) {
  if (d.error || !d.rows.length) return [target(`A/B against ${d.rev}: the old build loaded and rows measured`, 0, 1, 'builds')];
  const worst = Math.min(...d.rows.map((r) => r.ratio));
  return [
    target(`steps more than 5% slower than ${d.rev} (same run)`, d.rows.filter((r) => r.ratio < SLOWER).length, 0, 'steps', { atMost: true }),
    target(`worst ratio old/new over ${d.rows.length} steps (same run; < 1: new slower)`, worst, SLOWER, 'x'),
  ];
}

if (isMain(import.meta.url)) {
  // a child of run() writes its measurements to the file the parent named; the parent writes the results
  if (!(await childMain(measure))) writeResults('ab', { title, targetsOf }, await run());
}
