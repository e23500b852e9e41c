import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/init.js';
import { Adam, indexTensor, memoryStats, ops, param, Prng, tensor, valueAndGrad } from '../../src/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

// Plans and memory: a replayed step allocates nothing, training keeps memory flat, a replay that
// stops matching falls back to recording and stays correct, plans are freed when evicted or
// disposed, and intermediates do not outlive their step.

/** A small MLP + cross-entropy whose batch tensors are rebuilt (new objects) each step. */
function mlp(seed: number) {
  const rng = new Prng(seed);
  const w = (n: number, s: number) => Float32Array.from({ length: n }, () => (rng.nextFloat() * 2 - 1) * s);
  const W1 = param(w(6 * 8, 0.5), { shape: [6, 8] }), b1 = param.zeros([8]);
  const W2 = param(w(8 * 3, 0.5), { shape: [8, 3] }), b2 = param.zeros([3]);
  const params = [W1, b1, W2, b2];
  const loss = (X: any, y: any) => ops.crossEntropy(X.matmul(W1).add(b1).tanh().matmul(W2).add(b2), y);
  const batch = (i: number) => {
    const r = new Prng(1000 + (i % 7));
    const X = Float32Array.from({ length: 16 * 6 }, () => r.nextFloat() * 2 - 1);
    const y = Int32Array.from({ length: 16 }, (_, k) => (X[k * 6] + X[k * 6 + 1] > 0 ? 1 : X[k * 6 + 2] > 0 ? 2 : 0));
    return { X, y };
  };
  return { params, loss, batch, dispose: () => params.forEach((p) => p.dispose()) };
}

describe.each(BACKENDS)('replay on %s', (backend) => {
  it('a replayed step allocates nothing and gives the same bits as a fresh recording', async () => {
    await useBackend(backend);
    const m = mlp(1);
    const step = valueAndGrad(m.loss, { argnums: [] });
    const arena = getBackend().arena;
    const { X, y } = m.batch(0);
    const Xt = tensor(X, { shape: [16, 6] }), yt = indexTensor(y);
    step(Xt, yt);
    const stats = arena.stats();
    let allocs = 0;
    const alloc = arena.alloc.bind(arena);
    arena.alloc = (bytes: number) => {
      allocs++;
      return alloc(bytes);
    };
    try {
      m.params.forEach((p) => p.zeroGrad());
      const [v2] = step(Xt, yt);
      const g2 = m.params.map((p) => p.grad.slice());
      expect(allocs).toBe(0);
      expect(arena.stats()).toEqual(stats);
      // a fresh step function records anew: same value and gradients
      arena.alloc = alloc;
      m.params.forEach((p) => p.zeroGrad());
      const fresh = valueAndGrad(m.loss, { argnums: [] });
      const [v3] = fresh(Xt, yt);
      expect(v3).toBe(v2);
      m.params.forEach((p, i) => expect(Array.from(p.grad)).toEqual(Array.from(g2[i])));
      fresh.dispose();
    } finally {
      arena.alloc = alloc;
      step.dispose();
      Xt.dispose();
      yt.dispose();
      m.dispose();
    }
  });

  it('10,000 training steps with new batch tensors each step leave bytesInUse flat, and the loss falls', async () => {
    await useBackend(backend);
    const m = mlp(2);
    const opt = new Adam(m.params, { lr: 0.01 });
    const step = valueAndGrad(m.loss, { argnums: [] });
    const losses: number[] = [];
    let flatFrom = 0;
    for (let i = 0; i < 10_000; i++) {
      const { X, y } = m.batch(i);
      const Xt = tensor(X, { shape: [16, 6] }), yt = indexTensor(y);
      opt.zeroGrad();
      const [l] = step(Xt, yt);
      opt.step();
      Xt.dispose();
      yt.dispose();
      if (i < 7) losses.push(l);
      if (i === 10) flatFrom = memoryStats().bytesInUse;
      if (i > 10 && i % 1000 === 0) expect(memoryStats().bytesInUse).toBe(flatFrom);
      if (i >= 9_993) losses.push(l);
    }
    expect(memoryStats().bytesInUse).toBe(flatFrom);
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(losses.slice(7))).toBeLessThan(0.5 * mean(losses.slice(0, 7)));
    step.dispose();
    opt.dispose();
    m.dispose();
  });
});

describe('fallback, plans and lifetimes', () => {
  it('data-dependent control flow: a replay that stops matching records again and stays correct', async () => {
    await useBackend('wasm-simd');
    const x = param([1, -2, 3]);
    const f = (s: any) => (s.data[0] > 0 ? ops.sum(ops.mul(x, x)) : ops.sum(ops.exp(ops.mul(x, 2))));
    const step = valueAndGrad(f, { argnums: [] });
    for (const s of [[1], [-1], [1], [-1], [-1]]) {
      x.zeroGrad();
      const [v] = step(s);
      const want = s[0] > 0 ? 14 : Math.exp(2) + Math.exp(-4) + Math.exp(6);
      expect(Math.abs(v - want)).toBeLessThan(1e-4 * want);
      const g = s[0] > 0 ? [2, -4, 6] : [2 * Math.exp(2), 2 * Math.exp(-4), 2 * Math.exp(6)];
      x.grad.forEach((v2, i) => expect(Math.abs(v2 - g[i])).toBeLessThan(1e-4 * Math.abs(g[i]) + 1e-6));
    }
    step.dispose();
    x.dispose();
  });

  it('a new shape records its own plan; at most four are kept; dispose() frees them all', async () => {
    await useBackend('wasm-scalar');
    const base = memoryStats().bytesInUse;
    const step = valueAndGrad((x: any) => ops.sum(ops.tanh(ops.mul(x, x))));
    const sizes = [3, 4, 5, 6, 7, 3];
    const after: number[] = [];
    for (const n of sizes) {
      const [v, g] = step(new Array(n).fill(0.5));
      expect(v).toBeCloseTo(n * Math.tanh(0.25), 5);
      expect(g.length).toBe(n);
      after.push(memoryStats().bytesInUse - base);
    }
    // the fifth shape evicted the oldest plan, so memory stopped growing linearly
    expect(after[4]).toBeLessThan(after[3] + (after[3] - after[2]) + 1);
    step.dispose();
    expect(memoryStats().bytesInUse).toBe(base);
  });

  it('a tensor used several times accumulates; Param gradients accumulate across calls', async () => {
    await useBackend('js');
    const x = param([1, 2, 3]);
    const step = valueAndGrad(() => ops.sum(ops.add(ops.mul(x, x), ops.mul(x, 3))), { argnums: [] });
    step();
    expect(Array.from(x.grad)).toEqual([5, 7, 9]);
    step();
    expect(Array.from(x.grad)).toEqual([10, 14, 18]);
    step.dispose();
    x.dispose();
  });

  it('accumulate: false sets p.grad to each call\'s gradient (the GEMM-fed weight and the bias alike)', async () => {
    for (const b of BACKENDS) {
      await useBackend(b);
      const W = param([1, 2, 3, 4, 5, 6], { shape: [3, 2] }), c = param([0.5, -0.5]);
      const f = (x: any) => ops.sum(ops.tanh(ops.add(ops.matmul(x, W), c)));
      const X = [[1, 0, -1], [0.5, 2, 1]];
      const acc = valueAndGrad(f, { argnums: [] }), set = valueAndGrad(f, { argnums: [], accumulate: false });
      acc(X);
      const once = [Array.from(W.grad), Array.from(c.grad)];
      acc(X);
      W.grad.forEach((v, i) => expect(v).toBe(Math.fround(2 * once[0][i])));
      for (let i = 0; i < 3; i++) set(X); // records, then replays: each call sets, none adds
      expect(Array.from(W.grad)).toEqual(once[0]);
      expect(Array.from(c.grad)).toEqual(once[1]);
      acc.dispose();
      set.dispose();
      W.dispose();
      c.dispose();
    }
  });

  it('constants made inside the step (ops.tensor, indexTensor) are refreshed on replay without allocating', async () => {
    await useBackend('wasm-simd');
    const W = param([1, 0, 0, 1, 1, 1], { shape: [2, 3] });
    let rows = [[1, 2], [3, 4]], targets = [0, 2];
    const step = valueAndGrad(() => ops.crossEntropy(ops.matmul(ops.tensor(rows), W), indexTensor(targets)), { argnums: [] });
    const want = (r: number[][], t: number[]) => {
      const fresh = valueAndGrad(() => ops.crossEntropy(ops.matmul(ops.tensor(r), W), indexTensor(t)), { argnums: [] });
      const [v] = fresh();
      fresh.dispose();
      return v;
    };
    step();
    const arena = getBackend().arena, alloc = arena.alloc.bind(arena);
    const expected = [want([[0, 1], [2, -1]], [1, 1]), want([[5, 5], [1, 0]], [2, 0])];
    let allocs = 0;
    arena.alloc = (b: number) => (allocs++, alloc(b));
    const got: number[] = [];
    try {
      [rows, targets] = [[[0, 1], [2, -1]], [1, 1]];
      got.push(step()[0]);
      [rows, targets] = [[[5, 5], [1, 0]], [2, 0]];
      got.push(step()[0]);
    } finally {
      arena.alloc = alloc;
    }
    expect(allocs).toBe(0);
    expect(got).toEqual(expected);
    step.dispose();
    W.dispose();
  });

  it('intermediates are readable inside the step and refuse use after it returns', async () => {
    await useBackend('wasm-simd');
    let kept: any = null;
    let inside = -1;
    const step = valueAndGrad((x: any) => {
      kept = ops.mul(x, 2);
      inside = kept.data[1];
      return ops.sum(kept);
    });
    step([1, 2, 3]);
    expect(inside).toBe(4);
    expect(() => kept.data).toThrow(/intermediate of a valueAndGrad step that has returned/);
    expect(() => ops.add(kept, 1)).toThrow(/intermediate of a valueAndGrad step that has returned/);
    step.dispose();
  });

  it('a step that throws frees what it allocated, and the next call works', async () => {
    await useBackend('wasm-simd');
    const before = memoryStats().bytesInUse;
    const step = valueAndGrad((x: any, bad: any) => ops.sum(ops.add(ops.mul(x, x), bad)));
    expect(() => step([1, 2, 3], [1, 2])).toThrow(/add: cannot broadcast/);
    expect(memoryStats().bytesInUse).toBe(before);
    const [v] = step([1, 2, 3], [1, 1, 1]);
    expect(v).toBe(17);
    step.dispose();
    expect(memoryStats().bytesInUse).toBe(before);
  });

  it('eager results are freed by dispose() and, when forgotten, by the garbage collector', async () => {
    await useBackend('js');
    const before = memoryStats().bytesInUse;
    const a = ops.tensor([1, 2, 3]);
    const b = ops.exp(a);
    expect(memoryStats().bytesInUse).toBeGreaterThan(before);
    a.dispose();
    b.dispose();
    expect(memoryStats().bytesInUse).toBe(before);
    // forgotten eager tensors: a child process with --expose-gc (the built package)
    const script = `
      import { init, ops, memoryStats } from './dist/entry/node.js';
      await init({ backend: 'wasm-simd' });
      const base = memoryStats().bytesInUse;
      for (let i = 0; i < 20000; i++) ops.tanh(ops.tensor([i, 1, 2, 3]));
      for (let k = 0; k < 10 && memoryStats().bytesInUse > base; k++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
      console.log(memoryStats().bytesInUse - base);
    `;
    const r = spawnSync('node', ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(Number(r.stdout.trim())).toBe(0);
  });

  it('an object of Params as the argument: their gradients land in p.grad and come back in its shape', async () => {
    await useBackend('wasm-simd');
    const params = { W: param([1, 2, 3, 4], { shape: [2, 2] }), b: param([0.5, -0.5]) };
    const step = valueAndGrad((p: any, x: any) => ops.sum(ops.add(ops.matmul(x, p.W), p.b)));
    const [v, g] = step(params, [[1, 1], [2, 0]]);
    expect(v).toBe(4 + 6 + 2 + 4);
    expect(g.W).toBe(params.W.grad);
    expect(Array.from(g.W)).toEqual([3, 3, 1, 1]);
    expect(Array.from(g.b)).toEqual([2, 2]);
    step.dispose();
    params.W.dispose();
    params.b.dispose();
  });

  it("dropout's seed changes between replays without re-recording; the same seed gives the same mask", async () => {
    await useBackend('wasm-scalar');
    let seed = 1;
    const x = param(new Array(64).fill(1));
    const step = valueAndGrad(() => ops.sum(ops.dropout(x, { p: 0.5, seed })), { argnums: [] });
    const masks: number[][] = [];
    step();
    const arena = getBackend().arena, alloc = arena.alloc.bind(arena);
    let allocs = 0;
    arena.alloc = (b: number) => (allocs++, alloc(b));
    try {
      for (const s of [1, 2, 1]) {
        seed = s;
        x.zeroGrad();
        step();
        masks.push(Array.from(x.grad));
      }
    } finally {
      arena.alloc = alloc;
    }
    expect(allocs).toBe(0);
    expect(masks[0]).toEqual(masks[2]);
    expect(masks[0]).not.toEqual(masks[1]);
    for (const v of masks[1]) expect(v === 0 || v === 2).toBe(true);
    step.dispose();
    x.dispose();
  });
});
