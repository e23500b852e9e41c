// Level-1 vector kernels over f32. Pointers are byte addresses, 16-byte aligned by the arena;
// `out` may alias any input. Loops: 16 elements per iteration (four v128), then 4, then a scalar
// tail; nothing is read or written at or past element n.
// Reductions keep 16 partial sums (lane k of accumulator j holds indices ≡ 4j+k mod 16) and
// combine them in a fixed order. The scalar build and src/ref/blas1.ts keep the same partial sums
// in the same order, so all three backends return bit-identical results.
import { lane, map16 } from "./lanes";

/** out[i] = value */
export function f32_fill(out: usize, value: f32, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const v = f32x4.splat(value);
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), value);
}

/** out[i] = x[i]. Overlapping ranges are handled as memmove does. */
export function f32_copy(out: usize, x: usize, n: i32): void {
  if (n > 0) memory.copy(out, x, <usize>n << 2);
}

/** out[i] = a * x[i] */
export function f32_scale(out: usize, a: f32, x: usize, n: i32): void {
  map16(changetype<Axpy>(0), out, x, 0, a, 0, n, false, false);
}

/** out[i] = a * x[i] + y[i] (two roundings, no fused multiply-add) */
export function f32_axpy(out: usize, a: f32, x: usize, y: usize, n: i32): void {
  map16(changetype<Axpy>(0), out, x, y, a, 0, n, true, true);
}

/** a·x, plus y when PLUS_Y (f32_axpy; without it, f32_scale). */
@final @unmanaged class Axpy {
  // @ts-ignore: decorator
  @inline at<T>(x: T, y: T, a: T, _b: T, PLUS_Y: bool): T { return PLUS_Y ? lane.add(lane.mul(a, x), y) : lane.mul(a, x); }
}

// Scalar-build partial sums: s[0..15] in a 64-byte scratch kept on the shadow of the call.
// Written out longhand so the optimizer keeps them in locals.

/** sum of x[i] * y[i] */
export function f32_dot(x: usize, y: usize, n: i32): f32 {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(x + o, 32), v128.load(y + o, 32)));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(x + o, 48), v128.load(y + o, 48)));
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(x + o), v128.load(y + o)));
    }
    let s = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
    for (; i < n; i++) s += load<f32>(x + (<usize>i << 2)) * load<f32>(y + (<usize>i << 2));
    return s;
  } else {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0, s4: f32 = 0, s5: f32 = 0, s6: f32 = 0, s7: f32 = 0;
    let s8: f32 = 0, s9: f32 = 0, s10: f32 = 0, s11: f32 = 0, s12: f32 = 0, s13: f32 = 0, s14: f32 = 0, s15: f32 = 0;
    for (; i + 16 <= n; i += 16) {
      const px = x + (<usize>i << 2), py = y + (<usize>i << 2);
      s0 += load<f32>(px) * load<f32>(py);           s1 += load<f32>(px, 4) * load<f32>(py, 4);
      s2 += load<f32>(px, 8) * load<f32>(py, 8);     s3 += load<f32>(px, 12) * load<f32>(py, 12);
      s4 += load<f32>(px, 16) * load<f32>(py, 16);   s5 += load<f32>(px, 20) * load<f32>(py, 20);
      s6 += load<f32>(px, 24) * load<f32>(py, 24);   s7 += load<f32>(px, 28) * load<f32>(py, 28);
      s8 += load<f32>(px, 32) * load<f32>(py, 32);   s9 += load<f32>(px, 36) * load<f32>(py, 36);
      s10 += load<f32>(px, 40) * load<f32>(py, 40);  s11 += load<f32>(px, 44) * load<f32>(py, 44);
      s12 += load<f32>(px, 48) * load<f32>(py, 48);  s13 += load<f32>(px, 52) * load<f32>(py, 52);
      s14 += load<f32>(px, 56) * load<f32>(py, 56);  s15 += load<f32>(px, 60) * load<f32>(py, 60);
    }
    for (; i + 4 <= n; i += 4) {
      const px = x + (<usize>i << 2), py = y + (<usize>i << 2);
      s0 += load<f32>(px) * load<f32>(py);           s1 += load<f32>(px, 4) * load<f32>(py, 4);
      s2 += load<f32>(px, 8) * load<f32>(py, 8);     s3 += load<f32>(px, 12) * load<f32>(py, 12);
    }
    let s = combine16(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15);
    for (; i < n; i++) s += load<f32>(x + (<usize>i << 2)) * load<f32>(y + (<usize>i << 2));
    return s;
  }
}

/** sum of x[i] */
export function f32_sum(x: usize, n: i32): f32 {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      a0 = f32x4.add(a0, v128.load(x + o));
      a1 = f32x4.add(a1, v128.load(x + o, 16));
      a2 = f32x4.add(a2, v128.load(x + o, 32));
      a3 = f32x4.add(a3, v128.load(x + o, 48));
    }
    for (; i + 4 <= n; i += 4) a0 = f32x4.add(a0, v128.load(x + (<usize>i << 2)));
    let s = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
    for (; i < n; i++) s += load<f32>(x + (<usize>i << 2));
    return s;
  } else {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0, s4: f32 = 0, s5: f32 = 0, s6: f32 = 0, s7: f32 = 0;
    let s8: f32 = 0, s9: f32 = 0, s10: f32 = 0, s11: f32 = 0, s12: f32 = 0, s13: f32 = 0, s14: f32 = 0, s15: f32 = 0;
    for (; i + 16 <= n; i += 16) {
      const px = x + (<usize>i << 2);
      s0 += load<f32>(px);       s1 += load<f32>(px, 4);    s2 += load<f32>(px, 8);    s3 += load<f32>(px, 12);
      s4 += load<f32>(px, 16);   s5 += load<f32>(px, 20);   s6 += load<f32>(px, 24);   s7 += load<f32>(px, 28);
      s8 += load<f32>(px, 32);   s9 += load<f32>(px, 36);   s10 += load<f32>(px, 40);  s11 += load<f32>(px, 44);
      s12 += load<f32>(px, 48);  s13 += load<f32>(px, 52);  s14 += load<f32>(px, 56);  s15 += load<f32>(px, 60);
    }
    for (; i + 4 <= n; i += 4) {
      const px = x + (<usize>i << 2);
      s0 += load<f32>(px); s1 += load<f32>(px, 4); s2 += load<f32>(px, 8); s3 += load<f32>(px, 12);
    }
    let s = combine16(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15);
    for (; i < n; i++) s += load<f32>(x + (<usize>i << 2));
    return s;
  }
}

/** sum of x[i]², the squared Euclidean norm */
export function f32_sumsq(x: usize, n: i32): f32 {
  return f32_dot(x, x, n);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// The SIMD combine order, spelled out for the scalar build: lanes (a0+a1)+(a2+a3), then hsum.
// @ts-ignore: decorator
@inline function combine16(
  s0: f32, s1: f32, s2: f32, s3: f32, s4: f32, s5: f32, s6: f32, s7: f32,
  s8: f32, s9: f32, s10: f32, s11: f32, s12: f32, s13: f32, s14: f32, s15: f32
): f32 {
  const l0 = (s0 + s4) + (s8 + s12);
  const l1 = (s1 + s5) + (s9 + s13);
  const l2 = (s2 + s6) + (s10 + s14);
  const l3 = (s3 + s7) + (s11 + s15);
  return (l0 + l1) + (l2 + l3);
}
