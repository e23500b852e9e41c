// FIT_BATCH (fit's options object): the model keeps the shape check of fit's batch matrix while its
// data and shape are unchanged, and checks again when either changes. Labels are fit's own (checked
// whole by checkData before the first step): copied every call, not checked again; fit refuses a
// bad label before anything changes.
import { describe, expect, it } from 'vitest';
import { SoftmaxRegression, fit } from '../../src/entry/node.js';
import { FIT_BATCH } from '../../src/models/base.js';
import { useBackend } from '../helpers/backends.js';

describe('a model given FIT_BATCH', () => {
  it('reuses the shape check only for the same, unchanged matrix; copies the labels of every call', async () => {
    await useBackend('wasm-simd');
    const m = new SoftmaxRegression({ nFeatures: 2, nClasses: 3 });
    const X = { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] as [number, number] };
    const first = m.lossAndGrad(X, Int32Array.from([0, 2]), FIT_BATCH);
    expect(m.lossAndGrad(X, Int32Array.from([0, 2]), FIT_BATCH)).toBe(first);
    // the labels are read on every call (not kept from the first), and give the loss of a checked call
    const other = m.lossAndGrad(X, Int32Array.from([1, 1]), FIT_BATCH);
    expect(other).toBe(m.lossAndGrad(X, [1, 1]));
    expect(m.lossAndGrad(X, Int32Array.from([0, 2]), FIT_BATCH)).toBe(first);
    // a bad label is refused by fit before its first step (checkData over the whole data set), and by any other call
    const w = Array.from(m.parameters()[0].data);
    expect(() => fit(m, X, [0, 3], { maxEpochs: 1 })).toThrow(/y\[1\] is 3; class labels must be whole numbers from 0 to 2/);
    expect(Array.from(m.parameters()[0].data)).toEqual(w);
    expect(() => m.lossAndGrad(X, [0, 3])).toThrow(/y\[1\] is 3; class labels must be whole numbers from 0 to 2/);
    X.shape = [1, 4]; // the same object, another shape: checked again
    expect(() => m.lossAndGrad(X, Int32Array.from([0]), FIT_BATCH)).toThrow(/has 4 columns but this model takes 2/);
    X.shape = [2, 2];
    X.data = new Float32Array([1, 2, 3]); // another array that does not fit the shape
    expect(() => m.lossAndGrad(X, Int32Array.from([0, 2]), FIT_BATCH)).toThrow(/needs 4 values but X\.data has 3/);
    m.dispose();
  });
});
