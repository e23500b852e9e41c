// fit's mini-batch gather: data up to 4 Mi values is kept in the backend's memory and each batch
// gathered by one kernel call (f32_embedding); larger data is copied row by row from fit's own copy.
// Both give the batches the rows of the shuffled order, and fit frees what it allocated either way.
import { describe, expect, it } from 'vitest';
import { LinearRegression, fit, memoryStats } from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

/** rows×cols of y = Σ x_j / cols with x in [-1, 1) (a xorshift), flat. */
function data(rows: number, cols: number) {
  const X = new Float32Array(rows * cols), y = new Float32Array(rows);
  let s = 12345;
  for (let i = 0; i < rows; i++) {
    let t = 0;
    for (let j = 0; j < cols; j++) {
      s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
      const v = ((s >>> 0) / 4294967296) * 2 - 1;
      X[i * cols + j] = v;
      t += v;
    }
    y[i] = t / cols;
  }
  return { X: { data: X, shape: [rows, cols] as [number, number] }, y };
}

describe.each(BACKENDS)('fit gathers batches on %s', (backend) => {
  it('small data (resident, one gather kernel a batch): each batch holds rows of the order; memory comes back', async () => {
    await useBackend(backend);
    const { X, y } = data(50, 3);
    const before = memoryStats().bytesInUse;
    const m = new LinearRegression({ nFeatures: 3 });
    const seen: number[][] = [];
    // a model wrapper that records the batches it is given: every row must be a row of X
    const spy = Object.create(m, {
      lossAndGrad: { value: (bx: { data: Float32Array; shape: number[] }, by: ArrayLike<number>, o: object) => {
        const [r, c] = bx.shape;
        for (let i = 0; i < r; i++) seen.push([...bx.data.subarray(i * c, (i + 1) * c), by[i]]);
        return m.lossAndGrad(bx, by, o);
      } },
    });
    fit(spy, X, y, { optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 8, maxEpochs: 2, seed: 3 });
    expect(seen.length).toBe(100);
    const key = (r: number[]) => r.join(',');
    const rows = new Set(Array.from({ length: 50 }, (_, i) => key([...X.data.subarray(i * 3, i * 3 + 3), y[i]])));
    for (const r of seen) expect(rows.has(key(r))).toBe(true);
    expect(new Set(seen.slice(0, 50).map(key)).size).toBe(50); // an epoch visits every row once
    m.dispose();
    expect(memoryStats().bytesInUse).toBe(before); // fit freed its own (resident rows too); dispose the model's
  });
});

describe('fit on data too large to keep resident', () => {
  it('copies rows from its own copy instead, trains, and frees everything', async () => {
    await useBackend('wasm-simd');
    const rows = 4200, cols = 1000; // 4.2 Mi values, over the 4 Mi resident limit
    const { X } = data(rows, cols);
    const y = Float32Array.from({ length: rows }, (_, i) => X.data[i * cols]); // y = x₀: something to learn
    const before = memoryStats().bytesInUse;
    const m = new LinearRegression({ nFeatures: cols });
    const h = fit(m, X, y, { optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 700, maxEpochs: 2, seed: 0 });
    expect(h.batchLoss.length).toBe(12);
    expect(h.loss[1]).toBeLessThan(h.loss[0]);
    m.dispose(); // the model's parameters and workspaces; fit's batches, copies and rollback are already freed
    expect(memoryStats().bytesInUse).toBe(before);
  });
});

describe.each(BACKENDS)('fit with a growing memory on %s', (backend) => {
  it('the resident copy grows the memory and the last batch is short: the batch views are taken afresh', async () => {
    await useBackend(backend);
    // enough rows that keeping them resident needs more memory than is reserved now, and n % batch ≠ 0
    const cols = 16;
    const rows = Math.ceil(memoryStats().bytesReserved / 4 / cols) + 3;
    const { X, y } = data(rows, cols);
    const reserved = memoryStats().bytesReserved;
    const m = new LinearRegression({ nFeatures: cols });
    const h = fit(m, X, y, { optimizer: { name: 'sgd', lr: 0.05 }, batchSize: 1024, maxEpochs: 1, seed: 1 });
    expect(memoryStats().bytesReserved).toBeGreaterThan(reserved);
    expect(h.batchLoss.length).toBe(Math.ceil(rows / 1024));
    expect(h.batchLoss.every(Number.isFinite)).toBe(true);
    m.dispose();
  });
});
