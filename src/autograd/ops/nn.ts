/**
 * embedding, layer_norm and seeded dropout. Kernels: f32_embedding (+ backward), f32_layer_norm
 * (+ backward), f32_dropout (its backward is a multiply by the saved mask).
 */
import { BOOLEAN, checkOptions, SEED, type Rules } from '../../util/options.js';
import { apply, checkIndices, type Input, type OpDef } from '../engine.js';
import { fmt } from '../shape.js';
import type { ATensor } from '../values.js';
import { mul } from './broadcast.js';
import { noSecondOrder } from './conv.js';

/** Rows of `weight` [rows, dim] picked by `indices` (any shape): output [...indices, dim]. */
export const EMBEDDING: OpDef = {
  name: 'embedding',
  args: ['weight', 'indices'],
  indexArgs: [1],
  infer([w, idx]) {
    if (w.shape.length !== 2) throw new RangeError(`embedding: weight must be [rows, dim], got ${fmt(w.shape)}`);
    return { shape: [...idx.shape, w.shape[1]] };
  },
  run(k, node, dev) {
    const [w, idx] = node.inputs, [rows, dim] = w.shape;
    checkIndices(dev, idx, rows, (i, r) => `embedding: indices[${i}] is ${r}; rows are [0, ${rows})`);
    k.f32_embedding(node.out!.ptr, w.ptr, idx.ptr, idx.size, dim, rows);
  },
  vjp: (node, g) => [apply(EMBEDDING_GRAD, [g, node.inputs[1]], { shape: node.inputs[0].shape }), null],
};

const EMBEDDING_GRAD: OpDef = {
  name: 'embedding_backward',
  args: ['g', 'indices'],
  indexArgs: [1],
  infer: (_v, a) => ({ shape: a.shape.slice() }),
  run(k, node) {
    const [g, idx] = node.inputs, [rows, dim] = node.attrs.shape;
    k.f32_embedding_backward(node.out!.ptr, g.ptr, idx.ptr, idx.size, dim, rows);
  },
  vjp: noSecondOrder('embedding_backward', 'embedding'),
};

/**
 * Rows of `weight` [rows, dim] picked by integer `indices` (`F.embedding`); the gradient scatter-adds.
 * @example
 * await init();
 * ops.embedding([[1, 2], [3, 4], [5, 6]], [2, 0]).toArray(); // → [5, 6, 1, 2]
 */
export const embedding = (weight: Input, indices: Input): ATensor => apply(EMBEDDING, [weight, indices]);

/** Layer norm over the last dimension: (x − mean)/sqrt(var + eps)·weight + bias (torch F.layer_norm). */
export const LAYER_NORM: OpDef = {
  name: 'layer_norm',
  args: ['input', 'weight', 'bias'],
  infer([x, w, b], a) {
    if (x.shape.length === 0) throw new RangeError('layer_norm: input needs at least one dimension');
    const cols = x.shape[x.shape.length - 1], rows = x.size / Math.max(cols, 1);
    for (const [v, name] of [[w, 'weight'], [b, 'bias']] as const) {
      if (v !== undefined && (v.shape.length !== 1 || v.shape[0] !== cols)) throw new RangeError(`layer_norm: ${name} must be [${cols}] (the last dimension of input ${fmt(x.shape)}), got ${fmt(v.shape)}`);
    }
    if (typeof a.eps !== 'number' || !(a.eps >= 0)) throw new RangeError(`layer_norm: eps must be a number >= 0, got ${String(a.eps)}`);
    return { shape: x.shape.slice(), saved: [{ dtype: 'f32', size: rows }, { dtype: 'f32', size: rows }], cache: { rows, cols } };
  },
  run(k, node) {
    const [x, w, b] = node.inputs, { rows, cols } = node.cache;
    k.f32_layer_norm(node.out!.ptr, node.saved[0].ptr, node.saved[1].ptr, x.ptr, w?.ptr ?? 0, b?.ptr ?? 0, rows, cols, node.attrs.eps);
  },
  vjp(node, g, needs) {
    const [x, w] = node.inputs, [mean, rstd] = node.saved;
    const part = (p: string) => apply(LAYER_NORM_GRAD, w === undefined ? [g, x, mean, rstd] : [g, x, mean, rstd, w], { part: p, ...node.cache });
    return [needs[0] ? part('input') : null, needs[1] ? part('weight') : null, needs[2] ? part('bias') : null];
  },
};

const LAYER_NORM_GRAD: OpDef = {
  name: 'layer_norm_backward',
  args: ['g', 'input', 'mean', 'rstd', 'weight'],
  infer: (v, a) => ({ shape: a.part === 'input' ? v[1].shape.slice() : [a.cols] }),
  run(k, node) {
    const [g, x, mean, rstd, w] = node.inputs, o = node.out!.ptr, p = node.attrs.part;
    k.f32_layer_norm_backward(p === 'input' ? o : 0, p === 'weight' ? o : 0, p === 'bias' ? o : 0, g.ptr, x.ptr, mean.ptr, rstd.ptr,
      w?.ptr ?? 0, node.attrs.rows, node.attrs.cols);
  },
  vjp: noSecondOrder('layer_norm_backward', 'layer_norm'),
};

/**
 * Normalizes over the last dimension, then ·weight + bias (`F.layer_norm`; weight and bias optional, eps default 1e-5).
 * @example
 * await init();
 * ops.layerNorm([[1, 3]]).toArray(); // → [-1, 1]
 */
export function layerNorm(input: Input, weight?: Input | null, bias?: Input | null, eps = 1e-5): ATensor {
  if (bias != null && weight == null) throw new TypeError('layer_norm: a bias needs a weight (pass weight ones to shift only)');
  const args = [input];
  if (weight != null) args.push(weight);
  if (bias != null) args.push(bias);
  return apply(LAYER_NORM, args, { eps });
}

/** Zeroes each element with probability p (a mask from a seeded hash) and scales the rest by 1/(1 − p). */
export const DROPOUT: OpDef = {
  name: 'dropout',
  args: ['input'],
  dynamic: ['seed'],
  infer([x], a) {
    if (typeof a.p !== 'number' || !(a.p >= 0 && a.p <= 1)) throw new RangeError(`dropout: p must be in [0, 1], got ${String(a.p)}`);
    if (!Number.isInteger(a.seed)) throw new TypeError(`dropout: seed must be a whole number, got ${String(a.seed)}`);
    return { shape: x.shape.slice(), saved: [{ dtype: 'f32', size: x.size, shape: x.shape.slice() }] };
  },
  run: (k, node) => k.f32_dropout(node.out!.ptr, node.saved[0].ptr, node.inputs[0].ptr, node.out!.size, node.attrs.p, node.attrs.seed | 0),
  vjp: (node, g) => [mul(g, node.saved[0])],
};

export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** The mask's seed: the same seed gives the same mask on every backend. Required while training. */
  seed: number;
  /** false returns x unchanged (inference). Default true. */
  training?: boolean;
}

/**
 * Zeroes elements with probability p (default 0.5) by a seeded mask and scales the rest by 1/(1 − p) (`F.dropout`); `training: false` returns x.
 * @example
 * await init();
 * ops.dropout([1, 1, 1, 1], { p: 0.5, seed: 1 }).toArray().every((v) => v === 0 || v === 2); // → true
 */
const DROPOUT_RULES: Rules = {
  p: { kind: 'number', min: 0, max: 1, fix: 'Pass a probability such as 0.5.' },
  seed: { ...SEED, required: true },
  training: BOOLEAN,
};

export function dropout(input: Input, options: DropoutOptions): ATensor {
  checkOptions('dropout', options ?? null, DROPOUT_RULES);
  if (options.training === false) return input as ATensor;
  return apply(DROPOUT, [input], { p: Math.fround(options.p ?? 0.5), seed: options.seed });
}
