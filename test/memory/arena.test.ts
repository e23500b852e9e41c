import { describe, expect, it } from 'vitest';
import { Arena } from '../../src/memory/arena.js';
import { BufferMemory, PAGE_BYTES } from '../../src/memory/linear-memory.js';
import { getBackend } from '../../src/init.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

describe('Arena', () => {
  const make = (maxPages = 64) => new Arena(new BufferMemory(1, maxPages), 16, maxPages * PAGE_BYTES);

  it('hands out 16-byte aligned, non-overlapping blocks and counts them', () => {
    const a = make();
    const sizes = [1, 15, 16, 17, 100, 4096, 3];
    const ptrs = sizes.map((s) => a.alloc(s));
    for (const p of ptrs) expect(p % 16).toBe(0);
    const spans = ptrs.map((p) => [p, p + a.sizeOf(p)!]).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
    const s = a.stats();
    expect(s.blocks).toBe(sizes.length);
    expect(s.bytesInUse).toBe(sizes.reduce((t, n) => t + Math.max(16, Math.ceil(n / 16) * 16), 0));
  });

  it('reuses freed space (first fit, coalescing) and returns to zero in use', () => {
    const a = make();
    const p1 = a.alloc(64), p2 = a.alloc(64), p3 = a.alloc(64);
    a.alloc(16);
    a.free(p1);
    a.free(p2); // coalesces with p1
    expect(a.alloc(128)).toBe(p1);
    a.free(p1);
    a.free(p3);
    expect(a.alloc(192)).toBe(p1); // p1+p2+p3 coalesced
    expect(() => a.free(12345)).toThrow(RangeError);
  });

  it('grows the memory on demand and refuses past the limit with a RangeError, staying usable', () => {
    const a = make(4);
    const p = a.alloc(3 * PAGE_BYTES);
    expect(a.stats().bytesReserved).toBeGreaterThanOrEqual(3 * PAGE_BYTES);
    expect(() => a.alloc(2 * PAGE_BYTES)).toThrow(RangeError);
    expect(() => a.alloc(2 * PAGE_BYTES)).toThrow(/131072 bytes.*past the limit of 0\.25 MiB \(maxMemoryMB\)/);
    expect(a.stats().blocks).toBe(1);
    a.free(p);
    expect(a.alloc(2 * PAGE_BYTES) % 16).toBe(0);
  });
});

describe('BufferMemory (the js backend memory)', () => {
  it('detaches its old buffer on growth, as a Wasm memory does, and keeps the contents', () => {
    const m = new BufferMemory(1, 8);
    const old = m.buffer;
    new Uint8Array(old)[100] = 42;
    expect(m.grow(2)).toBe(1);
    expect(old.byteLength).toBe(0);
    expect(m.buffer.byteLength).toBe(3 * PAGE_BYTES);
    expect(new Uint8Array(m.buffer)[100]).toBe(42);
    expect(() => m.grow(6)).toThrow(RangeError);
  });
});

describe.each(BACKENDS)("the %s backend's arena", (backend) => {
  it('zeroes every block it hands out, freed (dirty) space included (wasm: with the fill kernel)', async () => {
    await useBackend(backend);
    const b = getBackend();
    const sizes = [16, 48, 4096, 368000];
    for (const n of sizes) {
      const p = b.arena.alloc(n);
      new Uint8Array(b.arena.buffer, p, n).fill(0xab); // dirty it
      b.arena.free(p);
      const q = b.arena.alloc(n); // first fit: the same space again
      expect(q).toBe(p);
      const bytes = new Uint8Array(b.arena.buffer, q, b.arena.sizeOf(q)!);
      expect(bytes.every((v) => v === 0)).toBe(true);
      b.arena.free(q);
    }
    expect(b.arena.zeroFill !== null).toBe(backend !== 'js');
  });
});
