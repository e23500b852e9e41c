/**
 * References for assembly/kernels/tensor/broadcast.ts: a binary op over up to four broadcast
 * dimensions (contiguous output, strides in elements, 0 broadcasts) and a 4-D strided copy.
 */
import { BINARY_ADD, BINARY_DIV, BINARY_MAX, BINARY_MAXGRAD, BINARY_MIN, BINARY_MUL, BINARY_SUB } from '../../wasm/constants.gen.js';
import type { Arith, TensorHeap, Round } from './common.js';

type Op = (x: number, y: number) => number;

function binaryOp(op: number, fr: (x: number) => number): Op {
  switch (op) {
    case BINARY_ADD: return (x, y) => fr(x + y);
    case BINARY_SUB: return (x, y) => fr(x - y);
    case BINARY_MUL: return (x, y) => fr(x * y);
    case BINARY_DIV: return (x, y) => fr(x / y);
    case BINARY_MAX: return Math.max;
    case BINARY_MIN: return Math.min;
    case BINARY_MAXGRAD: return (x, y) => (x > y ? 1 : x === y ? 0.5 : 0);
  }
  throw new RangeError(`f32_binary: unknown op ${op}`);
}

/**
 * The 4-d walk of f32_binary and f32_copy_strided: calls at(ia, ib) for every index (i0..i3) in
 * order, ia = a + Σ i_k·sa_k and ib = b + Σ i_k·sb_k (element indices).
 */
function walk4(
  n0: number, n1: number, n2: number, n3: number, a: number, sa0: number, sa1: number, sa2: number, sa3: number,
  b: number, sb0: number, sb1: number, sb2: number, sb3: number, at: (ia: number, ib: number) => void,
): void {
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        let ia = a + i0 * sa0 + i1 * sa1 + i2 * sa2;
        let ib = b + i0 * sb0 + i1 * sb1 + i2 * sb2;
        for (let i3 = 0; i3 < n3; i3++, ia += sa3, ib += sb3) at(ia, ib);
      }
    }
  }
}

export function f32_binary(
  h: TensorHeap, op: number, out: number, a: number, b: number, n0: number, n1: number, n2: number, n3: number,
  sa0: number, sa1: number, sa2: number, sa3: number, sb0: number, sb1: number, sb2: number, sb3: number, fr: Round = Math.fround,
): void {
  const m = h.f32, f = binaryOp(op, fr);
  let o = out >>> 2;
  walk4(n0, n1, n2, n3, a >>> 2, sa0, sa1, sa2, sa3, b >>> 2, sb0, sb1, sb2, sb3, (ia, ib) => {
    m[o++] = f(m[ia], m[ib]);
  });
}

export function f32_copy_strided(
  h: TensorHeap, out: number, x: number, n0: number, n1: number, n2: number, n3: number,
  so0: number, so1: number, so2: number, so3: number, sx0: number, sx1: number, sx2: number, sx3: number,
): void {
  const m = h.f32;
  walk4(n0, n1, n2, n3, out >>> 2, so0, so1, so2, so3, x >>> 2, sx0, sx1, sx2, sx3, (io, ix) => {
    m[io] = m[ix];
  });
}
