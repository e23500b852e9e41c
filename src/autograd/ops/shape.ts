/**
 * Shape ops: reshape (a view), transpose, narrow and its backward, concat. Kernel: f32_copy_strided.
 */
import { apply, prod, type Input, type OpDef } from '../engine.js';
import { fmt, normAxis, stridedCalls, stridesOf } from '../shape.js';
import type { ATensor, Val } from '../values.js';
import { copyCalls } from './broadcast.js';

/** x's values under a new shape (one dimension may be −1). No copy. */
export const RESHAPE: OpDef = {
  name: 'reshape',
  args: ['x'],
  view: true,
  infer([x], a) {
    const want = a.shape as number[];
    if (!Array.isArray(want)) throw new TypeError(`reshape: shape must be an array of whole numbers, got ${typeof want}`);
    let free = -1, known = 1;
    want.forEach((d, i) => {
      if (d === -1 && free < 0) free = i;
      else if (!Number.isInteger(d) || d < 0) throw new RangeError(`reshape: shape ${fmt(want)} has dimension ${d}; use whole numbers >= 0 and at most one -1`);
      else known *= d;
    });
    const shape = want.slice();
    if (free >= 0) {
      if (known === 0 || x.size % known !== 0) throw new RangeError(`reshape: cannot reshape x ${fmt(x.shape)} (${x.size} elements) to ${fmt(want)}`);
      shape[free] = x.size / known;
    }
    if (prod(shape) !== x.size) {
      throw new RangeError(`reshape: cannot reshape x ${fmt(x.shape)} (${x.size} elements) to ${fmt(want)} (${prod(shape)} elements); the element count must stay the same`);
    }
    return { shape };
  },
  run() {},
  vjp: (n, g) => [reshape(g, n.inputs[0].shape)],
};
/**
 * The same values under a new shape, one dimension may be −1 (`torch.reshape`; no copy).
 * @example
 * await init();
 * ops.reshape([1, 2, 3, 4, 5, 6], [2, -1]).shape; // → [2, 3]
 */
export const reshape = (x: Input, shape: readonly number[]): ATensor => apply(RESHAPE, [x], { shape: shape.slice() });

/** Swaps two dimensions (torch transpose), materialized. */
export const TRANSPOSE: OpDef = {
  name: 'transpose',
  args: ['x'],
  infer([x], a) {
    const nd = x.shape.length;
    const d0 = normAxis('transpose', a.dim0, nd, 'dim0'), d1 = normAxis('transpose', a.dim1, nd, 'dim1');
    const shape = x.shape.slice(), st = stridesOf(x.shape);
    [shape[d0], shape[d1]] = [shape[d1], shape[d0]];
    [st[d0], st[d1]] = [st[d1], st[d0]];
    return { shape, cache: stridedCalls(shape, [stridesOf(shape), st]) };
  },
  run: (k, n) => copyCalls(k, n.cache, n.out!.ptr, n.inputs[0].ptr),
  vjp: (n, g) => [transpose(g, n.attrs.dim0, n.attrs.dim1)],
};
/**
 * Swaps dimensions dim0 and dim1 (`torch.transpose`), materialized.
 * @example
 * await init();
 * ops.transpose([[1, 2, 3], [4, 5, 6]], 0, 1).toArray(); // → [1, 4, 2, 5, 3, 6]
 */
export const transpose = (x: Input, dim0: number, dim1: number): ATensor => apply(TRANSPOSE, [x], { dim0, dim1 });

function narrowCheck(op: string, shape: readonly number[], a: { axis: unknown; start: unknown; length: unknown }): number {
  const ax = normAxis(op, a.axis, shape.length);
  const s = a.start as number, l = a.length as number;
  if (!Number.isInteger(s) || !Number.isInteger(l) || s < 0 || l < 0 || s + l > shape[ax]) {
    throw new RangeError(`${op}: start ${String(a.start)} and length ${String(a.length)} do not fit dimension ${ax} of size ${shape[ax]} (of ${fmt(shape)}); need 0 <= start and start + length <= ${shape[ax]}`);
  }
  return ax;
}

/** The slice [start, start + length) of one dimension (torch narrow), materialized. */
export const NARROW: OpDef = {
  name: 'narrow',
  args: ['x'],
  infer([x], a) {
    const ax = narrowCheck('narrow', x.shape, a);
    const shape = x.shape.slice();
    shape[ax] = a.length;
    const st = stridesOf(x.shape);
    return { shape, cache: { offset: a.start * st[ax], calls: stridedCalls(shape, [stridesOf(shape), st]) } };
  },
  run: (k, n) => copyCalls(k, n.cache.calls, n.out!.ptr, n.inputs[0].ptr + 4 * n.cache.offset),
  vjp: (n, g) => [narrowBackward(g, n.inputs[0].shape, n.attrs)],
};
/**
 * The slice [start, start + length) of dimension `axis` (`torch.narrow`), materialized.
 * @example
 * await init();
 * ops.narrow([[1, 2, 3], [4, 5, 6]], 1, 1, 2).toArray(); // → [2, 3, 5, 6]
 */
export const narrow = (x: Input, axis: number, start: number, length: number): ATensor => apply(NARROW, [x], { axis, start, length });

/** Zeros of `shape` with g placed at [start, start + length) of `axis`: narrow's backward. */
export const NARROW_BACKWARD: OpDef = {
  name: 'narrow_backward',
  args: ['g'],
  infer([g], a) {
    const shape = a.shape as number[];
    const ax = narrowCheck('narrow_backward', shape, a);
    const st = stridesOf(shape);
    return { shape: shape.slice(), cache: { offset: a.start * st[ax], calls: stridedCalls(g.shape, [st, stridesOf(g.shape)]) } };
  },
  run(k, n) {
    k.f32_fill(n.out!.ptr, 0, n.out!.size);
    copyCalls(k, n.cache.calls, n.out!.ptr + 4 * n.cache.offset, n.inputs[0].ptr);
  },
  vjp: (n, g) => [narrow(g, n.attrs.axis, n.attrs.start, n.attrs.length)],
};
function narrowBackward(g: Val, shape: readonly number[], a: { axis: number; start: number; length: number }): ATensor {
  return apply(NARROW_BACKWARD, [g], { shape: shape.slice(), axis: a.axis, start: a.start, length: a.length });
}

/** Joins tensors along an existing dimension (torch cat). */
export const CONCAT: OpDef = {
  name: 'concat',
  args: ['tensors'],
  infer(xs, a) {
    if (xs.length === 0) throw new RangeError('concat: pass at least one tensor');
    const first = xs[0].shape;
    const ax = normAxis('concat', a.axis, first.length);
    const shape = first.slice();
    shape[ax] = 0;
    xs.forEach((x, i) => {
      if (x.shape.length !== first.length || x.shape.some((d, j) => j !== ax && d !== first[j])) {
        throw new RangeError(`concat: tensors[${i}] has shape ${fmt(x.shape)}, tensors[0] ${fmt(first)}; all dimensions but ${ax} must match`);
      }
      shape[ax] += x.shape[ax];
    });
    const ost = stridesOf(shape);
    let at = 0;
    const pieces = xs.map((x) => {
      const p = { offset: at * ost[ax], calls: stridedCalls(x.shape, [ost, stridesOf(x.shape)]) };
      at += x.shape[ax];
      return p;
    });
    return { shape, cache: pieces };
  },
  run(k, n) {
    const o = n.out!.ptr;
    n.inputs.forEach((x, i) => copyCalls(k, n.cache[i].calls, o + 4 * n.cache[i].offset, x.ptr));
  },
  vjp(n, g, needs) {
    const ax = normAxis('concat', n.attrs.axis, g.shape.length);
    let at = 0;
    return n.inputs.map((x, i) => {
      const s = at;
      at += x.shape[ax];
      return needs[i] ? narrow(g, ax, s, x.shape[ax]) : null;
    });
  },
};
/**
 * Joins tensors along an existing dimension (`torch.cat`, default axis 0).
 * @example
 * await init();
 * ops.concat([[[1, 2]], [[3, 4]]], 0).shape; // → [2, 2]
 */
export const concat = (xs: readonly Input[], axis = 0): ATensor => apply(CONCAT, xs, { axis });
