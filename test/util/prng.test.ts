import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/util/prng.js';

describe('Prng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Prng(42), b = new Prng(42), c = new Prng(43);
    const sa = Array.from({ length: 8 }, () => a.nextU32());
    const sb = Array.from({ length: 8 }, () => b.nextU32());
    const sc = Array.from({ length: 8 }, () => c.nextU32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('gives floats in [0, 1) with a uniform mean and normals with unit variance', () => {
    const r = new Prng(1);
    let sum = 0, sq = 0, lo = 1, hi = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) { const u = r.nextFloat(); sum += u; lo = Math.min(lo, u); hi = Math.max(hi, u); }
    expect(sum / n).toBeCloseTo(0.5, 1);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    sum = 0;
    for (let i = 0; i < n; i++) { const z = r.nextNormal(); sum += z; sq += z * z; }
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
  });

  it('nextInt is in range and covers it', () => {
    const r = new Prng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) { const k = r.nextInt(10); expect(k).toBeGreaterThanOrEqual(0); expect(k).toBeLessThan(10); seen.add(k); }
    expect(seen.size).toBe(10);
    expect(() => r.nextInt(0)).toThrow(RangeError);
  });

  it('round-trips its state and shuffles to a permutation', () => {
    const r = new Prng(5);
    r.nextU32();
    const s = r.getState();
    const x = [r.nextU32(), r.nextU32()];
    r.setState(s);
    expect([r.nextU32(), r.nextU32()]).toEqual(x);
    const p = new Prng(9).permutation(100);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(p)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(() => r.setState([0, 0, 0, 0])).toThrow(RangeError);
    expect(() => new Prng(NaN)).toThrow(RangeError);
    expect(() => new Prng(1.5)).toThrow(/seed must be a whole number, got 1\.5/);
    expect(() => new Prng('1' as never)).toThrow(TypeError);
  });

  it('shuffles as Fisher–Yates over nextInt(i + 1) would, draw for draw (the draws are written out in shuffle)', () => {
    const reference = (seed: number, n: number) => {
      const r = new Prng(seed), a = Uint32Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) { const j = r.nextInt(i + 1); const t = a[i]; a[i] = a[j]; a[j] = t; }
      return { a, state: r.getState() };
    };
    // sizes across one draw's 2^21 boundary: the two largest indices of the last take below()'s other branch
    for (const [seed, n] of [[0, 2], [1, 3], [7, 1437], [42, 4099], [3, 2 ** 21 + 2]] as const) {
      const r = new Prng(seed), a = Uint32Array.from({ length: n }, (_, i) => i);
      r.shuffle(a);
      const ref = reference(seed, n);
      expect(a.every((v, i) => v === ref.a[i])).toBe(true);
      expect(r.getState()).toEqual(ref.state);
    }
  });

  it('draws the same values as its first release (state in an Int32Array, remainders by division below 2^21)', () => {
    // pinned from the implementation with four number fields and `%` (commit f4e399a)
    const r = new Prng(42);
    expect(Array.from({ length: 6 }, () => r.nextU32())).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180, 113173290]);
    expect(r.getState()).toEqual([679431238, 1949896667, 1352712987, 4116562469]);
    const q = new Prng(3);
    expect([7, 1437, 2 ** 21 - 1, 2 ** 21, 3e9, 2 ** 32].map((n) => q.nextInt(n))).toEqual([2, 110, 1305301, 1103211, 2507546218, 1761432348]);
    expect(Array.from(new Prng(1).permutation(12))).toEqual([9, 6, 10, 3, 5, 4, 0, 11, 8, 1, 7, 2]);
  });

  it('nextInt(n) is the rejection rule r mod n on each side of 2^21', () => {
    for (const n of [3, 1000, 2 ** 21 - 3, 2 ** 21 + 5, 2 ** 31 + 7]) {
      const a = new Prng(11), b = a.clone();
      const limit = 4294967296 - (4294967296 % n);
      for (let i = 0; i < 200; i++) {
        let u = b.nextU32();
        while (u >= limit) u = b.nextU32();
        expect(a.nextInt(n)).toBe(u % n);
      }
    }
  });
});
