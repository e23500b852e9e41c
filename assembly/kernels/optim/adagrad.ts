// Adagrad (torch.optim.Adagrad) in one pass. p, g and sum hold n f32 each, 16-byte aligned by the
// arena, and must not alias. Loops: 8 elements per iteration (two v128), then 4, then a scalar tail;
// nothing at or past n. The decayed rate clr = lr / (1 + (t−1)·lrDecay) arrives as negClr.

import { ADAGRAD_L2 as L2 } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, gradient } from "./common";

/** d = (maximize ? -g : g) [+ weightDecay·p];  sum += d·d;  p += negClr · d / (√sum + eps). */
export function f32_adagrad_step(
  p: usize, g: usize, sum: usize, n: i32, negClr: f32, eps: f32, weightDecay: f32, flags: i32,
): void {
  const s = signMask(flags);
  if (flags & L2) adagrad(p, g, sum, n, negClr, eps, weightDecay, s, true);
  else adagrad(p, g, sum, n, negClr, eps, weightDecay, s, false);
}

// @ts-ignore: decorator
@inline function adagrad(p: usize, g: usize, sum: usize, n: i32, nc: f32, ep: f32, wd: f32, s: u32, WD: bool): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vnc = f32x4.splat(nc), vep = f32x4.splat(ep), vwd = f32x4.splat(wd);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      adagradAt<v128, v128>(p + o, g + o, sum + o, vnc, vep, vwd, vs, WD);
      adagradAt<v128, v128>(p + o + 16, g + o + 16, sum + o + 16, vnc, vep, vwd, vs, WD);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      adagradAt<v128, v128>(p + o, g + o, sum + o, vnc, vep, vwd, vs, WD);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    adagradAt<f32, u32>(p + o, g + o, sum + o, nc, ep, wd, s, WD);
  }
}

// @ts-ignore: decorator
@inline function adagradAt<T, S>(p: usize, g: usize, sum: usize, nc: T, ep: T, wd: T, s: S, WD: bool): void {
  const x = load<T>(p);
  const d = gradient<T, S>(g, s, x, wd, WD);
  const a = lane.add(load<T>(sum), lane.mul(d, d));
  store<T>(sum, a);
  store<T>(p, lane.add(x, lane.mul(nc, lane.div(d, lane.add(lane.sqrt(a), ep)))));
}
