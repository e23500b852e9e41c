// The @example of the models' loss calls, checkData, toJSON and fromJSON, run as written.
import { describe, expect, it } from 'vitest';
import { LinearRegression, MLP, modelFromJSON, SoftmaxRegression, softmaxCrossEntropy, softmaxCrossEntropyLoss } from '../../src/entry/node.js';
import { BACKENDS, useBackend } from '../helpers/backends.js';

describe.each(BACKENDS)('model TSDoc examples on %s', (backend) => {
  it('lossAndGrad, loss, checkData, toJSON / fromJSON', async () => {
    await useBackend(backend);
    const m = new LinearRegression({ nFeatures: 1 });
    expect(m.lossAndGrad([[1], [2]], [2, 4])).toBe(10); // ((0 - 2)² + (0 - 4)²) / 2
    expect(Array.from(m.parameters()[0].grad)).toEqual([-10]); // 2·mean((p − t)·x)
    expect(new LinearRegression({ nFeatures: 1 }).loss([[1]], [3])).toBe(9);
    const s = new SoftmaxRegression({ nFeatures: 1, nClasses: 2 });
    expect(() => s.checkData({ data: Float32Array.from([1, 2]), shape: [2, 1] }, [0, 1])).not.toThrow();
    expect(() => s.checkData({ data: Float32Array.from([1, 2]), shape: [2, 1] }, [0, 2])).toThrow(/y\[1\] is 2/);
    // names.xFinite: the caller (fit) has scanned X itself, so that scan is skipped; columns and labels are still checked
    const names = { fn: 'mine', X: 'X', y: 'y' };
    expect(() => s.checkData({ data: Float32Array.from([1, NaN]), shape: [2, 1] }, [0, 1], names)).toThrow(/mine: X/);
    expect(() => s.checkData({ data: Float32Array.from([1, NaN]), shape: [2, 1] }, [0, 1], { ...names, xFinite: true })).not.toThrow();
    expect(() => s.checkData({ data: Float32Array.from([1, 2]), shape: [2, 1] }, [0, 2], { ...names, xFinite: true })).toThrow(/y\[1\] is 2/);
    expect(() => s.checkData({ data: Float32Array.from([1, 2]), shape: [1, 2] }, [0], { ...names, xFinite: true })).toThrow(/feature/);
    const net = new MLP({ layers: [2, 3, 2], seed: 4 });
    const copy = modelFromJSON(JSON.parse(JSON.stringify(net.toJSON())));
    expect(copy.parameters().map((p) => Array.from(p.data))).toEqual(net.parameters().map((p) => Array.from(p.data)));
    const again = LinearRegression.fromJSON(m.toJSON());
    expect(Array.from(again.parameters()[0].data)).toEqual(Array.from(m.parameters()[0].data));
    for (const x of [m, s, net, copy, again]) x.dispose();
  });

  it('softmaxCrossEntropyLoss, and its deprecated old name', async () => {
    await useBackend(backend);
    expect(softmaxCrossEntropyLoss([[2, 0], [0, 2]], [0, 1]).loss).toBeCloseTo(Math.log1p(Math.exp(-2)), 6);
    expect(softmaxCrossEntropy).toBe(softmaxCrossEntropyLoss);
  });
});
