import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { base64Decode, inflateRaw, unpackText } from '../../src/data/inflate.js';
import { Prng } from '../../src/util/prng.js';

/** Bytes with some structure (so deflate finds matches) and some noise, from a seed. */
function sample(seed: number, n: number): Uint8Array {
  const r = new Prng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = r.nextFloat();
    out[i] = u < 0.5 && i > 40 ? out[i - 1 - Math.floor(r.nextFloat() * 40)] : Math.floor(r.nextFloat() * (u < 0.8 ? 16 : 256)) + (u < 0.8 ? 48 : 0);
  }
  return out;
}

describe('inflateRaw (RFC 1951) against zlib', () => {
  const cases: [string, object][] = [
    ['stored blocks (level 0)', { level: 0 }],
    ['fixed Huffman blocks', { level: 6, strategy: constants.Z_FIXED }],
    ['dynamic Huffman blocks (level 9)', { level: 9 }],
    ['dynamic Huffman, level 1', { level: 1 }],
    ['Huffman only (no matches)', { level: 6, strategy: constants.Z_HUFFMAN_ONLY }],
    ['run-length matches', { level: 6, strategy: constants.Z_RLE }],
  ];
  for (const [name, opts] of cases) {
    it(`${name}: sizes 0 to 200 000 come back byte for byte`, () => {
      for (const [seed, n] of [[1, 0], [2, 1], [3, 100], [4, 65_535], [5, 70_000], [6, 200_000]]) {
        const data = sample(seed, n);
        const z = deflateRawSync(data, opts);
        expect(Buffer.from(inflateRaw(new Uint8Array(z), n)).equals(Buffer.from(data)), `${name} n=${n}`).toBe(true);
      }
    });
  }

  it('refuses a stream that is cut short, a wrong stored size, or a bad block type', () => {
    const data = sample(7, 5000);
    const z = new Uint8Array(deflateRawSync(data, { level: 9 }));
    expect(() => inflateRaw(z.subarray(0, z.length >> 1), 5000)).toThrow(/built-in data corrupt.*ends early/);
    expect(() => inflateRaw(z, 4999)).toThrow(/built-in data corrupt/);
    expect(() => inflateRaw(z, 5001)).toThrow(/inflated 5000 bytes, expected 5001/);
    expect(() => inflateRaw(new Uint8Array([0b111]), 10)).toThrow(/bad block type/);
  });
});

describe('base64Decode', () => {
  it('equals Buffer.from(s, "base64") with and without padding, and rejects other characters', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100, 1001]) {
      const data = sample(n + 10, n);
      const s = Buffer.from(data).toString('base64');
      expect(Buffer.from(base64Decode(s)).equals(Buffer.from(data))).toBe(true);
      expect(Buffer.from(base64Decode(s.replace(/=+$/, ''))).equals(Buffer.from(data))).toBe(true);
    }
    expect(() => base64Decode('ab$d')).toThrow(/bad base64 at 2/);
  });

  it('unpackText gives back the text that was packed', () => {
    const text = 'a,b,c\n1.5,2,3|0,1,2\n'.repeat(300);
    const packed = deflateRawSync(Buffer.from(text, 'latin1'), { level: 9 }).toString('base64');
    expect(unpackText(packed, text.length)).toBe(text);
  });
});
