/**
 * What f32_elasticnet_penalty computes, checked on the js backend (the reference): the value
 * against float64, the gradient formula exactly, the value-only call the same, w untouched. That
 * every backend returns the same bits is test/kernels/parity.test.ts (from the manifest).
 */
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/init.js';
import { SIZES, sameBits, seeded, useBackend } from '../helpers/backends.js';

const CASES: Array<[string, number, number]> = [['l2', 0, 0.3], ['l1', 0.2, 0], ['elasticnet', 0.05, 0.45]];

describe.each(SIZES)('f32_elasticnet_penalty at n = %i', (n) => {
  const w0 = seeded(n, 4, 2);
  if (n > 3) { w0[1] = 0; w0[2] = -0; }
  const g0 = seeded(n, 5);

  it.each(CASES)('%s: value within n·2⁻²³ of float64, gradient = g + l2·w + l1·sign(w) exactly', async (_name, l1, l2) => {
    const fr = Math.fround;
    const res: Record<string, { value: number; valueOnly: number; grad: Float32Array; w: Float32Array }> = {};
    for (const b of ['js'] as const) {
      await useBackend(b);
      const { k, arena, memory } = getBackend();
      const pw = arena.alloc(n * 4), pg = arena.alloc(n * 4);
      new Float32Array(memory.buffer, pw, n).set(w0);
      new Float32Array(memory.buffer, pg, n).set(g0);
      const value = k.f32_elasticnet_penalty(pg, pw, n, l1, l2);
      const valueOnly = k.f32_elasticnet_penalty(0, pw, n, l1, l2);
      res[b] = {
        value, valueOnly,
        grad: new Float32Array(getBackend().memory.buffer, pg, n).slice(),
        w: new Float32Array(getBackend().memory.buffer, pw, n).slice(),
      };
      arena.free(pw); arena.free(pg);
    }
    let abs = 0, sq = 0;
    for (let i = 0; i < n; i++) { abs += Math.abs(w0[i]); sq += w0[i] * w0[i]; }
    const ref = fr(l1) * abs + 0.5 * fr(l2) * sq;
    const r = res.js;
    expect(Math.abs(r.value - ref)).toBeLessThanOrEqual((n + 2) * 2 ** -23 * ref + 1e-30);
    expect(r.valueOnly).toBe(r.value);
    expect(sameBits(r.w, w0)).toBe(true);
    for (let i = 0; i < n; i++) {
      const s = w0[i] > 0 ? fr(l1) : w0[i] < 0 ? -fr(l1) : 0;
      expect(r.grad[i]).toBe(fr(g0[i] + fr(fr(fr(l2) * w0[i]) + s)));
    }
  });
});
