import type { Input } from './engine.js';

/**
 * Shape rules shared by the ops: torch broadcasting, strides, axis normalization, and the collapse
 * of an N-d strided loop into the kernels' four dimensions.
 */

export const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Row-major strides (in elements) of a contiguous tensor. */
export function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = s;
    s *= shape[i];
  }
  return st;
}

/** torch's broadcast of two shapes (aligned from the right; each pair equal or one of them 1). */
export function broadcastShapes(op: string, an: string, a: readonly number[], bn: string, b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length), out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RangeError(
        `${op}: cannot broadcast ${an} ${fmt(a)} with ${bn} ${fmt(b)} (dimension ${i - n} is ${x} vs ${y}); ` +
          'shapes must match or be 1 in each dimension, aligned from the right',
      );
    }
    out[i] = x === 1 ? y : x;
  }
  return out;
}

/** Strides of `shape` read as `out` (aligned from the right): 0 where it broadcasts. */
export function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const st = stridesOf(shape), r = new Array<number>(out.length).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const j = out.length - shape.length + i;
    r[j] = shape[i] === 1 && out[j] !== 1 ? 0 : st[i];
  }
  return r;
}

/**
 * Merges the dimensions of a strided loop: drops size-1 dimensions and joins neighbours that every
 * stride array walks contiguously, then pads at the front to exactly four. Returns null when more
 * than four remain (the caller splits the loop).
 */
export function collapse4(dims: readonly number[], strides: readonly (readonly number[])[]): { dims: number[]; strides: number[][] } | null {
  const d: number[] = [], s: number[][] = strides.map(() => []);
  for (let i = 0; i < dims.length; i++) {
    if (dims[i] === 1) continue;
    const last = d.length - 1;
    if (last >= 0 && strides.every((st, k) => s[k][last] === st[i] * dims[i])) {
      d[last] *= dims[i];
      strides.forEach((st, k) => (s[k][last] = st[i]));
    } else {
      d.push(dims[i]);
      strides.forEach((st, k) => s[k].push(st[i]));
    }
  }
  if (d.length > 4) return null;
  while (d.length < 4) {
    d.unshift(1);
    s.forEach((x) => x.unshift(0));
  }
  return { dims: d, strides: s };
}

/** A strided 4-D kernel call plan: [offsets per operand, n0..n3, strides per operand] for each piece. */
export interface StridedCall {
  offsets: number[];
  dims: number[];
  strides: number[][];
}

/** Splits an N-d strided loop into calls of at most four dimensions (outer dimensions unrolled in JS). */
export function stridedCalls(dims: readonly number[], strides: readonly (readonly number[])[]): StridedCall[] {
  const c = collapse4(dims, strides);
  if (c !== null) return [{ offsets: strides.map(() => 0), dims: c.dims, strides: c.strides }];
  const calls: StridedCall[] = [];
  const inner = stridedCalls(dims.slice(1), strides.map((s) => s.slice(1)));
  for (let i = 0; i < dims[0]; i++) {
    for (const ic of inner) calls.push({ offsets: ic.offsets.map((o, k) => o + i * strides[k][0]), dims: ic.dims, strides: ic.strides });
  }
  return calls;
}

/** Normalizes an axis against ndim (negative counts from the end). */
export function normAxis(op: string, axis: unknown, ndim: number, what = 'axis'): number {
  if (!Number.isInteger(axis)) throw new TypeError(`${op}: ${what} must be a whole number, got ${String(axis)}`);
  const a = axis as number;
  const n = Math.max(ndim, 1);
  if (a < -n || a >= n) throw new RangeError(`${op}: ${what} ${a} is out of range for a ${ndim}-D tensor; use -${n} to ${n - 1}`);
  return a < 0 ? a + n : a;
}

/** [outer, n, inner] of a reduction over `axis` of a contiguous shape. */
export function splitAt(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape.length === 0 ? 1 : shape[axis], inner];
}

/** The shape of a tensor or of (nested) numbers, or null. */
export function shapeOf(v: Input): readonly number[] | null {
  if (typeof v === 'object' && v !== null && 'shape' in v) return v.shape;
  if (typeof v === 'number') return [];
  const shape: number[] = [];
  let x: unknown = v;
  while (typeof x === 'object' && x !== null && typeof (x as ArrayLike<unknown>).length === 'number') {
    shape.push((x as ArrayLike<unknown>).length);
    x = (x as ArrayLike<unknown>)[0];
  }
  return shape.length > 0 ? shape : null;
}
