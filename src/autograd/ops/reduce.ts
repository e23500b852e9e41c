/**
 * Reductions over all elements or one axis (keepdim as torch): sum, mean, max (amax), logsumexp.
 * Kernels: f32_sum_axis, f32_max_axis (+ backward), f32_logsumexp_axis over [outer, n, inner].
 */
import { BOOLEAN, checkOptions, type Rules } from '../../util/options.js';
import { apply, type Input, type OpDef } from '../engine.js';
import { normAxis, splitAt } from '../shape.js';
import type { ATensor, Val } from '../values.js';
import { expand, fill, mul, sub } from './broadcast.js';
import { exp } from './elementwise.js';
import { reshape } from './shape.js';

export interface AxisOptions {
  /** The dimension to reduce (negative counts from the end); absent or null: every element. */
  axis?: number | null;
  /** Keep the reduced dimension with size 1 (default false). */
  keepdim?: boolean;
}

interface Reduced {
  outer: number;
  n: number;
  inner: number;
  /** The result's shape with the reduced dimension kept as 1 (broadcasts against the input). */
  kept: number[];
}

function reduceInfer(op: string, x: Val, a: { axis: number | null; keepdim: boolean }): { shape: number[]; cache: Reduced } {
  if (a.axis === null) {
    const kept = x.shape.map(() => 1);
    return { shape: a.keepdim ? kept : [], cache: { outer: 1, n: x.size, inner: 1, kept } };
  }
  const ax = normAxis(op, a.axis, x.shape.length);
  const [outer, n, inner] = splitAt(x.shape, ax);
  const kept = x.shape.slice();
  if (kept.length > 0) kept[ax] = 1;
  const shape = a.keepdim ? kept.slice() : x.shape.filter((_, i) => i !== ax);
  return { shape, cache: { outer, n, inner, kept } };
}

const AXIS_RULES: Rules = {
  axis: { kind: 'custom', want: 'a whole number (negative counts from the end) or null (every element)', test: (v) => v === null || Number.isInteger(v) },
  keepdim: BOOLEAN,
};

function axisAttrs(op: string, o: AxisOptions | undefined): { axis: number | null; keepdim: boolean } {
  const opts = checkOptions(op, o, AXIS_RULES);
  return { axis: opts.axis ?? null, keepdim: opts.keepdim ?? false };
}

function sumLike(name: string, mean: boolean): OpDef {
  return {
    name,
    args: ['x'],
    infer: ([x], a) => reduceInfer(name, x, a),
    run(k, node) {
      const c = node.cache as Reduced;
      k.f32_sum_axis(node.out!.ptr, node.inputs[0].ptr, c.outer, c.n, c.inner, mean ? 1 / c.n : 1);
    },
    vjp(node, g) {
      const c = node.cache as Reduced, x = node.inputs[0];
      const gk = reshape(g, c.kept);
      return [expand(mean ? mul(gk, 1 / c.n) : gk, x.shape)];
    },
  };
}

export const SUM = sumLike('sum', false);
export const MEAN = sumLike('mean', true);
/**
 * The sum of all elements, or along `axis` (`torch.sum`; keepdim default false).
 * @example
 * await init();
 * ops.sum([[1, 2], [3, 4]], { axis: 0 }).toArray(); // → [4, 6]
 */
export const sum = (x: Input, o?: AxisOptions): ATensor => apply(SUM, [x], axisAttrs('sum', o));
/**
 * The mean of all elements, or along `axis` (`torch.mean`; keepdim default false).
 * @example
 * await init();
 * ops.mean([[1, 2], [3, 4]]).toArray(); // → [2.5]
 */
export const mean = (x: Input, o?: AxisOptions): ATensor => apply(MEAN, [x], axisAttrs('mean', o));

/** dx = dy/count where x equals the max (count: ties), else 0 (torch amax's gradient). Inputs dy, x, y. */
export const MAX_BACKWARD: OpDef = {
  name: 'max_backward',
  args: ['g', 'x', 'y'],
  infer: ([, x], a) => ({ shape: x.shape.slice(), cache: a.r }),
  run(k, node) {
    const c = node.cache as Reduced, [g, x, y] = node.inputs;
    k.f32_max_axis_backward(node.out!.ptr, g.ptr, x.ptr, y.ptr, c.outer, c.n, c.inner);
  },
  vjp(node, gg) {
    // linear in dy: its adjoint sums gg·weight over the axis (the weight is piecewise constant in x)
    const [g, x, y] = node.inputs, c = node.cache as Reduced;
    const w = apply(MAX_BACKWARD, [fill(g.shape, 1), x, y], { r: c });
    return [reshape(sumAxis(mul(gg, w), c), g.shape), null, null];
  },
};

/** Sums over the reduced axis of a Reduced layout, keeping it (as the kept shape). */
function sumAxis(v: Val, c: Reduced): ATensor {
  return apply(SUM_KEPT, [v], { r: c });
}
const SUM_KEPT: OpDef = {
  name: 'sum',
  args: ['x'],
  infer: (_x, a) => ({ shape: a.r.kept.slice(), cache: a.r }),
  run(k, node) {
    const c = node.cache as Reduced;
    k.f32_sum_axis(node.out!.ptr, node.inputs[0].ptr, c.outer, c.n, c.inner, 1);
  },
  vjp: (node, g) => [expand(g, node.inputs[0].shape)],
};

export const MAX: OpDef = {
  name: 'max',
  args: ['x'],
  infer([x], a) {
    if (x.size === 0) throw new RangeError('max: x is empty; max of no elements is undefined');
    return reduceInfer('max', x, a);
  },
  run(k, node) {
    const c = node.cache as Reduced;
    k.f32_max_axis(node.out!.ptr, node.inputs[0].ptr, c.outer, c.n, c.inner);
  },
  vjp(node, g) {
    return [apply(MAX_BACKWARD, [g, node.inputs[0], node.out!], { r: node.cache })];
  },
};
/**
 * The largest element, or along `axis` (`torch.amax`: ties share the gradient evenly).
 * @example
 * await init();
 * ops.max([[1, 5], [3, 4]], { axis: 1 }).toArray(); // → [5, 4]
 */
export const max = (x: Input, o?: AxisOptions): ATensor => apply(MAX, [x], axisAttrs('max', o));

export const LOGSUMEXP: OpDef = {
  name: 'logsumexp',
  args: ['x'],
  infer: ([x], a) => reduceInfer('logsumexp', x, a),
  run(k, node) {
    const c = node.cache as Reduced;
    k.f32_logsumexp_axis(node.out!.ptr, node.inputs[0].ptr, c.outer, c.n, c.inner);
  },
  vjp(node, g) {
    // g·softmax(x) = g·exp(x − y), broadcast over the reduced axis
    const c = node.cache as Reduced, x = node.inputs[0];
    return [mul(reshape(g, c.kept), exp(sub(x, reshape(node.out!, c.kept))))];
  },
};
/**
 * log Σ e^x over all elements or along `axis`, without overflow (`torch.logsumexp`).
 * @example
 * await init();
 * ops.logsumexp([0, 0]).toArray(); // → [0.6931472]
 */
export const logsumexp = (x: Input, o?: AxisOptions): ATensor => apply(LOGSUMEXP, [x], axisAttrs('logsumexp', o));
