/**
 * Every kernel of the manifest (scripts/manifest.mjs) on every backend against its plain-JS
 * reference, called directly: each dimension through the house sizes {0, 1, 3, 4, 5, 7, 8, 15, 16,
 * 17, 33, 1000}, every enum value and flag combination, optional pointers present and absent, each
 * declared alias pair (out === x, ...), on seeded finite data and on data holding ±0, subnormals,
 * huge values, ±Inf and NaN. Kernels designed to agree bit for bit must (NaN payloads aside);
 * the manifest states the looser tolerance of the others (f32_gemm: a float32 sum of K products;
 * the losses' f64 return values). Guard elements around every buffer catch writes outside it, and
 * differ between the backend and the reference so that reads past the end show too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parityCases } from '../../scripts/kernel-harness.mjs';
import type { Backend } from '../../src/backend/index.js';
import { KERNELS, checkCase, everyBackend } from '../helpers/kernels.js';

let backends: Array<[string, Backend]>;
beforeAll(async () => {
  backends = await everyBackend();
});

const families = [...new Set(KERNELS.map((k) => k.family))];

describe.each(families)('%s kernels: every backend against the reference', (family) => {
  const kernels = KERNELS.filter((k) => k.family === family && k.parity === null);
  it.each(kernels.map((k) => [k.name, k] as const))('%s', (_name, k) => {
    const cases = parityCases(k);
    expect(cases.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const c of cases) {
      const why = checkCase(k, c, backends);
      if (why) failures.push(why);
      if (failures.length >= 5) break;
    }
    expect(failures).toEqual([]);
  });
});

describe('the parity matrix covers the manifest', () => {
  it('every kernel is compared, or says why it cannot be', () => {
    for (const k of KERNELS) {
      if (k.parity !== null) expect(k.parity.length).toBeGreaterThan(10);
    }
    expect(KERNELS.filter((k) => k.parity === null).length).toBeGreaterThanOrEqual(KERNELS.length - 4);
    expect(KERNELS.map((k) => k.name)).toContain('f32_find_nonfinite');
  });
});

describe('the parity check can fail', () => {
  /** A backend whose kernel `name` is replaced by `f` (given the real kernels and the memory). */
  const tampered = (name: string, f: (k: any, mem: () => Float32Array, ...a: number[]) => unknown): Array<[string, Backend]> =>
    backends.slice(0, 1).map(([n, b]) => [n, { ...b, k: { ...b.k, [name]: (...a: number[]) => f(b.k, () => new Float32Array(b.memory.buffer), ...a) } } as Backend]);
  const kernel = (name: string) => KERNELS.find((k) => k.name === name)!;
  const anyFails = (name: string, bs: Array<[string, Backend]>) => parityCases(kernel(name)).some((c) => checkCase(kernel(name), c, bs) !== null);

  it('catches a last element one ulp off, a write past n, a read past n, and a GEMM outside its bound', () => {
    const ulpOff = tampered('f32_axpy', (k, mem, out, a, x, y, n) => {
      k.f32_axpy(out, a, x, y, n);
      if (n > 16) { const m = mem(), i = (out >>> 2) + n - 1; m[i] = m[i] === 0 ? 1e-45 : m[i] * (1 + 2 ** -23); }
    });
    const writesPast = tampered('f32_relu', (k, mem, out, x, n) => { k.f32_relu(out, x, n); if (n > 0) mem()[(out >>> 2) + n] = 0; });
    const readsPast = tampered('f32_sum', (k, mem, x, n) => Math.fround(k.f32_sum(x, n) + (n > 4 ? mem()[(x >>> 2) + n] : 0)));
    const gemmOff = tampered('f32_gemm', (k, mem, ...a) => {
      k.f32_gemm(...a);
      const [, , M, N, K, , , , , , , C] = a;
      if (M > 0 && N > 0 && K > 8) mem()[C >>> 2] *= 1.001;
    });
    expect(anyFails('f32_axpy', ulpOff)).toBe(true);
    expect(anyFails('f32_relu', writesPast)).toBe(true);
    expect(anyFails('f32_sum', readsPast)).toBe(true);
    expect(anyFails('f32_gemm', gemmOff)).toBe(true);
    // and the untampered backend passes the same cases
    expect(anyFails('f32_axpy', backends.slice(0, 1))).toBe(false);
  });
});
