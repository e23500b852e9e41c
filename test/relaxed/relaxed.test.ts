// The 'wasm-relaxed' backend (issue 13: fused multiply-add where the runtime has it), in the vitest
// project 'node-relaxed' (Node 20 with --experimental-wasm-relaxed-simd): the relaxed build against
// the reference and against wasm-simd. test/init-relaxed.test.ts checks the fall back without the flag.
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parityCases } from '../../scripts/kernel-harness.mjs';
import { probeMadd, type Backend } from '../../src/backend/index.js';
import { init, initSync, MLP, fit } from '../../src/entry/node.js';
import { getBackend } from '../../src/init.js';
import { relaxedSimdValidates } from '../../src/wasm/features.js';
import { sameBits, seeded } from '../helpers/backends.js';
import { KERNELS, checkCase } from '../helpers/kernels.js';

const FLAG = '--experimental-wasm-relaxed-simd';
const bytes = (kind: string) => readFileSync(new URL(`../../build/descent-${kind}.wasm`, import.meta.url));

afterEach(() => {
  vi.restoreAllMocks();
});

it('runs with the flag (the node-relaxed project of vitest.config.ts), so relaxed SIMD validates', () => {
  expect(process.execArgv).toContain(FLAG);
  expect(relaxedSimdValidates()).toBe(true);
});

describe('Node 20 with --experimental-wasm-relaxed-simd', () => {
  let relaxed: Backend, simd: Backend;
  beforeAll(async () => {
    await init({ backend: 'wasm-simd' });
    simd = getBackend();
    await init({ backend: 'wasm-relaxed' });
    relaxed = getBackend();
  });

  it("auto chooses wasm-relaxed on one thread and says why; forcing it and initSync with its build work too", async () => {
    vi.resetModules();
    const fresh = await import('../../src/entry/node.js');
    const info = await fresh.init({ threads: 1 });
    expect(info).toMatchObject({ name: 'wasm-relaxed', reason: 'relaxed SIMD validates and the probe computed right with a fused multiply-add', threads: 1 });
    // with threads, the threaded SIMD build runs (there is no threaded relaxed build), and the reason says so
    await fresh.init({ threads: 2 });
    const threaded = await fresh.threadsReady();
    expect(threaded).toMatchObject({ name: 'wasm-simd', threads: 2 });
    expect(threaded.reason).toMatch(/not wasm-relaxed: 2 threads planned and the relaxed build has no threaded build/);
    // asked for by name, it runs, on one thread
    expect(await fresh.init({ backend: 'wasm-relaxed', threads: 2 })).toMatchObject({ name: 'wasm-relaxed', threads: 1, threadsReason: expect.stringMatching(/relaxed build has no threaded build/) });
    fresh.dispose();
    expect((await init({ backend: 'wasm-relaxed' })).name).toBe('wasm-relaxed');
    expect(initSync({ module: new WebAssembly.Module(bytes('relaxed')) })).toMatchObject({ name: 'wasm-relaxed', reason: 'module given' });
    // a build that is not the one asked for is refused
    await expect(init({ module: bytes('simd'), backend: 'wasm-relaxed' })).rejects.toThrow(/was given the wasm-simd build/);
  });

  it('the probe sees one rounding in the relaxed build and two in the SIMD build', () => {
    expect(probeMadd(relaxed)).toBe('fused');
    expect(probeMadd(simd)).toBe('separate');
  });

  it('every kernel matches the reference: element-wise ones bit for bit, f32_gemm within its float32 dot bound', () => {
    const failures: string[] = [];
    let checked = 0;
    // simd_probe is the multiply-add probe itself: fused here by design (checked by probeMadd above)
    for (const k of KERNELS.filter((k) => k.parity === null && k.name !== 'simd_probe')) {
      for (const c of parityCases(k)) {
        const why = checkCase(k, c, [['wasm-relaxed', relaxed]]);
        checked++;
        if (why) failures.push(why);
        if (failures.length >= 5) break;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  /** C = A·B (M×K times K×N) on backend `b`, read back. */
  function gemm(b: Backend, A: Float32Array, B: Float32Array, M: number, N: number, K: number): Float32Array {
    const pa = b.arena.alloc(A.length * 4), pb = b.arena.alloc(B.length * 4), pc = b.arena.alloc(M * N * 4);
    try {
      new Float32Array(b.memory.buffer, pa, A.length).set(A);
      new Float32Array(b.memory.buffer, pb, B.length).set(B);
      b.k.f32_gemm(0, 0, M, N, K, 1, pa, K, pb, N, 0, pc, N);
      return new Float32Array(b.memory.buffer, pc, M * N).slice();
    } finally {
      b.arena.free(pa); b.arena.free(pb); b.arena.free(pc);
    }
  }

  it('f32_gemm fuses: on data whose products round, it differs from wasm-simd in the last bits, as accurate', () => {
    const M = 16, N = 24, K = 300;
    const A = seeded(M * K, 1), B = seeded(K * N, 2);
    const r = gemm(relaxed, A, B, M, N, K), s = gemm(simd, A, B, M, N, K);
    expect(sameBits(r, s)).toBe(false);
    let errR = 0, errS = 0, maxRel = 0;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let exact = 0, abs = 0;
        for (let k = 0; k < K; k++) { exact += A[i * K + k] * B[k * N + j]; abs += Math.abs(A[i * K + k] * B[k * N + j]); }
        errR += Math.abs(r[i * N + j] - exact);
        errS += Math.abs(s[i * N + j] - exact);
        maxRel = Math.max(maxRel, Math.abs(r[i * N + j] - s[i * N + j]) / abs);
      }
    }
    // one rounding per term instead of two: the same order of accuracy (the sums' rounding dominates)
    expect(errR / errS).toBeGreaterThan(0.5);
    expect(errR / errS).toBeLessThan(2);
    expect(maxRel).toBeLessThan((K + 3) * 2 ** -23); // the manifest's dot(K) bound, relative to Σ|terms|
    expect(maxRel).toBeGreaterThan(0);
  });

  it('the element-wise kernels give the same bits as wasm-simd (they use no relaxed instruction)', () => {
    const n = 1003, x = seeded(n, 3), y = seeded(n, 4);
    const run = (b: Backend) => {
      const px = b.arena.alloc(n * 4), py = b.arena.alloc(n * 4), po = b.arena.alloc(n * 4);
      try {
        new Float32Array(b.memory.buffer, px, n).set(x);
        new Float32Array(b.memory.buffer, py, n).set(y);
        const out: number[] = [];
        b.k.f32_axpy(po, 0.37, px, py, n); out.push(...new Float32Array(b.memory.buffer, po, n));
        b.k.f32_lerp(po, px, py, 0.25, n); out.push(...new Float32Array(b.memory.buffer, po, n));
        b.k.f32_sigmoid(po, px, n); out.push(...new Float32Array(b.memory.buffer, po, n));
        b.k.f32_relu(po, px, n); out.push(...new Float32Array(b.memory.buffer, po, n));
        out.push(b.k.f32_dot(px, py, n), b.k.f32_sum(px, n));
        return out;
      } finally {
        b.arena.free(px); b.arena.free(py); b.arena.free(po);
      }
    };
    expect(sameBits(run(relaxed), run(simd))).toBe(true);
  });

  it('both peak probes run: the fused one (8 chains) and the mul+add one (12 chains)', () => {
    expect(relaxed.k.f32_madd_peak_probe(0)).toBe(36);
    expect(relaxed.k.f32_peak_probe(0)).toBe(78);
    const f = relaxed.k.f32_madd_peak_probe(1000), g = simd.k.f32_madd_peak_probe(1000);
    expect(Number.isFinite(f) && f > 0).toBe(true);
    expect(Math.abs(f - g) / g).toBeLessThan(1e-4); // the same chains, rounded once or twice per step
  });

  it('a model trains on wasm-relaxed: same seed, same bits; close to wasm-simd', async () => {
    const flat = seeded(64 * 20, 5), X = Array.from({ length: 64 }, (_, i) => Array.from(flat.subarray(i * 20, i * 20 + 20)));
    const y = Array.from({ length: 64 }, (_, i) => i % 3);
    const train = async (backend: 'wasm-relaxed' | 'wasm-simd') => {
      await init({ backend });
      const m = new MLP({ layers: [20, 16, 3], seed: 7 });
      const h = fit(m, X, y, { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 16, maxEpochs: 5, seed: 1 });
      const loss = h.loss[h.loss.length - 1];
      const w = Array.from(m.parameters()[0].data);
      m.dispose();
      return { loss, w };
    };
    const a = await train('wasm-relaxed'), b = await train('wasm-relaxed'), s = await train('wasm-simd');
    expect(sameBits(a.w, b.w)).toBe(true);
    expect(Math.abs(a.loss - s.loss)).toBeLessThan(1e-3 * Math.abs(s.loss) + 1e-4);
  });

  it('a relaxed build that fails to load is logged and auto runs wasm-simd, saying why', async () => {
    vi.resetModules();
    const fresh = await import('../../src/entry/node.js');
    const { setDefaultSources } = await import('../../src/init.js');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    setDefaultSources({
      load(kind) {
        if (kind === 'relaxed') throw new Error('descent: cannot read its WebAssembly build /x/descent-relaxed.wasm (ENOENT).');
        return new WebAssembly.Module(bytes(kind));
      },
    });
    const info = await fresh.init({ threads: 1 });
    expect(info.name).toBe('wasm-simd');
    expect(info.reason).toMatch(/not wasm-relaxed: the relaxed-SIMD build could not be loaded \(descent: cannot read .*ENOENT/);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
