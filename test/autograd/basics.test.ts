import { describe, expect, it } from 'vitest';
import { init } from '../../src/entry/node.js';
import { ops, valueAndGrad, grad, hessian, jacobian, indexTensor, param } from '../../src/index.js';

describe('autograd basics on the js backend', () => {
  it('value, gradients, accumulation, replay, jacobian, hessian and an index tensor', async () => {
    await init({ backend: 'js' });
    const w = param([1, 2, 3]);
    const step = valueAndGrad((x: any) => ops.sum(ops.mul(x, w).pow(2)));
    const [v, gx] = step([1, 1, 1]);
    expect(v).toBe(14);
    expect(Array.from(gx)).toEqual([2, 8, 18]);
    expect(Array.from(w.grad)).toEqual([2, 4, 6]);
    const [v2, gx2] = step([1, 1, 1]);
    expect(v2).toBe(14);
    expect(Array.from(gx2)).toEqual([2, 8, 18]);
    expect(Array.from(w.grad)).toEqual([4, 8, 12]);
    expect(Array.from(grad((x: any) => ops.sum(ops.mul(x, x)))([1, 2, 3]))).toEqual([2, 4, 6]);
    expect(Array.from(hessian((x: any) => ops.sum(ops.pow(x, 3)))([1, 2]))).toEqual([6, 0, 0, 12]);
    expect(Array.from(jacobian((x: any) => ops.mul(x, x))([1, 2]))).toEqual([2, 0, 0, 4]);
    const y = indexTensor([2, 0, 1]);
    const l = ops.crossEntropy([[1, 2, 3], [3, 2, 1], [0, 1, 0]], y);
    expect(l.data[0]).toBeCloseTo(0.4076 * 2 / 3 + 0.5514 / 3, 3);
  });
});
