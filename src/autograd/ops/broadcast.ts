/**
 * Binary ops with torch broadcasting (add sub mul div maximum minimum), expand and the gradient's
 * reduction back to an input's shape (sumTo), and fill. Kernel: f32_binary / f32_copy_strided.
 */
import { BINARY_ADD, BINARY_DIV, BINARY_MAX, BINARY_MAXGRAD, BINARY_MIN, BINARY_MUL, BINARY_SUB } from '../../wasm/constants.gen.js';
import { apply, prod, type Input, type OpDef } from '../engine.js';
import { broadcastShapes, broadcastStrides, fmt, stridedCalls, stridesOf, type StridedCall } from '../shape.js';
import type { ATensor, Val } from '../values.js';
import { reshape } from './shape.js';
import { sum } from './reduce.js';

function binaryOp(name: string, code: number, vjp?: OpDef['vjp']): OpDef {
  return {
    name,
    args: ['a', 'b'],
    infer([a, b]) {
      const shape = broadcastShapes(name, 'a', a.shape, 'b', b.shape);
      return { shape, cache: stridedCalls(shape, [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)]) };
    },
    run(k, node) {
      const [a, b] = node.inputs, o = node.out!.ptr, ap = a.ptr, bp = b.ptr;
      const calls = node.cache as StridedCall[];
      if (calls.length === 1) {
        const { dims: d, strides: [sa, sb] } = calls[0];
        k.f32_binary(code, o, ap, bp, d[0], d[1], d[2], d[3], sa[0], sa[1], sa[2], sa[3], sb[0], sb[1], sb[2], sb[3]);
        return;
      }
      let off = 0;
      for (const { offsets: [oa, ob], dims: d, strides: [sa, sb] } of calls) {
        k.f32_binary(code, o + 4 * off, ap + 4 * oa, bp + 4 * ob, d[0], d[1], d[2], d[3], sa[0], sa[1], sa[2], sa[3], sb[0], sb[1], sb[2], sb[3]);
        off += d[0] * d[1] * d[2] * d[3];
      }
    },
    vjp,
  };
}

export const ADD = binaryOp('add', BINARY_ADD, (n, g, needs) => [
  needs[0] ? sumTo(g, n.inputs[0].shape) : null,
  needs[1] ? sumTo(g, n.inputs[1].shape) : null,
]);
export const SUB = binaryOp('sub', BINARY_SUB, (n, g, needs) => [
  needs[0] ? sumTo(g, n.inputs[0].shape) : null,
  needs[1] ? sumTo(neg(g), n.inputs[1].shape) : null,
]);
export const MUL = binaryOp('mul', BINARY_MUL, (n, g, needs) => [
  needs[0] ? sumTo(mul(g, n.inputs[1]), n.inputs[0].shape) : null,
  needs[1] ? sumTo(mul(g, n.inputs[0]), n.inputs[1].shape) : null,
]);
export const DIV = binaryOp('div', BINARY_DIV, (n, g, needs) => [
  needs[0] ? sumTo(div(g, n.inputs[1]), n.inputs[0].shape) : null,
  // d(a/b)/db = −(a/b)/b
  needs[1] ? sumTo(neg(div(mul(g, n.out!), n.inputs[1])), n.inputs[1].shape) : null,
]);
/** a > b ? 1 : a == b ? 0.5 : 0: maximum's gradient weight (torch splits ties evenly). */
export const MAXGRAD = binaryOp('maximum_weight', BINARY_MAXGRAD);
export const MAXIMUM = binaryOp('maximum', BINARY_MAX, (n, g, needs) => {
  const [a, b] = n.inputs;
  return [
    needs[0] ? sumTo(mul(g, apply(MAXGRAD, [a, b])), a.shape) : null,
    needs[1] ? sumTo(mul(g, apply(MAXGRAD, [b, a])), b.shape) : null,
  ];
});
export const MINIMUM = binaryOp('minimum', BINARY_MIN, (n, g, needs) => {
  const [a, b] = n.inputs;
  return [
    needs[0] ? sumTo(mul(g, apply(MAXGRAD, [b, a])), a.shape) : null,
    needs[1] ? sumTo(mul(g, apply(MAXGRAD, [a, b])), b.shape) : null,
  ];
});

/**
 * a + b with torch broadcasting (`torch.add`).
 * @example
 * await init();
 * ops.add([[1, 2], [3, 4]], [10, 20]).toArray(); // → [11, 22, 13, 24]
 */
export const add = (a: Input, b: Input): ATensor => apply(ADD, [a, b]);
/**
 * a − b with torch broadcasting (`torch.sub`).
 * @example
 * await init();
 * ops.sub([5, 7], 2).toArray(); // → [3, 5]
 */
export const sub = (a: Input, b: Input): ATensor => apply(SUB, [a, b]);
/**
 * a·b element-wise with torch broadcasting (`torch.mul`).
 * @example
 * await init();
 * ops.mul([[1, 2], [3, 4]], [[2], [10]]).toArray(); // → [2, 4, 30, 40]
 */
export const mul = (a: Input, b: Input): ATensor => apply(MUL, [a, b]);
/**
 * a / b element-wise with torch broadcasting (`torch.div`).
 * @example
 * await init();
 * ops.div([1, 3], [4, 2]).toArray(); // → [0.25, 1.5]
 */
export const div = (a: Input, b: Input): ATensor => apply(DIV, [a, b]);
/**
 * The element-wise larger of a and b (`torch.maximum`; NaN propagates, a tie splits the gradient evenly).
 * @example
 * await init();
 * ops.maximum([1, 5, -2], 0).toArray(); // → [1, 5, 0]
 */
export const maximum = (a: Input, b: Input): ATensor => apply(MAXIMUM, [a, b]);
/**
 * The element-wise smaller of a and b (`torch.minimum`; a tie splits the gradient evenly).
 * @example
 * await init();
 * ops.minimum([1, 5, -2], 2).toArray(); // → [1, 2, -2]
 */
export const minimum = (a: Input, b: Input): ATensor => apply(MINIMUM, [a, b]);

/** −x (f32_scale by −1). */
export const NEG: OpDef = {
  name: 'neg',
  args: ['x'],
  infer: ([x]) => ({ shape: x.shape.slice() }),
  run: (k, n) => k.f32_scale(n.out!.ptr, -1, n.inputs[0].ptr, n.out!.size),
  vjp: (_n, g) => [neg(g)],
};
/**
 * −x (`torch.neg`).
 * @example
 * await init();
 * ops.neg([1, -2]).toArray(); // → [-1, 2]
 */
export const neg = (x: Input): ATensor => apply(NEG, [x]);

/** A new tensor of `shape` filled with `value` (not differentiable). */
export const FILL: OpDef = {
  name: 'fill',
  args: [],
  infer: (_v, a) => ({ shape: a.shape.slice() }),
  run: (k, n) => k.f32_fill(n.out!.ptr, n.attrs.value, n.out!.size),
};
export const fill = (shape: readonly number[], value: number): ATensor => apply(FILL, [], { shape: shape.slice(), value });

/** Broadcasts x to `shape` (torch expand, materialized). */
export const EXPAND: OpDef = {
  name: 'expand',
  args: ['x'],
  infer([x], a) {
    const shape = a.shape as number[];
    const b = broadcastShapes('expand', 'x', x.shape, 'shape', shape);
    if (b.length !== shape.length || b.some((d, i) => d !== shape[i])) {
      throw new RangeError(`expand: x ${fmt(x.shape)} cannot be expanded to ${fmt(shape)}; only size-1 dimensions (and new leading ones) expand`);
    }
    return { shape: shape.slice(), cache: stridedCalls(shape, [stridesOf(shape), broadcastStrides(x.shape, shape)]) };
  },
  run(k, node) {
    copyCalls(k, node.cache, node.out!.ptr, node.inputs[0].ptr);
  },
  vjp: (n, g) => [sumTo(g, n.inputs[0].shape)],
};
/**
 * x broadcast to `shape`, materialized (`Tensor.expand`); its gradient sums back.
 * @example
 * await init();
 * ops.expand([[1], [2]], [2, 3]).toArray(); // → [1, 1, 1, 2, 2, 2]
 */
export const expand = (x: Input, shape: readonly number[]): ATensor => apply(EXPAND, [x], { shape: shape.slice() });

/** Runs f32_copy_strided for each piece of a strided copy (operand 0 = out, 1 = x). */
export function copyCalls(k: { f32_copy_strided: (...a: number[]) => void }, calls: StridedCall[], out: number, x: number): void {
  for (const { offsets: [oo, ox], dims: d, strides: [so, sx] } of calls) {
    k.f32_copy_strided(out + 4 * oo, x + 4 * ox, d[0], d[1], d[2], d[3], so[0], so[1], so[2], so[3], sx[0], sx[1], sx[2], sx[3]);
  }
}

/**
 * Sums a broadcast gradient back to `shape` (the inverse of broadcasting): leading extra dimensions
 * and dimensions where `shape` has 1 are summed, runs of them in one reduction.
 */
export function sumTo(g: Val, shape: readonly number[]): Val {
  const gs = g.shape;
  if (gs.length === shape.length && gs.every((d, i) => d === shape[i])) return g;
  if (prod(gs) === prod(shape)) return reshape(g, shape);
  // kept[i]: whether dimension i of g survives (aligned from the right)
  const off = gs.length - shape.length;
  const kept = gs.map((d, i) => i >= off && (shape[i - off] === d));
  // group consecutive dimensions by kept/summed; reshape to the groups, sum the summed ones
  const groups: { size: number; keep: boolean }[] = [];
  gs.forEach((d, i) => {
    const last = groups[groups.length - 1];
    if (last && last.keep === kept[i]) last.size *= d;
    else groups.push({ size: d, keep: kept[i] });
  });
  let cur: Val = reshape(g, groups.map((x) => x.size));
  // from the last group back, so the earlier groups keep their axis numbers
  for (let i = groups.length - 1; i >= 0; i--) {
    if (!groups[i].keep) cur = sum(cur, { axis: i, keepdim: false });
  }
  return reshape(cur, shape);
}
