// fit's divergence rollback puts back the optimizer's state from before the step that produced the
// non-finite parameters, bit for bit (the library's optimizers: copied by the copy kernel into
// tensors of fit's own every step), and frees those copies.
import { describe, expect, it } from 'vitest';
import { Adam, DivergenceError, LinearRegression, fit, memoryStats } from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

// rows growing tenfold: the gradient's square overflows float32 around the 11th batch
const X = Array.from({ length: 20 }, (_, i) => [10 ** i, 10 ** i / 2]);
const y = X.map(() => 1);

describe.each(BACKENDS)('fit divergence rollback on %s', (backend) => {
  it("restores Adam's step count and moments from before the last step", async () => {
    await useBackend(backend);
    const before = memoryStats().bytesInUse;
    const m = new LinearRegression({ nFeatures: 2 });
    const opt = new Adam(m.parameters(), { lr: 1 });
    const w = m.parameters()[0];
    // the state after each step (onBatchEnd runs after the step)
    const seen: Array<{ step: number; expAvg: number[]; expAvgSq: number[] }> = [];
    let err: unknown;
    try {
      fit(m, X, y, {
        optimizer: opt, batchSize: 1, shuffle: false, maxEpochs: 1,
        onBatchEnd: () => {
          const s = opt.state(w);
          seen.push({ step: s.step, expAvg: Array.from(s.expAvg as Float32Array), expAvgSq: Array.from(s.expAvgSq as Float32Array) });
        },
      });
    } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DivergenceError);
    const d = err as DivergenceError;
    expect(d.stateRolledBack).toBe(true);
    // batch B saw non-finite values from the parameters of step B − 1: the state goes back to before that step
    expect(d.batch).toBeGreaterThanOrEqual(3);
    const want = seen[d.batch - 3];
    const s = opt.state(w);
    expect(s.step).toBe(want.step);
    expect(s.step).toBe(d.batch - 2);
    expect(Array.from(s.expAvg as Float32Array)).toEqual(want.expAvg);
    expect(Array.from(s.expAvgSq as Float32Array)).toEqual(want.expAvgSq);
    expect(Array.from(s.expAvg as Float32Array)).not.toEqual(seen[d.batch - 2].expAvg);
    opt.dispose();
    m.dispose();
    expect(memoryStats().bytesInUse).toBe(before); // fit's copies of the state are freed
  });
});
