import { describe, expect, it } from 'vitest';
import { axpy, copy, dot, fill, scale, sum, sumsq, tensor, backendName } from '../../src/entry/node.js';
import { BACKENDS, SIZES, sameBits, seeded, useBackend } from '../helpers/backends.js';

const fr = Math.fround;

/** Runs `f` on every backend and returns the results keyed by backend. */
async function onEveryBackend<T>(f: () => T): Promise<Record<string, T>> {
  const out: Record<string, T> = {};
  for (const b of BACKENDS) {
    await useBackend(b);
    expect(backendName()).toBe(b);
    out[b] = f();
  }
  return out;
}

describe.each(SIZES)('blas1 at n = %i', (n) => {
  const x0 = seeded(n, 1), y0 = seeded(n, 2);
  const a = 0.7312;

  it('axpy matches float64 within (|ref|+1)·1e-6 and is bit-identical on every backend', async () => {
    const r = await onEveryBackend(() => {
      const x = tensor(x0), y = tensor(y0), out = tensor.zeros(n);
      axpy(out, a, x, y);
      return out.toArray();
    });
    for (let i = 0; i < n; i++) {
      const ref = fr(a) * x0[i] + y0[i];
      expect(Math.abs(r.js[i] - ref)).toBeLessThanOrEqual((Math.abs(ref) + 1) * 1e-6);
    }
    expect(sameBits(r['wasm-simd'], r.js)).toBe(true);
    expect(sameBits(r['wasm-scalar'], r.js)).toBe(true);
  });

  it('axpy with out aliasing x and out aliasing y', async () => {
    const r = await onEveryBackend(() => {
      const x = tensor(x0), y = tensor(y0);
      axpy(x, a, x, y); // out === x
      const x2 = tensor(x0), y2 = tensor(y0);
      axpy(y2, a, x2, y2); // out === y
      return [x.toArray(), y2.toArray()];
    });
    for (const b of BACKENDS) {
      for (let i = 0; i < n; i++) {
        const ref = fr(fr(fr(a) * x0[i]) + y0[i]);
        expect(r[b][0][i]).toBe(ref);
        expect(r[b][1][i]).toBe(ref);
      }
    }
  });

  it('fill, copy and scale (also in place) are exact on every backend', async () => {
    const r = await onEveryBackend(() => {
      const x = tensor(x0), f = tensor.zeros(n), c = tensor.zeros(n), s = tensor.zeros(n);
      fill(f, -2.5);
      copy(c, x);
      scale(s, a, x);
      scale(x, a, x); // in place
      return [f.toArray(), c.toArray(), s.toArray(), x.toArray()];
    });
    for (const b of BACKENDS) {
      const [f, c, s, inPlace] = r[b];
      expect(Array.from(f)).toEqual(new Array(n).fill(-2.5));
      expect(sameBits(c, x0)).toBe(true);
      for (let i = 0; i < n; i++) expect(s[i]).toBe(fr(fr(a) * x0[i]));
      expect(sameBits(inPlace, s)).toBe(true);
    }
  });

  it('dot, sum and sumsq: float32 reductions within n·2⁻²³·Σ|terms| of float64, bit-identical across backends', async () => {
    const r = await onEveryBackend(() => {
      const x = tensor(x0), y = tensor(y0);
      return [dot(x, y), sum(x), sumsq(x), dot(x, x)];
    });
    let d = 0, dAbs = 0, s = 0, sAbs = 0, q = 0;
    for (let i = 0; i < n; i++) {
      d += x0[i] * y0[i]; dAbs += Math.abs(x0[i] * y0[i]);
      s += x0[i]; sAbs += Math.abs(x0[i]);
      q += x0[i] * x0[i];
    }
    const tol = (abs: number) => (n + 2) * 2 ** -23 * abs + 1e-30;
    const [rd, rs, rq, rxx] = r.js;
    expect(Math.abs(rd - d)).toBeLessThanOrEqual(tol(dAbs));
    expect(Math.abs(rs - s)).toBeLessThanOrEqual(tol(sAbs));
    expect(Math.abs(rq - q)).toBeLessThanOrEqual(tol(q));
    expect(rq).toBe(rxx);
    for (const b of BACKENDS) expect(r[b]).toEqual(r.js);
  });
});

describe('blas1 argument checks', () => {
  it('rejects tensors of different sizes with a RangeError naming them', async () => {
    await useBackend('wasm-simd');
    const x = tensor([1, 2, 3]), y = tensor([1, 2]);
    expect(() => axpy(x, 1, x, y)).toThrow(RangeError);
    expect(() => axpy(x, 1, x, y)).toThrow(/y has 2 elements but out has 3/);
    expect(() => dot(x, y)).toThrow(/pass tensors of equal size/);
  });

  it('rejects a tensor made on another backend instead of reading foreign memory', async () => {
    await useBackend('wasm-simd');
    const x = tensor([1, 2, 3]);
    await useBackend('js');
    const y = tensor([1, 2, 3]);
    expect(() => dot(x, y)).toThrow(/created on the wasm-simd backend, which init\(\) has since replaced with js/);
  });
});
