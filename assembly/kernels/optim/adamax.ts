// Adamax (torch.optim.Adamax) in one pass. p, g, m (exp_avg) and u (exp_inf) hold n f32 each,
// 16-byte aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128),
// then 4, then a scalar tail; nothing at or past n. clr = lr / (1 − β₁ᵗ) arrives as negClr.

import { ADAMAX_L2 as L2 } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, gradient, ema } from "./common";

/** d = (maximize ? -g : g) [+ weightDecay·p];  m = β₁m + (1−β₁)d;  u = max(β₂u, |d| + eps);  p += negClr·m/u. */
export function f32_adamax_step(
  p: usize, g: usize, m: usize, u: usize, n: i32,
  negClr: f32, beta1: f32, omBeta1: f32, beta2: f32, eps: f32, weightDecay: f32, flags: i32,
): void {
  const s = signMask(flags);
  if (flags & L2) adamax(p, g, m, u, n, negClr, beta1, omBeta1, beta2, eps, weightDecay, s, true);
  else adamax(p, g, m, u, n, negClr, beta1, omBeta1, beta2, eps, weightDecay, s, false);
}

// @ts-ignore: decorator
@inline function adamax(
  p: usize, g: usize, m: usize, u: usize, n: i32, nc: f32, b1: f32, c1: f32, b2: f32, ep: f32, wd: f32, s: u32, WD: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vnc = f32x4.splat(nc), vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1);
    const vb2 = f32x4.splat(b2), vep = f32x4.splat(ep), vwd = f32x4.splat(wd);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      adamaxAt<v128, v128>(p + o, g + o, m + o, u + o, vnc, vb1, vc1, vb2, vep, vwd, vs, WD);
      adamaxAt<v128, v128>(p + o + 16, g + o + 16, m + o + 16, u + o + 16, vnc, vb1, vc1, vb2, vep, vwd, vs, WD);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      adamaxAt<v128, v128>(p + o, g + o, m + o, u + o, vnc, vb1, vc1, vb2, vep, vwd, vs, WD);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    adamaxAt<f32, u32>(p + o, g + o, m + o, u + o, nc, b1, c1, b2, ep, wd, s, WD);
  }
}

// @ts-ignore: decorator
@inline function adamaxAt<T, S>(
  p: usize, g: usize, m: usize, u: usize, nc: T, b1: T, c1: T, b2: T, ep: T, wd: T, s: S, WD: bool,
): void {
  const x = load<T>(p);
  const d = gradient<T, S>(g, s, x, wd, WD);
  const mm = ema(load<T>(m), b1, d, c1);
  store<T>(m, mm);
  const uu = lane.max(lane.mul(load<T>(u), b2), lane.add(lane.abs(d), ep));
  store<T>(u, uu);
  store<T>(p, lane.add(x, lane.mul(nc, lane.div(mm, uu))));
}
