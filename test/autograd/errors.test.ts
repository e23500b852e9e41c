import { beforeAll, describe, expect, it } from 'vitest';
import { grad, hessian, indexTensor, jacobian, memoryStats, ops, param, tensor, valueAndGrad } from '../../src/index.js';
import { useBackend } from '../helpers/backends.js';

// Bad input gets a TypeError / RangeError naming the op (or function), the argument, the value and
// the fix, before anything changes: memory is as it was after every refusal.

beforeAll(() => useBackend('wasm-simd'));

function refuses(f: () => unknown, type: typeof TypeError | typeof RangeError | typeof Error, message: RegExp): void {
  const before = memoryStats().bytesInUse;
  let err: unknown = null;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(type);
  expect((err as Error).message).toMatch(message);
  expect(memoryStats().bytesInUse).toBe(before);
}

describe('shape errors name the op, both shapes and the argument', () => {
  let a: any, b: any, c: any, d: any, x4: any, w4: any;
  beforeAll(async () => {
    await useBackend('wasm-simd');
    a = tensor(new Float32Array(15), { shape: [3, 5] });
    b = tensor(new Float32Array(4), { shape: [4] });
    c = tensor(new Float32Array(24), { shape: [2, 3, 4] });
    d = tensor(new Float32Array(36), { shape: [3, 4, 3] });
    x4 = tensor(new Float32Array(32), { shape: [1, 2, 4, 4] });
    w4 = tensor(new Float32Array(27), { shape: [1, 3, 3, 3] });
  });
  it.each([
    ['add', () => ops.add(a, b), /^add: cannot broadcast a \[3, 5\] with b \[4\] \(dimension -1 is 5 vs 4\)/],
    ['mul inside a step', () => valueAndGrad((x: any) => ops.sum(ops.mul(x, b)))(a), /^mul: cannot broadcast a \[3, 5\] with b \[4\]/],
    ['matmul', () => ops.matmul(a, b), /^matmul: a \[3, 5\] and b \[4, 1\] do not chain \(5 columns of a vs 4 rows of b\)/],
    ['matmul batch', () => ops.matmul(c, d), /batch sizes of a \[2, 3, 4\] and b \[3, 4, 3\] differ/],
    ['reshape', () => ops.reshape(a, [4, 4]), /^reshape: cannot reshape x \[3, 5\] \(15 elements\) to \[4, 4\]/],
    ['narrow', () => ops.narrow(a, 1, 3, 4), /^narrow: start 3 and length 4 do not fit dimension 1 of size 5/],
    ['transpose', () => ops.transpose(a, 0, 2), /^transpose: dim1 2 is out of range for a 2-D tensor; use -2 to 1/],
    ['concat', () => ops.concat([a, b], 0), /^concat: tensors\[1\] has shape \[4\], tensors\[0\] \[3, 5\]/],
    ['sum axis', () => ops.sum(a, { axis: 3 }), /^sum: axis 3 is out of range/],
    ['mse_loss', () => ops.mseLoss(a, b), /^mse_loss: input \[3, 5\] and target \[4\] must have the same shape/],
    ['cross_entropy target', () => ops.crossEntropy(a, [1, 2]), /^cross_entropy: target \[2\] must hold one class index per row of input \[3, 5\]/],
    ['conv2d channels', () => ops.conv2d(x4, w4), /^conv2d: input \[1, 2, 4, 4\] has 2 channels but weight \[1, 3, 3, 3\] expects 3/],
    ['layer_norm weight', () => ops.layerNorm(a, [1, 2]), /^layer_norm: weight must be \[5\]/],
    ['expand', () => ops.expand(a, [2, 5]), /^expand: cannot broadcast x \[3, 5\] with shape \[2, 5\]/],
  ])('%s', (_n, f, msg) => refuses(f, RangeError, msg));
});

describe('dtypes, indices and lifetimes', () => {
  it('an index tensor (or Int32Array) where a float is needed is a TypeError', () => {
    const idx = indexTensor([0, 1, 2]), ft = tensor([0, 1]);
    refuses(() => ops.add(idx, [1, 2, 3]), TypeError, /^add: argument a is an integer \(index\) tensor where a float tensor is needed/);
    refuses(() => ops.exp(new Int32Array([1, 2])), TypeError, /^exp: argument x is integer data \(Int32Array\) where a float tensor is needed/);
    refuses(() => ops.crossEntropy([[1, 2], [3, 4]], ft), TypeError, /^cross_entropy: target must be indices \(an IndexTensor/);
    refuses(() => ops.embedding([[1, 2], [3, 4]], [0.5]), TypeError, /^embedding: argument indices must hold whole-number indices, element 0 is 0.5/);
  });

  it('indices out of range are refused before a kernel reads them', () => {
    refuses(() => ops.crossEntropy([[1, 2, 3], [3, 4, 5]], [0, 3]), RangeError, /^cross_entropy: target\[1\] is 3; class indices must be in \[0, 3\)/);
    refuses(() => ops.embedding([[1, 2], [3, 4]], [0, -1]), RangeError, /^embedding: indices\[1\] is -1; rows are \[0, 2\)/);
    // inside a step, new targets are checked on every replay too
    const step = valueAndGrad((x: any, t: any) => ops.crossEntropy(x, t));
    step([[1, 2], [3, 4]], new Int32Array([0, 1]));
    expect(() => step([[1, 2], [3, 4]], new Int32Array([0, 2]))).toThrow(/target\[1\] is 2; class indices must be in \[0, 2\)/);
    step.dispose();
  });

  it('differentiating with respect to an integer input is an error, not a silent zero', () => {
    const t = indexTensor([0, 1]);
    refuses(() => valueAndGrad((x: any, y: any) => ops.crossEntropy(x, y), { argnums: [0, 1] })([[1, 2], [3, 4]], t), TypeError,
      /argument 1 holds integer indices; gradients with respect to integer inputs are not defined \(leave it out of argnums\)/);
    refuses(() => hessian((x: any) => ops.sum(x))(t), TypeError, /^hessian: x holds integer indices/);
    refuses(() => jacobian((x: any) => x)(new Int32Array([1])), TypeError, /^jacobian: x holds integer indices/);
  });

  it('a disposed tensor or parameter is refused by name', () => {
    const x = tensor([1, 2]), p = param([3, 4]);
    x.dispose();
    p.dispose();
    refuses(() => ops.mul(x, 2), Error, /^mul: argument a was disposed; create it again/);
    refuses(() => valueAndGrad(() => ops.sum(p))(), Error, /^sum: argument x was disposed/);
  });

  it('f must return a scalar tensor', () => {
    refuses(() => valueAndGrad((x: any) => ops.mul(x, 2))([1, 2]), RangeError, /^valueAndGrad: f must return a scalar \(one element\), got a tensor of shape \[2\]; reduce it/);
    refuses(() => grad(() => 3 as any)(), TypeError, /^valueAndGrad: f must return a scalar tensor \(a result of ops\), got number 3/);
    refuses(() => hessian((x: any) => x)([1, 2]), RangeError, /^hessian: f must return a scalar/);
  });
});

describe('options', () => {
  it.each([
    ['valueAndGrad', () => valueAndGrad((x: any) => x, { argnum: 0 } as any), /^valueAndGrad: unknown option options\.argnum\. Did you mean argnums\? The options are: argnums, checkNaN, accumulate\./],
    ['argnums', () => valueAndGrad((x: any) => x, { argnums: [-1] }), /^valueAndGrad: options\.argnums must be an argument index or an array of them, got \[-1\]/],
    ['sum', () => ops.sum([1, 2], { axes: 0 } as any), /^sum: unknown option options\.axes\. Did you mean axis\? The options are: axis, keepdim\./],
    ['conv2d', () => ops.conv2d([[[[1]]]], [[[[1]]]], null, { strides: 2 } as any), /^conv2d: unknown option options\.strides\. Did you mean stride\?/],
    ['max_pool2d', () => ops.maxPool2d([[[[1]]]], { kernel: 1, pad: 1 } as any), /^max_pool2d: unknown option options\.pad\. Did you mean padding\?/],
    ['dropout', () => ops.dropout([1, 2], { p: 0.5, seed: 1, train: true } as any), /^dropout: unknown option options\.train\. Did you mean training\?/],
    ['indexTensor', () => indexTensor([1], { dims: [1] } as any), /^indexTensor: unknown option options\.dims\. The options are: shape\./],
  ])('%s: an unknown option name is a TypeError naming it and the closest valid one', (_n, f, msg) => refuses(f, TypeError, msg));

  it.each([
    ['pow exponent', () => ops.pow([1], NaN), TypeError, /^pow: exponent must be a number, got NaN/],
    ['clamp order', () => ops.clamp([1], 2, 1), RangeError, /^clamp: lo 2 is above hi 1/],
    ['huber delta', () => ops.huberLoss([1], [1], 0), RangeError, /^huber_loss: delta must be a number > 0, got 0/],
    ['dropout p', () => ops.dropout([1], { p: 1.5, seed: 1 }), RangeError, /^dropout: options\.p must be in \[0, 1\], got 1\.5\. Pass a probability such as 0\.5\./],
    ['pool kernel', () => ops.maxPool2d([[[[1, 2], [3, 4]]]], { kernel: 0 }), RangeError, /^max_pool2d: kernel must be a whole number >= 1/],
  ] as const)('%s: a bad value is refused with the fix', (_n, f, type, msg) => refuses(f, type, msg));
});

describe('checkNaN', () => {
  it('names the forward op that produced a NaN', () => {
    refuses(() => valueAndGrad((x: any) => ops.sum(ops.log(x)), { checkNaN: true })([-1, 2]), RangeError,
      /^checkNaN: the forward of log produced NaN at element 0 of its \[2\] output/);
  });

  it('names the backward that produced an infinity, and is off by default', () => {
    refuses(() => valueAndGrad((x: any) => ops.sum(ops.sqrt(x)), { checkNaN: true })([0, 1]), RangeError,
      /^checkNaN: the backward of sqrt \(its div\) produced Infinity at element 0/);
    const [, g] = valueAndGrad((x: any) => ops.sum(ops.sqrt(x)))([0, 1]);
    expect(g[0]).toBe(Infinity);
  });
});
