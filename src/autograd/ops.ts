/**
 * The public op namespace (`import { ops } from 'descent'`) and index tensors. Each op follows the
 * torch function of the same name (snake_case there, camelCase here); see docs/autograd-design.md.
 */
import { shapeSize } from '../tensor.js';
import { checkOptions, COUNT0 } from '../util/options.js';
import { apply, CONST, constOf, describe, type Input, type OpDef } from './engine.js';
import { add, div, expand, maximum, minimum, mul, neg, sub } from './ops/broadcast.js';
import { avgPool2d, conv2d, maxPool2d } from './ops/conv.js';
import { abs, clamp, exp, gelu, leakyRelu, log, pow, relu, sigmoid, softplus, sqrt, tanh } from './ops/elementwise.js';
import { bceWithLogits, crossEntropy, huberLoss, mseLoss } from './ops/losses.js';
import { matmul } from './ops/matmul.js';
import { dropout, embedding, layerNorm } from './ops/nn.js';
import { logsumexp, max, mean, sum } from './ops/reduce.js';
import { concat, narrow, reshape, transpose } from './ops/shape.js';
import { logSoftmax, softmax } from './ops/softmax.js';
import { installMethods } from './methods.js';
import type { ATensor, IndexTensor } from './values.js';

/**
 * A float tensor of `values` (a number, a flat or nested array, a Float32Array) with an optional
 * shape. Inside a valueAndGrad step it is a constant of the step (refreshed on replay); outside, a
 * new tensor freed when collected (or by dispose()).
 * @example
 * await init();
 * ops.tensor([1, 2, 3, 4], [2, 2]).shape; // → [2, 2]
 */
function constant(values: number | ArrayLike<number> | readonly unknown[], shape?: readonly number[]): ATensor {
  const c = constOf(values as Input, 'f32', TENSOR, 0);
  if (shape !== undefined) {
    const n = shapeSize(shape, 'ops.tensor(values, shape)');
    if (typeof c.data !== 'number' && c.data.length !== n) {
      throw new RangeError(`ops.tensor(values, shape): shape [${shape.join(', ')}] holds ${n} elements, values has ${c.data.length}`);
    }
    c.shape = shape.slice();
  }
  return apply(CONST, [], c);
}

/** Names ops.tensor's argument in messages. */
const TENSOR: OpDef = { ...CONST, name: 'ops.tensor', args: ['values'] };

/**
 * A tensor of `shape` filled with `value` (default 0).
 * @example
 * await init();
 * ops.full([2], 7).toArray(); // → [7, 7]
 */
function full(shape: readonly number[], value = 0): ATensor {
  shapeSize(shape, 'ops.full(shape)');
  return constant(value, shape);
}

/** Names indexTensor's argument in messages. */
const INDICES: OpDef = { ...CONST, name: 'indexTensor', args: ['values'], indexArgs: [0] };

/**
 * Integer indices (class targets, embedding rows) in the backend's memory, int32. Accepts an array
 * of whole numbers or an Int32Array (copied), with an optional shape. Inside a valueAndGrad step it
 * is a constant of the step (refreshed on replay); outside, freed when collected (or by dispose()).
 * @example
 * await init();
 * const y = indexTensor([2, 0]);
 * y.data; // → [2, 0]
 * ops.crossEntropy([[0, 0, 0], [0, 0, 0]], y).toArray(); // → [1.0986123]
 */
export function indexTensor(values: ArrayLike<number>, options: { shape?: readonly number[] } = {}): IndexTensor {
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`indexTensor(values): values must be an array of whole numbers or an Int32Array, got ${describe(values)}`);
  }
  checkOptions('indexTensor', options, { shape: { kind: 'array', item: COUNT0 } });
  const shape = options.shape?.slice() ?? [values.length];
  const n = shapeSize(shape, 'indexTensor(values, { shape })');
  if (n !== values.length) throw new RangeError(`indexTensor(values, { shape }): shape [${shape.join(', ')}] holds ${n} elements, values has ${values.length}`);
  const c = constOf(values as Input, 'i32', INDICES, 0);
  return apply(CONST, [], { ...c, shape }) as unknown as IndexTensor;
}

/**
 * Differentiable tensor ops with torch semantics and broadcasting. Each takes tensors, params,
 * numbers or (nested) arrays and returns a new tensor; inside `valueAndGrad` they are recorded
 * (and replayed), outside they run at once. Reference: `torch` / `torch.nn.functional`.
 * @example
 * await init();
 * const x = ops.tensor([[1, -2], [3, 4]]);
 * ops.sum(ops.relu(x)).data[0]; // → 8
 * x.matmul([[1], [1]]).relu().toArray(); // → [0, 7]
 */
export const ops = {
  tensor: constant,
  full,
  add, sub, mul, div, maximum, minimum, neg,
  pow, exp, log, sqrt, abs, tanh, sigmoid, relu, leakyRelu, softplus, gelu, clamp,
  sum, mean, max, logsumexp,
  reshape, transpose, concat, narrow, expand,
  matmul,
  softmax, logSoftmax,
  crossEntropy, mseLoss, bceWithLogits, huberLoss,
  conv2d, maxPool2d, avgPool2d,
  embedding, layerNorm, dropout,
};

installMethods(ops);
