import { describe, expect, it } from 'vitest';
import { MLP, init, memoryStats, tensor } from '../../src/entry/node.js';
import { BACKENDS, seeded, useBackend } from '../helpers/backends.js';

describe.each(BACKENDS)('models read X in place when it lives in Wasm memory (%s)', (backend) => {
  it('gives the same loss and gradients as a host copy, even when the call grows memory and detaches the view', async () => {
    // one thread: a memory that is not shared, so growth detaches (a shared memory grows in place)
    await init({ backend, threads: 1 });
    const rows = 3000, cols = 40;
    const host = seeded(rows * cols, 5);
    const y = Int32Array.from({ length: rows }, (_, i) => i % 3);
    const t = tensor(host);
    const a = new MLP({ layers: [cols, 16, 3], seed: 1 });
    const before = memoryStats().bytesReserved;
    const view = t.data;
    const la = a.lossAndGrad({ data: view, shape: [rows, cols] }, y); // first call: makes the workspace
    const grew = memoryStats().bytesReserved > before;
    const ga = a.parameters().map((p) => Array.from(p.grad));
    const b = new MLP({ layers: [cols, 16, 3], seed: 1 });
    const lb = b.lossAndGrad({ data: host, shape: [rows, cols] }, y);
    expect(la).toBe(lb);
    expect(ga).toEqual(b.parameters().map((p) => Array.from(p.grad)));
    expect(grew).toBe(true);
    expect(view.length).toBe(0); // the caller's view was detached mid-call, and the call still read the right data
  });

  it('still names a NaN by row and column', async () => {
    await useBackend(backend);
    const t = tensor(seeded(20 * 4, 2));
    t.data[2 * 4 + 3] = NaN;
    const m = new MLP({ layers: [4, 3, 2], seed: 0 });
    expect(() => m.lossAndGrad({ data: t.data, shape: [20, 4] }, new Int32Array(20))).toThrow(/row 2, column 3/);
  });
});
