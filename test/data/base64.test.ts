import { describe, expect, it } from 'vitest';
import { base64Decode, base64Float32 } from '../../src/data/base64.js';
import { Prng } from '../../src/util/prng.js';

const bytes = (seed: number, n: number) => {
  const r = new Prng(seed);
  return Uint8Array.from({ length: n }, () => r.nextInt(256));
};

describe('base64Decode (the built-in data sets)', () => {
  it('equals Buffer.from(s, "base64") for every length mod 3, with and without padding', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 6, 100, 1001, 65_537]) {
      const data = bytes(n + 10, n);
      const s = Buffer.from(data).toString('base64');
      expect(Buffer.from(base64Decode(s)).equals(Buffer.from(data)), `n=${n}`).toBe(true);
      expect(Buffer.from(base64Decode(s.replace(/=+$/, ''))).equals(Buffer.from(data)), `n=${n} unpadded`).toBe(true);
    }
  });

  it('names the first character that is not base64, wherever it is', () => {
    expect(() => base64Decode('ab$d')).toThrow(/built-in data corrupt \(bad base64 at 2\)/);
    expect(() => base64Decode('abcdab\u0100d')).toThrow(/bad base64 at 6/);
    expect(() => base64Decode('abcdef!')).toThrow(/bad base64 at 6/); // in the tail
    expect(() => base64Decode('abcde')).toThrow(/bad base64 length/);
  });
});

describe('base64Float32', () => {
  it('gives back float32 values bit for bit (incl. -0, subnormals, ±Infinity, NaN)', () => {
    const values = new Float32Array([1.5, -0, 1e-40, -3.4e38, Infinity, -Infinity, NaN, Math.fround(0.1)]);
    const s = Buffer.from(values.buffer).toString('base64');
    const got = base64Float32(s, values.length);
    expect(Buffer.from(got.buffer).equals(Buffer.from(values.buffer))).toBe(true);
    expect(Object.is(got[1], -0)).toBe(true);
  });

  it('refuses a text that does not hold exactly n values', () => {
    const s = Buffer.from(new Float32Array([1, 2, 3]).buffer).toString('base64');
    expect(() => base64Float32(s, 4)).toThrow(/built-in data corrupt \(3 of 4 values\)/);
  });
});
