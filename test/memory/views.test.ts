import { describe, expect, it } from 'vitest';
import { axpy, dot, init, memoryStats, param, tensor } from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

describe.each(BACKENDS)('zero-copy views on %s', (backend) => {
  it('a write through p.data is what the next kernel reads, and kernels write into p.data', async () => {
    await useBackend(backend);
    const p = param([1, 2, 3]);
    const q = tensor([1, 1, 1]);
    const d = p.data;
    d[1] = 10; // no copy
    expect(dot(p, q)).toBe(14);
    axpy(p, 2, q, p);
    expect(Array.from(d)).toEqual([3, 12, 5]); // same view sees the kernel's write
    expect(p.grad.length).toBe(3);
    expect(Array.from(p.grad)).toEqual([0, 0, 0]);
    p.grad[2] = 7;
    expect(p.gradTensor.data[2]).toBe(7);
  });

  it('every earlier handle still reads and writes the right values after many growths', async () => {
    await useBackend(backend);
    const handles: { p: ReturnType<typeof param>; v: number }[] = [];
    const start = memoryStats().bytesReserved;
    let grew = 0;
    for (let round = 0; round < 24; round++) {
      const before = memoryStats().bytesReserved;
      const big = param.zeros(256 * 1024 + round); // ~1 MiB each, far past the initial 1 MiB overall
      big.data[big.size - 1] = round;
      big.grad[0] = -round;
      handles.push({ p: big, v: round });
      if (memoryStats().bytesReserved > before) grew++;
      for (const h of handles) {
        expect(h.p.data[h.p.size - 1]).toBe(h.v);
        expect(h.p.grad[0]).toBe(-h.v);
        h.p.data[0] = h.v + 0.5; // write through a rebuilt view
      }
    }
    expect(grew).toBeGreaterThanOrEqual(4);
    expect(memoryStats().bytesReserved).toBeGreaterThan(start * 16);
    for (const h of handles) expect(h.p.data[0]).toBe(h.v + 0.5);
    for (const h of handles) h.p.dispose();
  });

  it('past maxMemoryMB: RangeError naming the request and the limit; the arena stays usable', async () => {
    await init({ backend, maxMemoryMB: 8 });
    const keep = param([1, 2, 3]);
    const before = memoryStats();
    expect(() => param.zeros(4 * 1024 * 1024)).toThrow(RangeError);
    expect(() => param.zeros(4 * 1024 * 1024)).toThrow(/16777216 bytes.*limit of 8 MiB \(maxMemoryMB\).*init\(\{ maxMemoryMB \}\)/);
    expect(memoryStats().blocks).toBe(before.blocks);
    const after = param([4, 5]);
    expect(Array.from(keep.data)).toEqual([1, 2, 3]);
    expect(Array.from(after.data)).toEqual([4, 5]);
    await init({ backend, maxMemoryMB: 1024 });
  });

  it('dispose frees the memory; use after dispose throws; a second dispose does nothing', async () => {
    await useBackend(backend);
    const before = memoryStats();
    const p = param([1, 2, 3, 4, 5]);
    expect(memoryStats().blocks).toBe(before.blocks + 2);
    p.dispose();
    expect(memoryStats()).toEqual(before);
    expect(() => p.data).toThrow(/disposed/);
    expect(() => p.grad).toThrow(/disposed/);
    expect(() => p.dispose()).not.toThrow();
    expect(memoryStats()).toEqual(before);
  });

  it('param() validates its input', async () => {
    await useBackend(backend);
    expect(param(2.5).size).toBe(1);
    expect(param(2.5).data[0]).toBe(2.5);
    expect(param([]).size).toBe(0);
    expect(() => param([1, NaN])).toThrow(/init\[1\] is NaN/);
    expect(() => param('x' as any)).toThrow(TypeError);
    expect(() => param.zeros(-1)).toThrow(RangeError);
    expect(() => param.zeros(1.5)).toThrow(RangeError);
    expect(param.zeros(3, { name: 'w' }).name).toBe('w');
  });
});
