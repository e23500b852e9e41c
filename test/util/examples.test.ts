// The @example of every function in src/util/ and of the tensor helpers, run as written.
import { describe as suite, expect, it } from 'vitest';
import { describe } from '../../src/util/describe.js';
import { decodeArray, decodeNumber, encodeArray, encodeJson, encodeNumber } from '../../src/util/json.js';
import { checkOptions, checkValue, suggestName } from '../../src/util/options.js';
import { init, param, tensor } from '../../src/entry/node.js';

suite('TSDoc examples of src/util and tensors', () => {
  it('describe', () => {
    expect(describe('abc')).toBe("'abc'");
    expect(describe(-0)).toBe('-0');
    expect(describe([1, 2, 3])).toBe('[1, 2, 3]');
    expect(describe(new Float32Array(1000))).toBe('Float32Array(1000) [0, 0, 0, 0, 0, 0, …]');
    expect(describe({ data: 1, shape: 2 })).toBe('an object { data, shape }');
    expect(describe(Math.max)).toBe('function max');
  });

  it('json', () => {
    expect(encodeNumber(0.5)).toBe(0.5);
    expect(encodeNumber(-Infinity)).toBe('-Infinity');
    expect(encodeNumber(-0)).toBe('-0');
    expect(encodeArray(Float32Array.from([1, NaN]))).toEqual([1, 'NaN']);
    expect(decodeNumber('Infinity', 'state.best')).toBe(Infinity);
    expect(() => decodeNumber(null, 'state.best')).toThrow(/state\.best must be a number .*got null/);
    expect(Array.from(decodeArray([1, '-0'], 'params.w', 2))).toEqual([1, -0]);
    expect(encodeJson({ best: Infinity, lrs: [0.1, -0], fn: () => 1 })).toEqual({ best: 'Infinity', lrs: [0.1, '-0'] });
  });

  it('options', () => {
    expect(suggestName('batch_size', ['batchSize', 'maxEpochs'])).toBe('batchSize');
    expect(() => checkValue('fit', 'options.seed', 1.5, { kind: 'number', integer: true })).toThrow(/^fit: options\.seed must be a whole number, got 1\.5\.$/);
    expect(() => checkOptions('fit', { batch_size: 8 } as object, { batchSize: { kind: 'number', integer: true, min: 1 } }))
      .toThrow(/^fit: unknown option options\.batch_size\. Did you mean batchSize\? The options are: batchSize\.$/);
  });

  it('param.zeros, tensor.zeros, copyFrom', async () => {
    await init();
    const b = param.zeros(3, { name: 'bias' });
    expect(Array.from(b.data)).toEqual([0, 0, 0]);
    expect(b.name).toBe('bias');
    const z = tensor.zeros(4);
    expect(z.size).toBe(4);
    const t = tensor.zeros(2);
    t.copyFrom([1, 2]);
    expect(Array.from(t.data)).toEqual([1, 2]);
    for (const x of [b, z, t]) x.dispose();
  });
});

suite('TSDoc examples of Tensor, Param and the blas1 ops', () => {
  it('run as written', async () => {
    const d = await import('../../src/entry/node.js');
    await d.init();
    const t = d.tensor([1, 2, 3]);
    t.data[0] = 5;
    expect(Array.from(t.toArray())).toEqual([5, 2, 3]);
    d.fill(t, 0);
    expect(Array.from(t.data)).toEqual([0, 0, 0]);
    t.dispose();
    const w = d.param([1, 2], { name: 'w' });
    w.grad.set([0.5, -0.5]);
    w.zeroGrad();
    expect(Array.from(w.grad)).toEqual([0, 0]);
    const x = d.tensor([2, 4]), out = d.tensor.zeros(2);
    d.copy(out, x);
    expect(Array.from(out.data)).toEqual([2, 4]);
    d.scale(x, 0.5, x);
    expect(Array.from(x.data)).toEqual([1, 2]);
    const a = d.tensor([1, 2]), b = d.tensor([3, 4]), c = d.tensor([1, 2, 3]), e = d.tensor([3, 4]);
    expect(d.dot(a, b)).toBe(11);
    expect(d.sum(c)).toBe(6);
    expect(d.sumsq(e)).toBe(25);
    for (const z of [w, x, out, a, b, c, e]) z.dispose();
  });
});
