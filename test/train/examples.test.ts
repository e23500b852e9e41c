// The @example of fitDetailed, fitAsync, fitAsyncDetailed, DivergenceError and History.toJSON, run
// as written (with a small model and data in place of the examples' placeholders).
import { describe, expect, it } from 'vitest';
import { DivergenceError, fit, fitAsync, fitAsyncDetailed, fitDetailed, History, LinearRegression } from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

const X = [[0, 1], [1, 0], [1, 1], [0, 0], [2, 1], [1, 2]];
const y = [1, 1, 2, 0, 3, 3];

describe.each(BACKENDS)('training TSDoc examples on %s', (backend) => {
  it('fitDetailed hands over the optimizer it built; fitAsync takes a signal', async () => {
    await useBackend(backend);
    const model = new LinearRegression({ nFeatures: 2 });
    const { history, optimizer } = fitDetailed(model, X, y, { optimizer: 'adam', maxEpochs: 5 });
    expect(history.epochs.length).toBe(5);
    optimizer.step(); // the caller's now
    optimizer.dispose?.();
    const controller = new AbortController();
    const h2 = await fitAsync(model, X, y, { maxEpochs: 50, signal: controller.signal });
    expect(h2.epochs.length).toBe(50);
    const r = await fitAsyncDetailed(model, X, y, { optimizer: 'sgd' });
    expect(r.history.stopReason).toBe('maxEpochs');
    r.optimizer.dispose?.();
    model.dispose();
  });

  it('DivergenceError names the epoch and batch; History round-trips through JSON', async () => {
    await useBackend(backend);
    const model = new LinearRegression({ nFeatures: 2 });
    let err: unknown;
    try { fit(model, X.map((r) => r.map((v) => v * 1e6)), y, { optimizer: { name: 'sgd', lr: 1e6 }, maxEpochs: 50 }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DivergenceError);
    const e = err as DivergenceError;
    expect(e.epoch).toBeGreaterThanOrEqual(1);
    expect(e.batch).toBeGreaterThanOrEqual(1);
    expect(['loss', 'gradient']).toContain(e.what);
    expect(e.stateRolledBack).toBe(true);
    const history = e.history as History;
    const copy = History.fromJSON(JSON.parse(JSON.stringify(history.toJSON())));
    expect(copy.batchLoss).toEqual(history.batchLoss);
    expect(copy.stopReason).toBe('aborted');
    model.dispose();
  });
});
