// Adamax (torch.optim.Adamax) in one pass. p, g, m (exp_avg) and u (exp_inf) hold n f32 each,
// 16-byte aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128),
// then 4, then a scalar tail; nothing at or past n. clr = lr / (1 − β₁ᵗ) arrives as negClr.

import { ADAMAX_L2 as L2 } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, ema, loop8 } from "./common";

/** d = (maximize ? -g : g) [+ weightDecay·p];  m = β₁m + (1−β₁)d;  u = max(β₂u, |d| + eps);  p += negClr·m/u. */
export function f32_adamax_step(
  p: usize, g: usize, m: usize, u: usize, n: i32,
  negClr: f32, beta1: f32, omBeta1: f32, beta2: f32, eps: f32, weightDecay: f32, flags: i32,
): void {
  const s = signMask(flags);
  const op = changetype<Adamax>(0);
  if (flags & L2) loop8(op, p, g, m, u, 0, n, s, weightDecay, true, negClr, beta1, omBeta1, beta2, eps, 0, 0, false, false, false);
  else loop8(op, p, g, m, u, 0, n, s, weightDecay, false, negClr, beta1, omBeta1, beta2, eps, 0, 0, false, false, false);
}

/** One element (or four) of the rule above, from x = p and the gradient d. */
@final @unmanaged class Adamax {
  // @ts-ignore: decorator
  @inline at<T>(p: usize, m: usize, u: usize, _b4: usize, x: T, d: T, nc: T, b1: T, c1: T, b2: T, ep: T, _k5: T, _k6: T, _f1: bool, _f2: bool, _f3: bool): void {
    const mm = ema(load<T>(m), b1, d, c1);
    store<T>(m, mm);
    const uu = lane.max(lane.mul(load<T>(u), b2), lane.add(lane.abs(d), ep));
    store<T>(u, uu);
    store<T>(p, lane.add(x, lane.mul(nc, lane.div(mm, uu))));
  }
}
