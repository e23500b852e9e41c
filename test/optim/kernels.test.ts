/**
 * Utility kernels of the optim family (f32_lerp, f32_absmax, f32_clamp) at the house sizes, with
 * aliasing (out === a), against exact expectations: lerp's torch formula on the reference (every
 * backend's bits against it: test/kernels/parity.test.ts), absmax and clamp on every backend.
 */
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/entry/node.js';
import { getBackend } from '../../src/init.js';
import { BACKENDS, SIZES, sameBits, seeded, useBackend } from '../helpers/backends.js';

const fr = Math.fround;

describe.each(SIZES)('optim utility kernels at n = %i', (n) => {
  const a0 = seeded(n, 3), b0 = seeded(n, 4);

  it('f32_lerp (both torch branches, in place) follows torch\'s formula and is exact at w = 1', async () => {
    const out: Record<string, Float32Array[]> = {};
    for (const be of ['js'] as const) {
      await useBackend(be);
      const k = getBackend().k;
      const res: Float32Array[] = [];
      for (const w of [0.1, 0.75, 1]) {
        const a = tensor(a0), b = tensor(b0);
        k.f32_lerp(a.ptr, a.ptr, b.ptr, w, n); // out aliases a
        res.push(a.toArray());
      }
      out[be] = res;
    }
    for (let i = 0; i < n; i++) {
      expect(out.js[0][i]).toBe(fr(a0[i] + fr(fr(0.1) * fr(b0[i] - a0[i]))));
      expect(out.js[1][i]).toBe(fr(b0[i] - fr(fr(b0[i] - a0[i]) * fr(1 - fr(0.75)))));
    }
    expect(sameBits(out.js[2], b0)).toBe(true);
  });

  it('f32_absmax and f32_clamp are exact on every backend', async () => {
    let want = 0;
    for (const x of a0) want = Math.max(want, Math.abs(x));
    for (const be of BACKENDS) {
      await useBackend(be);
      const k = getBackend().k;
      const a = tensor(a0), out = tensor.zeros(n);
      expect(k.f32_absmax(a.ptr, n)).toBe(want);
      k.f32_clamp(out.ptr, a.ptr, -0.5, 0.25, n);
      expect(Array.from(out.data)).toEqual(Array.from(a0, (x) => Math.min(Math.max(x, -0.5), 0.25)));
      k.f32_clamp(a.ptr, a.ptr, -0.5, 0.25, n); // in place
      expect(sameBits(a.data, out.data)).toBe(true);
      if (n > 2) {
        a.data[n - 1] = NaN; // in the scalar tail for most n
        expect(Number.isNaN(k.f32_absmax(a.ptr, n))).toBe(true);
      }
    }
  });
});
