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
