import { describe, expect, it } from 'vitest';
import { init, memoryStats } from '../../src/entry/node.js';
import { minimize } from '../../src/minimize/index.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

// f(x) = ½ Σ c_i (x_i − 1)², c_i in [1, 4]: minimum at 1 everywhere.
function problem(n: number) {
  const c = Float64Array.from({ length: n }, (_, i) => 1 + 3 * ((i * 7919) % 1000) / 1000);
  return {
    f: (x: Float64Array) => { let s = 0; for (let i = 0; i < n; i++) s += 0.5 * c[i] * (x[i] - 1) ** 2; return s; },
    grad: (x: Float64Array, out: Float64Array) => { for (let i = 0; i < n; i++) out[i] = c[i] * (x[i] - 1); },
    x0: new Float64Array(n),
  };
}
const isF32 = (x: Float64Array) => x.every((v) => Math.fround(v) === v);

describe('minimize on the optimizer kernels for large x (n >= 4096)', () => {
  for (const method of ['gd', 'momentum', 'nesterov', 'adam', 'rmsprop', 'adagrad'] as const) {
    it(`${method}: n = 5000 runs on the float32 kernels, agrees with the float64 path, and frees its memory`, async () => {
      await init({ backend: 'wasm-simd' });
      const { f, grad, x0 } = problem(5000);
      const lr = method === 'adam' ? 0.05 : method === 'adagrad' ? 0.5 : method === 'rmsprop' ? 0.01 : 0.1;
      const before = memoryStats().bytesInUse;
      const opts = { method, lr, maxIter: 300, tol: 1e-4 } as const;
      const k = minimize(f, x0, { grad, ...opts } as any);
      expect(memoryStats().bytesInUse).toBe(before);
      expect(isF32(k.x)).toBe(true); // every iterate went through float32
      const d = minimize(f, x0, { grad: grad,  ...opts, useKernels: false } as any);
      expect(isF32(d.x)).toBe(false);
      expect(k.nIter).toBeGreaterThan(5);
      for (let i = 0; i < 5000; i += 499) expect(Math.abs(k.x[i] - d.x[i])).toBeLessThan(2e-3);
      expect(Math.abs(k.fun - d.fun)).toBeLessThan(1e-3 + 1e-3 * Math.abs(d.fun));
    });
  }

  it('below 4096 coordinates, or on the js backend, auto stays in float64', async () => {
    await init({ backend: 'wasm-simd' });
    const small = problem(4095);
    expect(isF32(minimize(small.f, small.x0, { grad: small.grad,  method: 'adam', lr: 0.05, maxIter: 20 } as any).x)).toBe(false);
    await useBackend('js');
    const big = problem(5000);
    expect(isF32(minimize(big.f, big.x0, { grad: big.grad,  method: 'adam', lr: 0.05, maxIter: 20 } as any).x)).toBe(false);
  });

  it.each(BACKENDS)('useKernels: true gives the same float32 iterates on %s', async (backend) => {
    await useBackend(backend);
    const { f, grad, x0 } = problem(4100);
    const r = minimize(f, x0, { grad: grad,  method: 'adam', lr: 0.05, maxIter: 30, useKernels: true } as any);
    expect(isF32(r.x)).toBe(true);
    // Bit-identical across backends: compare with a fingerprint computed on the first one.
    (globalThis as any).__fp ??= {};
    const fp = Array.from(r.x.subarray(0, 64));
    (globalThis as any).__fp[backend] = fp;
    if ((globalThis as any).__fp['wasm-simd']) expect(fp).toEqual((globalThis as any).__fp['wasm-simd']);
  });
});
