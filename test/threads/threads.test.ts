/**
 * Threads (src/threads/): init({ threads }), backendInfo, dispose, and bit-identical results for 1, 2
 * and 3 threads: every kernel with a manifest split (forced to split even small cases), the fixed-block
 * reductions at sizes that cut into several blocks, every optimizer, fit() of a built-in MLP with the
 * MNIST-like shapes, and autodiff ops; then the failure paths (a worker that dies, one that cannot
 * start, a kernel that traps on a worker) and zero-copy views over a growing shared memory.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parityCases, runOnBackend } from '../../scripts/kernel-harness.mjs';
import {
  MLP, backendInfo, dispose, init, initSync, isInitialized, loadDigits, ops, param, tensor, threadsReady, valueAndGrad, fit,
} from '../../src/entry/node.js';
import type { Backend } from '../../src/backend/index.js';
import { getBackend } from '../../src/init.js';
import { setThreadHost } from '../../src/threads/index.js';
import { nodeThreadHost } from '../../src/threads/node-host.js';
import type { ThreadPool } from '../../src/threads/pool.js';
import { KERNELS } from '../helpers/kernels.js';
import { GEMM_SCRATCH_BYTES } from '../../src/wasm/constants.gen.js';
import { seeded } from '../helpers/backends.js';
import { OPTIMIZERS_UNDER_TEST, label, make } from '../optim/table.js';
import { nodeSameBits } from './node-same-bits.js';

const THREADS = [1, 2, 3];
const WASM = ['wasm-simd', 'wasm-scalar'] as const;

afterAll(async () => {
  setThreadHost(nodeThreadHost);
  await init({ backend: 'wasm-simd', threads: 1 });
});

/** Bits of everything a run produced: Float32/Int32 arrays as their words, numbers as f64 bits. */
function bits(x: unknown): string {
  if (x instanceof Float32Array || x instanceof Int32Array) return Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length), (w) => w.toString(16)).join(',');
  if (typeof x === 'number') return Array.from(new Uint32Array(new Float64Array([x]).buffer), (w) => w.toString(16)).join(':');
  if (Array.isArray(x)) return `[${x.map(bits).join(';')}]`;
  if (x && typeof x === 'object') return `{${Object.entries(x).map(([k, v]) => `${k}=${bits(v)}`).join(';')}}`;
  return String(x);
}

async function withThreads(backend: string, threads: number): Promise<Backend> {
  await init({ backend: backend as 'wasm-simd', threads });
  await threadsReady();
  const b = getBackend();
  expect(backendInfo().threads).toBe(threads);
  return b;
}

/** Runs `fn` once per thread count and expects the same bits from each. */
async function sameForEveryThreadCount(backend: string, fn: (b: Backend) => unknown): Promise<void> {
  const seen: string[] = [];
  for (const t of THREADS) seen.push(bits(await fn(await withThreads(backend, t))));
  expect(seen[0].length).toBeGreaterThan(0);
  expect(seen[1]).toBe(seen[0]);
  expect(seen[2]).toBe(seen[0]);
}

describe('init({ threads }) and backendInfo()', () => {
  it('runs the requested threads once they are up, one thread until then, and says so; threads: 1 turns them off', async () => {
    dispose();
    const started = await init({ backend: 'wasm-simd', threads: 2 });
    // init() does not wait for the worker: the caller runs alone until it is up
    expect(started).toMatchObject({ threads: 1, threadsReason: 'starting 1 worker_threads worker; one thread until it is up' });
    const pool = getBackend().pool as ThreadPool;
    const p = param(seeded(100_000, 4));
    getBackend().k.f32_scale(p.ptr, 2, p.ptr, 100_000); // runs on the caller while the worker starts
    expect(p.data[7]).toBe(Math.fround(seeded(100_000, 4)[7] * 2));
    const info = await threadsReady();
    expect(info.threads).toBe(2);
    expect(info.threadsReason).toMatch(/2 threads: the caller and 1 worker_threads worker/);
    expect(backendInfo()).toEqual(info);
    expect(getBackend().pool).toBe(pool);
    // asking again for the same threads keeps the pool (no restart while or after it starts)
    await init({ backend: 'wasm-simd', threads: 2 });
    expect(getBackend().pool).toBe(pool);
    const one = await init({ backend: 'wasm-simd', threads: 1 });
    expect(one).toMatchObject({ threads: 1, threadsReason: 'one thread: init({ threads: 1 })' });
    expect(getBackend().pool).toBeNull();
  });

  it('defaults to the cores Node reports, at most 4', async () => {
    dispose();
    await init({ backend: 'wasm-simd' });
    const info = await threadsReady();
    const { availableParallelism } = await import('node:os');
    expect(info.threads).toBe(Math.min(availableParallelism(), 4));
  });

  it('the js backend runs on one thread and says why', async () => {
    const info = await init({ backend: 'js', threads: 3 });
    expect(info).toMatchObject({ name: 'js', threads: 1 });
    expect(await threadsReady()).toEqual(info);
    expect(info.threadsReason).toMatch(/js backend/);
  });

  it.each([0, -1, 2.5, 65, '2', NaN])('refuses threads: %s with a RangeError naming the range', async (t) => {
    await expect(init({ threads: t as number })).rejects.toThrow(/init\(\{ threads \}\) must be a whole number from 1 to 64/);
  });

  it("the pool's stats count what the shared calls did: calls, chunks, the caller's share and time", async () => {
    const b = await withThreads('wasm-simd', 3);
    const pool = b.pool as ThreadPool;
    const s0 = { ...pool.stats };
    const p = param(seeded(400_000, 6));
    b.k.f32_scale(p.ptr, 2, p.ptr, 400_000); // above the element-wise threshold: shared
    b.k.f32_scale(p.ptr, 0.5, p.ptr, 10); // below it: the caller alone, not counted
    const s = pool.stats;
    expect(s.runs - s0.runs).toBe(1);
    expect(s.chunks - s0.chunks).toBe(6); // two chunks per thread
    expect(s.ownChunks - s0.ownChunks).toBeGreaterThanOrEqual(0);
    expect(s.ownChunks - s0.ownChunks).toBeLessThanOrEqual(6);
    expect(s.ownMs - s0.ownMs).toBeGreaterThanOrEqual(0);
    expect(s.wallMs - s0.wallMs).toBeGreaterThanOrEqual(s.ownMs - s0.ownMs);
    p.dispose();
  });

  it('dispose() stops the workers; a re-init starts new ones', async () => {
    await init({ backend: 'wasm-simd', threads: 2 });
    const pool = getBackend().pool as ThreadPool;
    dispose();
    expect(isInitialized()).toBe(false);
    expect(pool.threads).toBe(1);
    await init({ backend: 'wasm-simd', threads: 2 });
    expect(await threadsReady()).toMatchObject({ threads: 2 });
    expect(getBackend().pool).not.toBe(pool);
  });

  it('a caller in a synchronous loop takes the workers in as they come up (through shared memory, no message)', async () => {
    dispose();
    await init({ backend: 'wasm-simd', threads: 2 });
    const b = getBackend();
    const p = param(seeded(300_000, 5));
    const t0 = Date.now();
    let calls = 0;
    // no await from here on: the pool's message handlers cannot run
    while (backendInfo().threads === 1 && Date.now() - t0 < 20_000) {
      b.k.f32_scale(p.ptr, 1, p.ptr, 300_000);
      calls++;
    }
    expect(backendInfo()).toMatchObject({ threads: 2, threadsReason: '2 threads: the caller and 1 worker_threads worker over shared memory' });
    expect(calls).toBeGreaterThan(0);
    const pool = b.pool as ThreadPool;
    const before = pool.readyWorkers;
    expect(before).toBe(1);
    b.k.f32_scale(p.ptr, 2, p.ptr, 300_000); // shared with the worker now, same bits
    expect(bits(p.data)).toBe(bits(Float32Array.from(seeded(300_000, 5), (v) => v * 2)));
    await threadsReady();
  });

  it('the most threads (64) fit their GEMM scratch and control block below the arena, growing the memory for them', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // no worker starts (the host refuses): the pool is built over its memory, then falls back
    setThreadHost({ ...nodeThreadHost, spawn() { throw new Error('refused by the test'); } });
    try {
      dispose();
      await init({ backend: 'wasm-simd', threads: 64 });
      const b = getBackend();
      expect(b.arena.base).toBeGreaterThanOrEqual(64 * GEMM_SCRATCH_BYTES);
      expect(b.memory.buffer.byteLength).toBeGreaterThanOrEqual(b.arena.base);
      await threadsReady();
      expect(backendInfo().threads).toBe(1);
      // the caller's GEMM still runs through its scratch (a large panel) and gives the product
      const n = 64, k = 300;
      const a = tensor(seeded(n * k, 1), { shape: [n, k] }), w = tensor(seeded(k * n, 2), { shape: [k, n] });
      const c = ops.matmul(a, w);
      const A = a.data, W = w.data, C = c.data;
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0, abs = 0;
          for (let q = 0; q < k; q++) { s += A[i * k + q] * W[q * n + j]; abs += Math.abs(A[i * k + q] * W[q * n + j]); }
          worst = Math.max(worst, Math.abs(C[i * n + j] - s) / (k * 2 ** -23 * abs));
        }
      }
      expect(worst).toBeLessThanOrEqual(1); // within K·2⁻²³·Σ|a||b| of the float64 product
      for (const t of [a, w, c]) t.dispose();
    } finally {
      setThreadHost(nodeThreadHost);
      warn.mockRestore();
      dispose();
    }
  });

  it('dispose() and re-init while the workers are still starting shut them down cleanly', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const live = new Set<number>();
    let spawned = 0;
    setThreadHost({
      ...nodeThreadHost,
      spawn(on) {
        const id = spawned++;
        live.add(id);
        return nodeThreadHost.spawn({ ...on, exit: (code) => { live.delete(id); on.exit(code); } });
      },
    });
    try {
      dispose();
      await init({ backend: 'wasm-simd', threads: 3 });
      const first = getBackend().pool as ThreadPool;
      expect(first.starting).toBe(true);
      expect(spawned).toBe(0); // the workers start after init() resolves, at the next turn of the event loop
      const small = param(seeded(16, 1));
      getBackend().k.f32_scale(small.ptr, 2, small.ptr, 16); // a small call does not start them
      expect(spawned).toBe(0);
      const big = param(seeded(300_000, 2));
      getBackend().k.f32_scale(big.ptr, 1, big.ptr, 300_000); // a call big enough to share starts them
      expect(spawned).toBe(2);
      expect(first.threads).toBe(1);
      dispose(); // before the workers are up
      expect(first.threads).toBe(1);
      await first.ready; // resolved by the close: nothing waits for workers that will never report
      await expect(threadsReady()).rejects.toThrow(/not initialized/);
      // a re-init (another backend) while the new workers start replaces the pool and stops its workers
      await init({ backend: 'wasm-simd', threads: 2 });
      const second = getBackend().pool as ThreadPool;
      expect(second.threads).toBe(1); // starts its worker
      await init({ backend: 'wasm-scalar', threads: 2 });
      expect(second.threads).toBe(1);
      expect(second.reason).toBe('the backend was replaced by init()');
      expect(await threadsReady()).toMatchObject({ name: 'wasm-scalar', threads: 2 });
      // every worker of the two shut-down pools exits; the running pool's one is still there
      for (let i = 0; i < 250 && live.size > 1; i++) await new Promise((r) => setTimeout(r, 20));
      expect(spawned).toBe(4);
      expect([...live]).toEqual([3]);
      // no worker of a shut-down pool was reported as a failure
      expect(warn).not.toHaveBeenCalled();
      // a pool shut down before its first turn of the event loop never starts a worker
      await init({ backend: 'wasm-simd', threads: 2 });
      dispose();
      await new Promise((r) => setTimeout(r, 20));
      expect(spawned).toBe(4);
    } finally {
      setThreadHost(nodeThreadHost);
      warn.mockRestore();
    }
  });

  it('initSync with a threaded build starts the workers in the background', async () => {
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(fileURLToPath(new URL('../../build/descent-simd-threads.wasm', import.meta.url)));
    const info = initSync({ module: new WebAssembly.Module(bytes), threads: 2 });
    expect(info.name).toBe('wasm-simd');
    expect(info.threads).toBe(1);
    expect((await threadsReady()).threads).toBe(2);
  });

  it('an unref\'d pool never keeps a process alive', () => {
    const entry = fileURLToPath(new URL('../../dist/bundle/node.js', import.meta.url));
    const script = `const d = await import(${JSON.stringify(entry)}); await d.init({ threads: 3 }); const i = await d.threadsReady(); console.log(i.threads);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('3');
  });
});

describe.each(WASM)('bit-identical for 1, 2 and 3 threads on %s', (backend) => {
  it('every kernel with a split, each split forced on small cases', async () => {
    const parallel = KERNELS.filter((k) => k.parallel && k.parallel.some((p) => !p.reduce));
    expect(parallel.length).toBeGreaterThan(40);
    const runs: string[][] = [];
    for (const t of THREADS) {
      const b = await withThreads(backend, t);
      if (b.pool) b.pool.force = true;
      const out: string[] = [];
      for (const k of parallel) {
        const cases = parityCases(k).filter((c: any) => c.data === 'finite').slice(0, 60);
        for (const c of cases) out.push(`${k.name}: ${bits(runOnBackend(k, c, b).buffers)}`);
      }
      if (b.pool) b.pool.force = false;
      runs.push(out);
    }
    for (const t of [1, 2]) {
      const diff = runs[t].findIndex((x, i) => x !== runs[0][i]);
      expect(diff === -1 ? null : `${THREADS[t]} threads differ: ${runs[t][diff].slice(0, 60)}`).toBeNull();
    }
  });

  it('the fixed-block reductions (blas1, absmax, penalties, losses) over several blocks', async () => {
    await sameForEveryThreadCount(backend, (b) => {
      const n = 300_003, rows = 20_001, cols = 10;
      const x = b.arena.alloc(n * 4), y = b.arena.alloc(n * 4), g = b.arena.alloc(n * 4), lab = b.arena.alloc(rows * 4);
      try {
        const f32 = new Float32Array(b.memory.buffer);
        f32.set(seeded(n, 1), x >>> 2);
        f32.set(seeded(n, 2), y >>> 2);
        new Int32Array(b.memory.buffer).set(Int32Array.from({ length: rows }, (_, i) => (i * 7) % cols), lab >>> 2);
        const k = b.k;
        const r = {
          dot: k.f32_dot(x, y, n), sum: k.f32_sum(x, n), sumsq: k.f32_sumsq(x, n), absmax: k.f32_absmax(x, n),
          pen: k.f32_elasticnet_penalty(g, x, n, 0.1, 0.2),
          xent: k.f32_softmax_xent_loss(g, x, lab, 0, rows, cols, 1 / rows),
          mse: k.f32_mse_loss(y, x, y, 0, rows, cols, 0.5),
        };
        return { ...r, g: new Float32Array(b.memory.buffer, g, n).slice(), y: new Float32Array(b.memory.buffer, y, n).slice() };
      } finally {
        for (const p of [x, y, g, lab]) b.arena.free(p);
      }
    });
  });

  it('every optimizer of the optimizer table, on parameters above the threshold', async () => {
    for (const c of OPTIMIZERS_UNDER_TEST) {
      const seen: string[] = [];
      for (const t of THREADS) {
        await withThreads(backend, t);
        const p = param(seeded(70_001, 3));
        const q = param(seeded(40_000, 4));
        const opt = make(c, [p, q]);
        for (let s = 0; s < 3; s++) {
          p.grad!.set(seeded(70_001, 10 + s));
          q.grad!.set(seeded(40_000, 20 + s));
          opt.step();
        }
        seen.push(bits([p.data, q.data]));
        p.dispose();
        q.dispose();
      }
      expect(seen[1] === seen[0] && seen[2] === seen[0], label(c)).toBe(true);
    }
  });

  it('fit() of an MLP with MNIST-like shapes (batch 256, 64 → 256 → 128 → 10) and its predictions', async () => {
    const { X, y } = loadDigits();
    await sameForEveryThreadCount(backend, () => {
      const net = new MLP({ layers: [64, 256, 128, 10], activation: 'relu', seed: 7 });
      const h = fit(net, X, y, { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 256, maxEpochs: 2, seed: 3 });
      const out = { loss: h.epochs.map((e: any) => e.loss), p: net.predictProba(X) };
      net.dispose?.();
      return out;
    });
  });

  it('autodiff ops: matmul, broadcast add, softmax, tanh-like chains and their gradients', async () => {
    await sameForEveryThreadCount(backend, () => {
      const w = param(seeded(256 * 300, 5, 0.05), { shape: [256, 300] });
      const bias = param(seeded(300, 6), { shape: [300] });
      const x = tensor(seeded(400 * 256, 7), { shape: [400, 256] });
      const step = valueAndGrad((w2: any) => {
        const h = ops.add(ops.matmul(x, w2), bias);
        const s = ops.softmax(h, 1);
        return ops.sum(ops.mul(ops.exp(ops.mul(s, s)), h));
      });
      const [value, gw] = step(w);
      const out = { value, gw: Float32Array.from(gw as ArrayLike<number>) };
      w.dispose();
      bias.dispose();
      x.dispose();
      return out;
    });
  });
});

describe('the probe the workerd and edge-runtime fall back tests compare with', () => {
  it('gives the same bits for 1, 2 and 3 threads in Node', async () => {
    const runs = [];
    for (const t of THREADS) runs.push(await nodeSameBits(t));
    expect(runs.map((r) => r.threads)).toEqual(THREADS);
    expect(runs[0].bits).toMatch(/^[0-9a-f]+(-[0-9a-f]+){4}$/);
    expect(runs[1].bits).toBe(runs[0].bits);
    expect(runs[2].bits).toBe(runs[0].bits);
  });
});

describe('failures never hang', () => {
  it('a worker that dies: logged, the pool runs on one thread, results unchanged', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const b = await withThreads('wasm-simd', 3);
      const pool = b.pool as ThreadPool;
      const p = param(seeded(100_000, 1));
      (pool as unknown as { workers: Array<{ terminate(): void }> }).workers[0].terminate();
      // calls made before the exit is noticed: the caller claims the dead worker's chunks
      b.k.f32_scale(p.ptr, 0.5, p.ptr, 100_000);
      for (let i = 0; i < 100 && pool.threads > 1; i++) await new Promise((r) => setTimeout(r, 20));
      expect(pool.threads).toBe(1);
      expect(backendInfo()).toMatchObject({ threads: 1 });
      expect(backendInfo().threadsReason).toMatch(/worker 1 exited/);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/descent: worker 1 exited .*running on one thread/));
      b.k.f32_scale(p.ptr, 2, p.ptr, 100_000);
      expect(bits(p.data)).toBe(bits(seeded(100_000, 1)));
    } finally {
      warn.mockRestore();
    }
  });

  it('a worker that cannot start: init() resolves on one thread and says why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      setThreadHost({ ...nodeThreadHost, spawn: () => { throw new Error('no threads here (test)'); } });
      const info = await init({ backend: 'wasm-simd', threads: 2 });
      expect(info.threads).toBe(1);
      // the workers start after init() resolves (at the next turn of the event loop)
      const ready = await threadsReady();
      expect(ready.threads).toBe(1);
      expect(ready.threadsReason).toMatch(/worker 1 could not start: no threads here \(test\)/);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/descent: worker 1 could not start: no threads here \(test\); running on one thread/));
      // a worker script that fails to load
      setThreadHost({
        ...nodeThreadHost,
        spawn: (on) => {
          setTimeout(() => on.error(new Error('Cannot find module worker.js (test)')), 5);
          return { post: () => {}, terminate: () => {} };
        },
      });
      await init({ backend: 'wasm-scalar', threads: 3 });
      const again = await threadsReady();
      expect(again.threads).toBe(1);
      expect(again.threadsReason).toMatch(/Cannot find module worker\.js/);
    } finally {
      setThreadHost(nodeThreadHost);
      warn.mockRestore();
    }
  });

  it('no thread host (the workerd and edge entries): one thread, and the reason', async () => {
    setThreadHost(null);
    try {
      const info = await init({ backend: 'wasm-simd', threads: 2 });
      expect(info).toMatchObject({ threads: 1 });
      expect(info.threadsReason).toMatch(/cannot start workers/);
    } finally {
      setThreadHost(nodeThreadHost);
    }
  });

  it('a kernel that traps on a worker throws a clear error on the caller', async () => {
    const b = await withThreads('wasm-simd', 2);
    const bad = b.memory.buffer.byteLength - 4 * 1000; // the chunks past the end trap
    expect(() => b.k.f32_fill(bad, 1, 200_000)).toThrow(/descent: a kernel failed on a thread \(f32_fill\): .*out of bounds/);
    // the pool still works afterwards
    const p = param(seeded(100_000, 2));
    b.k.f32_fill(p.ptr, 3, 100_000);
    expect(p.data.every((v) => v === 3)).toBe(true);
  });
});

describe('zero-copy views over a shared memory that grows', () => {
  it('tensor.data follows growth; an older view still sees the same memory', async () => {
    const b = await withThreads('wasm-simd', 2);
    const t = tensor(seeded(1000, 9));
    const old = t.data;
    expect(Object.prototype.toString.call(old.buffer)).toBe('[object SharedArrayBuffer]');
    const before = b.memory.buffer.byteLength;
    const big = param(new Float32Array(8 * 1048576)); // 32 MiB: grows the memory
    expect(b.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(t.data.buffer.byteLength).toBe(b.memory.buffer.byteLength);
    old[0] = 42;
    expect(t.data[0]).toBe(42);
    expect(bits(t.data.slice(1))).toBe(bits(seeded(1000, 9).slice(1)));
    big.dispose();
    t.dispose();
  });
});
