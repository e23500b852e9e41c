/**
 * Level-1 vector operations on tensors (and parameters' values), one kernel call each. Outputs are
 * written in place into `out`, which may be the same tensor as an input. Lengths must match.
 */
import { getBackend } from '../init.js';
import { Tensor } from '../tensor.js';
import { describe } from '../util/describe.js';

function check(op: string, ...ts: Array<[string, unknown]>): number {
  for (const [name, t] of ts) {
    if (!(t instanceof Tensor)) {
      throw new TypeError(`${op}(): ${name} must be a tensor or parameter (from tensor() or param()), got ${describe(t)}; wrap plain numbers with tensor([...])`);
    }
  }
  const first = ts[0][1] as Tensor;
  const n = first.size;
  const b = getBackend();
  for (const [name, t] of ts as Array<[string, Tensor]>) {
    // assertLive builds its message only when a tensor is not live (these calls are µs-sized)
    if (t.disposed || t.backend !== b) t.assertLive(`${op}(): ${name}`);
    if (t.size !== n) {
      throw new RangeError(`${op}(): ${name} has ${t.size} elements but ${ts[0][0]} has ${n}; pass tensors of equal size`);
    }
  }
  return n;
}

function scalar(op: string, name: string, a: unknown): number {
  if (typeof a !== 'number') throw new TypeError(`${op}(): ${name} must be a number, got ${describe(a)}; pass e.g. 2`);
  if (Number.isNaN(a)) throw new RangeError(`${op}(): ${name} must be a number, got NaN`);
  return a;
}

/**
 * out[i] = value.
 * @example
 * fill(t, 0); // every element of t is 0
 */
export function fill(out: Tensor, value: number): Tensor {
  const n = check('fill', ['out', out]);
  if (typeof value !== 'number') throw new TypeError(`fill(): value must be a number, got ${describe(value)}`);
  getBackend().k.f32_fill(out.ptr, value, n);
  return out;
}

/**
 * out[i] = x[i] (same size).
 * @example
 * copy(out, x); // out.data equals x.data
 */
export function copy(out: Tensor, x: Tensor): Tensor {
  const n = check('copy', ['out', out], ['x', x]);
  getBackend().k.f32_copy(out.ptr, x.ptr, n);
  return out;
}

/**
 * out[i] = a · x[i] in float32.
 * @example
 * scale(x, 0.5, x); // halves x in place
 */
export function scale(out: Tensor, a: number, x: Tensor): Tensor {
  const n = check('scale', ['out', out], ['x', x]);
  scalar('scale', 'a', a);
  getBackend().k.f32_scale(out.ptr, a, x.ptr, n);
  return out;
}

/**
 * out[i] = a · x[i] + y[i], in float32 with two roundings (no fused multiply-add), identical on
 * every backend.
 * @example
 * const x = tensor([1, 2]), y = tensor([10, 20]);
 * axpy(y, 2, x, y); // y.data → [12, 24]
 */
export function axpy(out: Tensor, a: number, x: Tensor, y: Tensor): Tensor {
  const n = check('axpy', ['out', out], ['x', x], ['y', y]);
  scalar('axpy', 'a', a);
  getBackend().k.f32_axpy(out.ptr, a, x.ptr, y.ptr, n);
  return out;
}

/**
 * Σ x[i]·y[i] in float32 (16 partial sums in a fixed order: the same bits on every backend).
 * @example
 * dot(tensor([1, 2]), tensor([3, 4])); // 11
 */
export function dot(x: Tensor, y: Tensor): number {
  const n = check('dot', ['x', x], ['y', y]);
  return getBackend().k.f32_dot(x.ptr, y.ptr, n);
}

/**
 * Σ x[i] in float32 (fixed order, as dot).
 * @example
 * sum(tensor([1, 2, 3])); // 6
 */
export function sum(x: Tensor): number {
  const n = check('sum', ['x', x]);
  return getBackend().k.f32_sum(x.ptr, n);
}

/**
 * Σ x[i]², the squared Euclidean norm, in float32 (fixed order, as dot).
 * @example
 * sumsq(tensor([3, 4])); // 25
 */
export function sumsq(x: Tensor): number {
  const n = check('sumsq', ['x', x]);
  return getBackend().k.f32_sumsq(x.ptr, n);
}
