// Lane-generic f32 arithmetic for the kernels: each op is the f32 instruction when T is f32 and the
// f32x4 one when T is v128 (the branch on isVector<T>() is decided at compile time), so one rule
// serves a kernel's four-lane loop and its scalar tail, and rounds at the same steps in both. The
// lane type is inferred from the arguments: `lane.add(a, b)`. Everything is @inline: no calls at
// run time. Comparisons give a v128 lane mask or a bool, so they are not here on their own; the
// selects that need them are. The v128 branches exist only in the SIMD build.

export namespace lane {
  /** x in every lane (T = v128), or x. */
  // @ts-ignore: decorator
  @inline export function splat<T>(x: f32): T {
    // @ts-ignore: the branch not taken for T is never compiled
    if (isVector<T>()) return f32x4.splat(x); else return x;
  }
  // @ts-ignore: decorator
  @inline export function add<T>(a: T, b: T): T {
    // @ts-ignore
    if (isVector<T>()) return f32x4.add(a, b); else return a + b;
  }
  // @ts-ignore: decorator
  @inline export function sub<T>(a: T, b: T): T {
    // @ts-ignore
    if (isVector<T>()) return f32x4.sub(a, b); else return a - b;
  }
  // @ts-ignore: decorator
  @inline export function mul<T>(a: T, b: T): T {
    // @ts-ignore
    if (isVector<T>()) return f32x4.mul(a, b); else return a * b;
  }
  // @ts-ignore: decorator
  @inline export function div<T>(a: T, b: T): T {
    // @ts-ignore
    if (isVector<T>()) return f32x4.div(a, b); else return a / b;
  }
  // @ts-ignore: decorator
  @inline export function sqrt<T>(a: T): T {
    // @ts-ignore
    if (isVector<T>()) return f32x4.sqrt(a); else return Mathf.sqrt(a);
  }
  /** IEEE maximum (NaN if either is NaN), as f32.max and f32x4.max both compute it. */
  // @ts-ignore: decorator
  @inline export function max<T>(a: T, b: T): T {
    // @ts-ignore
    if (isVector<T>()) return f32x4.max(a, b); else return Mathf.max(a, b);
  }
  // @ts-ignore: decorator
  @inline export function min<T>(a: T, b: T): T {
    // @ts-ignore
    if (isVector<T>()) return f32x4.min(a, b); else return Mathf.min(a, b);
  }
  // @ts-ignore: decorator
  @inline export function abs<T>(a: T): T {
    // @ts-ignore
    if (isVector<T>()) return f32x4.abs(a); else return Mathf.abs(a);
  }
  /**
   * x with its sign bit xor-ed with the mask s (0 or 0x80000000): a negation that is exact for
   * every value, NaN included. S is u32 for f32 lanes and v128 (the mask in every lane) for v128.
   */
  // @ts-ignore: decorator
  @inline export function flip<T, S>(x: T, s: S): T {
    // @ts-ignore
    if (isVector<T>()) return v128.xor(x, s); else return reinterpret<f32>(reinterpret<u32>(x) ^ s);
  }
  /** pos where c > 0, neg where c < 0, other where c is ±0 or NaN. */
  // @ts-ignore: decorator
  @inline export function pick<T>(c: T, pos: T, neg: T, other: T): T {
    // @ts-ignore
    if (isVector<T>()) return v128.bitselect(pos, v128.bitselect(neg, other, f32x4.lt(c, f32x4.splat(0))), f32x4.gt(c, f32x4.splat(0)));
    // @ts-ignore
    else return c > 0 ? pos : c < 0 ? neg : other;
  }
  /** pos where c > 0, neg where c < 0, +0 where c is ±0 or NaN (pick with other = 0, two ands and an or). */
  // @ts-ignore: decorator
  @inline export function pick0<T>(c: T, pos: T, neg: T): T {
    // @ts-ignore
    if (isVector<T>()) return v128.or(v128.and(f32x4.gt(c, f32x4.splat(0)), pos), v128.and(f32x4.lt(c, f32x4.splat(0)), neg));
    // @ts-ignore
    else return c > 0 ? pos : c < 0 ? neg : 0;
  }
  /** +0 where c < 0, else x. */
  // @ts-ignore: decorator
  @inline export function zeroIfNegative<T>(x: T, c: T): T {
    // @ts-ignore
    if (isVector<T>()) return v128.andnot(x, f32x4.lt(c, f32x4.splat(0))); else return c < 0 ? 0 : x;
  }
  /** a where c > 0, else b (c ±0 or NaN included). */
  // @ts-ignore: decorator
  @inline export function ifPositive<T>(c: T, a: T, b: T): T {
    // @ts-ignore
    if (isVector<T>()) return v128.bitselect(a, b, f32x4.gt(c, f32x4.splat(0))); else return c > 0 ? a : b;
  }
}

/**
 * The loop of an element-wise map out[i] = op.at(x[i], y[i], a, b): sixteen elements per iteration
 * (four v128, every load of the sixteen before any store, so out may be x or y), then four, then a
 * scalar tail; nothing at or past n. y is read only when Y. `op` is a final class with an @inline
 * at<T>(x: T, y: T, a: T, b: T, F: bool): T (lane-generic); Y and F are compile-time switches.
 */
// @ts-ignore: decorator
@inline export function map16<Op>(op: Op, out: usize, x: usize, y: usize, a: f32, b: f32, n: i32, Y: bool, F: bool): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(a), vb = f32x4.splat(b);
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      const x0 = v128.load(x + o), x1 = v128.load(x + o, 16), x2 = v128.load(x + o, 32), x3 = v128.load(x + o, 48);
      const y0 = Y ? v128.load(y + o) : x0, y1 = Y ? v128.load(y + o, 16) : x1;
      const y2 = Y ? v128.load(y + o, 32) : x2, y3 = Y ? v128.load(y + o, 48) : x3;
      // @ts-ignore: Op is a final class with an @inline at<T>
      v128.store(out + o, op.at<v128>(x0, y0, va, vb, F));
      // @ts-ignore
      v128.store(out + o, op.at<v128>(x1, y1, va, vb, F), 16);
      // @ts-ignore
      v128.store(out + o, op.at<v128>(x2, y2, va, vb, F), 32);
      // @ts-ignore
      v128.store(out + o, op.at<v128>(x3, y3, va, vb, F), 48);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      // @ts-ignore
      v128.store(out + o, op.at<v128>(v128.load(x + o), Y ? v128.load(y + o) : va, va, vb, F));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    // @ts-ignore
    store<f32>(out + o, op.at<f32>(load<f32>(x + o), Y ? load<f32>(y + o) : a, a, b, F));
  }
}

/** x + y, the op of {@link addInto}. */
@final @unmanaged class AddOp {
  // @ts-ignore: decorator
  @inline at<T>(x: T, y: T, _a: T, _b: T, _f: bool): T { return lane.add(x, y); }
}

/** out[i] = out[i] + y[i] for i < n (map16's loop; y must not overlap out except exactly). */
// @ts-ignore: decorator
@inline export function addInto(out: usize, y: usize, n: i32): void {
  map16(changetype<AddOp>(0), out, out, y, 0, 0, n, true, false);
}

/** Loads r = 1..3 floats at q into the low lanes (the rest zero), reading nothing past them. SIMD only. */
// @ts-ignore: decorator
@inline export function loadPartial(q: usize, r: i32): v128 {
  if (r == 1) return v128.load32_zero(q);
  if (r == 2) return v128.load64_zero(q);
  return v128.load32_lane(q + 8, v128.load64_zero(q), 2);
}

/** Stores the low r = 1..3 lanes of v at q, writing nothing past them. SIMD only. */
// @ts-ignore: decorator
@inline export function storePartial(q: usize, v: v128, r: i32): void {
  if (r == 1) v128.store32_lane(q, v, 0);
  else if (r == 2) v128.store64_lane(q, v, 0);
  else {
    v128.store64_lane(q, v, 0);
    v128.store32_lane(q + 8, v, 2);
  }
}

/** (l0 + l1) + (l2 + l3): four lane partials combined in the kernels' fixed order. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Σ a[i]·b[i] over n contiguous f32: four partials (lane k: i ≡ k mod 4 below n & ~3, one v128
 * or four scalars) combined by {@link hsum}'s order, then the tail in order.
 */
// @ts-ignore: decorator
@inline export function dotRow(a: usize, b: usize, n: i32): f32 {
  const n4 = n & ~3;
  let s: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    for (let j = 0; j < n4; j += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + (<usize>j << 2)), v128.load(b + (<usize>j << 2))));
    s = hsum(acc);
  } else {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (let j = 0; j < n4; j += 4) {
      const k = <usize>j << 2;
      s0 += load<f32>(a + k) * load<f32>(b + k);
      s1 += load<f32>(a + k, 4) * load<f32>(b + k, 4);
      s2 += load<f32>(a + k, 8) * load<f32>(b + k, 8);
      s3 += load<f32>(a + k, 12) * load<f32>(b + k, 12);
    }
    s = (s0 + s1) + (s2 + s3);
  }
  for (let j = n4; j < n; j++) s += load<f32>(a + (<usize>j << 2)) * load<f32>(b + (<usize>j << 2));
  return s;
}
