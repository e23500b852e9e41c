// The cross-runtime smoke suite: init, param, memory growth, axpy, dot, backendName. Plain JS with no
// imports, so the same cases run in Node (vitest), Chromium (vitest browser mode), workerd
// (miniflare), Deno, Bun and edge-runtime (an EdgeVM with code generation off).
// `descent` is the library namespace as imported in that runtime, `ready` an async function that
// initializes it there (e.g. () => descent.init() or () => descent.initSync({ module })).

function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

export function smokeCases(descent, ready, expectBackend) {
  return [
    ['the API refuses use before init, then init succeeds', async () => {
      if (!descent.isInitialized()) {
        let msg = '';
        try { descent.param([1]); } catch (e) { msg = String(e && e.message); }
        assert(/init\(\)/.test(msg), `error before init should say to call init(), got: ${msg}`);
      }
      await ready();
      assert(descent.isInitialized(), 'isInitialized() after init');
    }],
    ['backendName() says which backend runs', async () => {
      await ready();
      const name = descent.backendName();
      assert(['wasm-relaxed', 'wasm-simd', 'wasm-scalar', 'js'].includes(name), `unknown backend ${name}`);
      if (expectBackend) assert(name === expectBackend, `expected ${expectBackend}, got ${name}`);
    }],
    ['param() gives zero-copy data and grad views', async () => {
      await ready();
      const p = descent.param([1, 2, 3]);
      assert(p.size === 3 && p.data.length === 3 && p.grad.length === 3, 'sizes');
      p.data[1] = 10;
      const ones = descent.tensor([1, 1, 1]);
      assert(descent.dot(p, ones) === 14, 'a write through p.data is what the kernel reads');
      p.dispose();
      let threw = false;
      try { p.data; } catch { threw = true; }
      assert(threw, 'use after dispose throws');
      p.dispose();
      ones.dispose();
    }],
    ['axpy and dot compute in float32 on this backend', async () => {
      await ready();
      const n = 1000;
      const xs = new Float32Array(n), ys = new Float32Array(n);
      for (let i = 0; i < n; i++) { xs[i] = (i % 13) - 6; ys[i] = (i % 7) * 0.5; }
      const x = descent.tensor(xs), y = descent.tensor(ys), out = descent.tensor.zeros(n);
      descent.axpy(out, 2, x, y);
      for (let i = 0; i < n; i++) assert(out.data[i] === 2 * xs[i] + ys[i], `axpy at ${i}`);
      let ref = 0;
      for (let i = 0; i < n; i++) ref += xs[i] * ys[i];
      assert(descent.dot(x, y) === ref, `dot ${descent.dot(x, y)} vs ${ref} (small integers and halves: exact)`);
      x.dispose(); y.dispose(); out.dispose();
    }],
    ['views stay valid across memory growth', async () => {
      await ready();
      const before = descent.memoryStats().bytesReserved;
      const keep = descent.param([7, 8, 9]);
      const big = [];
      for (let i = 0; i < 8; i++) {
        const t = descent.param.zeros(512 * 1024); // 2 MiB of values + 2 MiB of gradient each
        t.data[t.size - 1] = i;
        big.push(t);
        assert(keep.data[0] === 7 && keep.data[2] === 9, `old handle after growth ${i}`);
        keep.data[1] = 8 + i;
      }
      assert(descent.memoryStats().bytesReserved > before, 'memory grew');
      for (let i = 0; i < big.length; i++) assert(big[i].data[big[i].size - 1] === i, `big ${i}`);
      assert(keep.data[1] === 15, 'writes through rebuilt views persist');
      for (const t of big) t.dispose();
      keep.dispose();
    }],
    ['built-in data sets load with no network or file system', async () => {
      await ready();
      const iris = descent.loadIris();
      assert(iris.shape[0] === 150 && iris.shape[1] === 4 && iris.X.data.length === 600 && iris.X.shape[0] === 150, 'iris is 150 x 4');
      const digits = descent.loadDigits();
      assert(digits.shape[0] === 1797 && digits.shape[1] === 64, 'digits is 1797 x 64');
      assert(digits.y[0] === 0 && digits.y.length === 1797, 'digits labels');
      const split = descent.digitsSplit();
      assert(split.trainIndices.length + split.testIndices.length === 1797, 'the fixed digits split covers every row');
    }],
    // ---- automatic differentiation (issue 12) --------------------------------------------------
    ['autodiff: an MLP step via valueAndGrad records, replays, learns and keeps memory flat', async () => {
      await ready();
      const { ops, param, valueAndGrad, indexTensor, hessian } = descent;
      const w = (n, s) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + s) * 0.5);
      const W1 = param(w(4 * 8, 1), { shape: [4, 8] }), b1 = param.zeros([8]);
      const W2 = param(w(8 * 3, 2), { shape: [8, 3] }), b2 = param.zeros([3]);
      const ps = [W1, b1, W2, b2];
      const X = [[1, 0.5, -1, 2], [0, -1, 1, 0.5], [2, 1, 0, -1], [-1, 2, 0.5, 1], [0.5, 0.5, -2, 0], [1, -2, 1, 1]];
      const y = indexTensor([0, 1, 2, 0, 1, 2]);
      const step = valueAndGrad((x, t) => ops.crossEntropy(x.matmul(W1).add(b1).relu().matmul(W2).add(b2), t), { argnums: [] });
      const [l0] = step(X, y);
      const g0 = ps.map((p) => Array.from(p.grad));
      ps.forEach((p) => p.zeroGrad());
      const [l1] = step(X, y);
      assert(l1 === l0 && ps.every((p, i) => p.grad.every((v, j) => v === g0[i][j])), 'a replayed step gives the same loss and gradients');
      const at = descent.memoryStats().bytesInUse;
      let last = l0;
      for (let i = 0; i < 60; i++) {
        ps.forEach((p) => p.zeroGrad());
        [last] = step(X, y);
        ps.forEach((p) => { for (let j = 0; j < p.size; j++) p.data[j] -= 0.2 * p.grad[j]; });
      }
      assert(descent.memoryStats().bytesInUse === at, 'replayed steps allocate nothing');
      assert(last < 0.5 * l0, `the loss falls with gradient descent (${l0} → ${last})`);
      const H = hessian((x) => ops.sum(ops.pow(x, 3)))([1, 2]);
      assert(H[0] === 6 && H[1] === 0 && H[2] === 0 && H[3] === 12, `hessian of Σx³ at [1, 2] is diag(6, 12), got ${Array.from(H)}`);
      step.dispose();
      y.dispose();
      ps.forEach((p) => p.dispose());
    }],
    ['layers: a small CNN trains by fit and round-trips through safetensors', async () => {
      await ready();
      const { Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Dense, fit, saveSafetensors, loadSafetensors } = descent;
      const make = (seed) => new Sequential([new Conv2d(1, 2, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Dense(2 * 2 * 2, 2)], { inputShape: [1, 6, 6], seed });
      const rows = 16, X = new Float32Array(rows * 36), y = new Int32Array(rows);
      for (let r = 0; r < rows; r++) {
        y[r] = r % 2;
        for (let j = 0; j < 36; j++) X[r * 36 + j] = y[r] === 1 ? (j % 6 < 3 ? 1 : 0) : (j < 18 ? 1 : 0); // left half vs top half
      }
      const net = make(1), data = { data: X, shape: [rows, 36] };
      const before = net.loss(data, y);
      fit(net, data, y, { optimizer: { name: 'adam', lr: 0.05 }, batchSize: 'full', maxEpochs: 60 });
      const after = net.loss(data, y);
      assert(after < 0.5 * before, `the CNN's loss falls (${before} → ${after})`);
      const names = net.parameters().map((p) => p.name).join(',');
      assert(names === '0.weight,0.bias,4.weight,4.bias', `torch state_dict names, got ${names}`);
      const other = make(2);
      loadSafetensors(saveSafetensors(net), other);
      const a = net.predictProba(data), b = other.predictProba(data);
      assert(a.every((v, i) => v === b[i]), 'a model loaded from safetensors predicts the same bits');
      net.dispose();
      other.dispose();
    }],
  ];
}

/** How many cases smokeCases() returns (the drivers check that all of them ran). */
export const SMOKE_CASE_COUNT = 8;

/** Runs the cases and returns [{ name, ok, error? }]; for runtimes without a test runner. */
export async function runSmoke(descent, ready, expectBackend) {
  const results = [];
  for (const [name, fn] of smokeCases(descent, ready, expectBackend)) {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, error: String((e && e.stack) || e) });
    }
  }
  return results;
}
