// Broadcast binary ops and the 4-D strided copy. The output of f32_binary is contiguous
// [n0, n1, n2, n3]; operand strides are in elements and 0 broadcasts. The innermost loop runs v128
// when both operands are contiguous along it or one is constant along it (a splat), else scalar.
// out may alias an operand read with the output's own strides. f32_copy_strided writes
// out[Σ ik·sok] = x[Σ ik·sxk]; out and x must not overlap. Element-wise: the same bits as
// src/ref/tensor/broadcast.ts on every build.

import {
  BINARY_ADD as ADD, BINARY_SUB as SUB, BINARY_MUL as MUL, BINARY_DIV as DIV, BINARY_MAX as MAX, BINARY_MIN as MIN, BINARY_MAXGRAD as MAXGRAD,
} from "../../constants.gen";

// @ts-ignore: decorator
@inline function op1(op: i32, a: f32, b: f32): f32 {
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  if (op == MUL) return a * b;
  if (op == DIV) return a / b;
  if (op == MAX) return max<f32>(a, b);
  if (op == MIN) return min<f32>(a, b);
  return a > b ? <f32>1 : a == b ? <f32>0.5 : <f32>0;
}

// @ts-ignore: decorator
@inline function op4(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == SUB) return f32x4.sub(a, b);
  if (op == MUL) return f32x4.mul(a, b);
  if (op == DIV) return f32x4.div(a, b);
  if (op == MAX) return f32x4.max(a, b);
  if (op == MIN) return f32x4.min(a, b);
  return v128.bitselect(f32x4.splat(1), v128.and(f32x4.splat(0.5), f32x4.eq(a, b)), f32x4.gt(a, b));
}

/** One innermost run of n elements. */
// @ts-ignore: decorator
@inline function run(op: i32, o: usize, a: usize, b: usize, n: i32, sa: i32, sb: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (sa == 1 && sb == 1) {
      for (; i + 4 <= n; i += 4) {
        const k = <usize>i << 2;
        v128.store(o + k, op4(op, v128.load(a + k), v128.load(b + k)));
      }
    } else if (sa == 1 && sb == 0) {
      const vb = v128.load32_splat(b);
      for (; i + 4 <= n; i += 4) {
        const k = <usize>i << 2;
        v128.store(o + k, op4(op, v128.load(a + k), vb));
      }
    } else if (sa == 0 && sb == 1) {
      const va = v128.load32_splat(a);
      for (; i + 4 <= n; i += 4) {
        const k = <usize>i << 2;
        v128.store(o + k, op4(op, va, v128.load(b + k)));
      }
    }
  }
  for (; i < n; i++) {
    store<f32>(o + (<usize>i << 2), op1(op, load<f32>(a + ((<usize>i * <usize>sa) << 2)), load<f32>(b + ((<usize>i * <usize>sb) << 2))));
  }
}

// @ts-ignore: decorator
@inline function loops(
  op: i32, out: usize, a: usize, b: usize, n0: i32, n1: i32, n2: i32, n3: i32,
  sa0: i32, sa1: i32, sa2: i32, sa3: i32, sb0: i32, sb1: i32, sb2: i32, sb3: i32,
): void {
  let o = out;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        const ia = <usize>(i0 * sa0 + i1 * sa1 + i2 * sa2) << 2;
        const ib = <usize>(i0 * sb0 + i1 * sb1 + i2 * sb2) << 2;
        run(op, o, a + ia, b + ib, n3, sa3, sb3);
        o += <usize>n3 << 2;
      }
    }
  }
}

/** out = a ∘ b over a broadcast [n0, n1, n2, n3] (∘ by op code: add sub mul div max min maxgrad). */
export function f32_binary(
  op: i32, out: usize, a: usize, b: usize, n0: i32, n1: i32, n2: i32, n3: i32,
  sa0: i32, sa1: i32, sa2: i32, sa3: i32, sb0: i32, sb1: i32, sb2: i32, sb3: i32,
): void {
  if (op == ADD) loops(ADD, out, a, b, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
  else if (op == SUB) loops(SUB, out, a, b, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
  else if (op == MUL) loops(MUL, out, a, b, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
  else if (op == DIV) loops(DIV, out, a, b, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
  else if (op == MAX) loops(MAX, out, a, b, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
  else if (op == MIN) loops(MIN, out, a, b, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
  else if (op == MAXGRAD) loops(MAXGRAD, out, a, b, n0, n1, n2, n3, sa0, sa1, sa2, sa3, sb0, sb1, sb2, sb3);
}

/** out[Σ ik·sok] = x[Σ ik·sxk] over [n0, n1, n2, n3]. */
export function f32_copy_strided(
  out: usize, x: usize, n0: i32, n1: i32, n2: i32, n3: i32,
  so0: i32, so1: i32, so2: i32, so3: i32, sx0: i32, sx1: i32, sx2: i32, sx3: i32,
): void {
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        const po = out + (<usize>(i0 * so0 + i1 * so1 + i2 * so2) << 2);
        const px = x + (<usize>(i0 * sx0 + i1 * sx1 + i2 * sx2) << 2);
        let i = 0;
        if (ASC_FEATURE_SIMD) {
          if (so3 == 1 && sx3 == 1) {
            for (; i + 4 <= n3; i += 4) v128.store(po + (<usize>i << 2), v128.load(px + (<usize>i << 2)));
          } else if (so3 == 1 && sx3 == 0) {
            const v = v128.load32_splat(px);
            for (; i + 4 <= n3; i += 4) v128.store(po + (<usize>i << 2), v);
          }
        }
        for (; i < n3; i++) store<f32>(po + ((<usize>i * <usize>so3) << 2), load<f32>(px + ((<usize>i * <usize>sx3) << 2)));
      }
    }
  }
}
