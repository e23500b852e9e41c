// What the optimizer kernels share, written once: the gradient as every rule starts it and the
// exponential moving averages of the moment buffers. Lane-generic (../lanes.ts): T is v128 in a
// kernel's four-lane loop and f32 in its scalar tail, S the matching sign mask (v128 or u32), so
// both loops run one rule and round at the same steps. Mirrors src/ref/optim/common.ts.
import { MAXIMIZE } from "../../constants.gen";
import { lane } from "../lanes";

/** The sign mask of the MAXIMIZE bit of `flags`: 0x80000000 (negate the gradient) or 0. */
// @ts-ignore: decorator
@inline export function signMask(flags: i32): u32 {
  return flags & MAXIMIZE ? 0x80000000 : 0;
}

/** d = (maximize ? −g : g) [+ wd·x when WD]: the gradient at g as every rule starts from it. */
// @ts-ignore: decorator
@inline export function gradient<T, S>(g: usize, s: S, x: T, wd: T, WD: bool): T {
  const d = lane.flip<T, S>(load<T>(g), s);
  return WD ? lane.add(d, lane.mul(wd, x)) : d;
}

/** β·old + (1−β)·d with c = 1−β: a first-moment average (m, Adam's exp_avg). */
// @ts-ignore: decorator
@inline export function ema<T>(old: T, b: T, d: T, c: T): T {
  return lane.add(lane.mul(old, b), lane.mul(d, c));
}

/** β·old + (1−β)·d² with c = 1−β, rounded as (c·d)·d: a second-moment average (v, exp_avg_sq). */
// @ts-ignore: decorator
@inline export function emaSq<T>(old: T, b: T, c: T, d: T): T {
  return lane.add(lane.mul(old, b), lane.mul(lane.mul(c, d), d));
}

/**
 * The optimizer kernels' loop, 8 elements per iteration (two v128), then 4, then a scalar tail;
 * nothing at or past n. Per element: x = p, d = {@link gradient} of g (sign mask s, + wd·x when
 * WD), then `op.at` with p, up to three more buffers b2..b4 (each advanced to the element), x, d,
 * seven scalars k0..k6 (splatted once for the v128 loops) and three compile-time switches F1..F3.
 * A kernel passes 0 / false for what it does not use (dead code, removed). `op` is a final class
 * with an @inline at<T>(p, b2, b3, b4: usize, x, d: T, k0..k6: T, F1, F2, F3: bool): void.
 */
// @ts-ignore: decorator
@inline export function loop8<Op>(
  op: Op, p: usize, g: usize, b2: usize, b3: usize, b4: usize, n: i32, s: u32, wd: f32, WD: bool,
  k0: f32, k1: f32, k2: f32, k3: f32, k4: f32, k5: f32, k6: f32, F1: bool, F2: bool, F3: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vwd = f32x4.splat(wd), v0 = f32x4.splat(k0), v1 = f32x4.splat(k1), v2 = f32x4.splat(k2);
    const v3 = f32x4.splat(k3), v4 = f32x4.splat(k4), v5 = f32x4.splat(k5), v6 = f32x4.splat(k6);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      at8<Op, v128, v128>(op, p + o, g + o, b2 + o, b3 + o, b4 + o, vs, vwd, WD, v0, v1, v2, v3, v4, v5, v6, F1, F2, F3);
      at8<Op, v128, v128>(op, p + o + 16, g + o + 16, b2 + o + 16, b3 + o + 16, b4 + o + 16, vs, vwd, WD, v0, v1, v2, v3, v4, v5, v6, F1, F2, F3);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      at8<Op, v128, v128>(op, p + o, g + o, b2 + o, b3 + o, b4 + o, vs, vwd, WD, v0, v1, v2, v3, v4, v5, v6, F1, F2, F3);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    at8<Op, f32, u32>(op, p + o, g + o, b2 + o, b3 + o, b4 + o, s, wd, WD, k0, k1, k2, k3, k4, k5, k6, F1, F2, F3);
  }
}

// @ts-ignore: decorator
@inline function at8<Op, T, S>(
  op: Op, p: usize, g: usize, b2: usize, b3: usize, b4: usize, s: S, wd: T, WD: bool,
  k0: T, k1: T, k2: T, k3: T, k4: T, k5: T, k6: T, F1: bool, F2: bool, F3: bool,
): void {
  const x = load<T>(p);
  // @ts-ignore: Op is a final class with an @inline at<T>
  op.at<T>(p, b2, b3, b4, x, gradient<T, S>(g, s, x, wd, WD), k0, k1, k2, k3, k4, k5, k6, F1, F2, F3);
}
