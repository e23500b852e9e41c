// Adagrad (torch.optim.Adagrad) in one pass. p, g and sum hold n f32 each, 16-byte aligned by the
// arena, and must not alias. Loops: 8 elements per iteration (two v128), then 4, then a scalar tail;
// nothing at or past n. The decayed rate clr = lr / (1 + (t−1)·lrDecay) arrives as negClr.

import { ADAGRAD_L2 as L2 } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, loop8 } from "./common";

/** d = (maximize ? -g : g) [+ weightDecay·p];  sum += d·d;  p += negClr · d / (√sum + eps). */
export function f32_adagrad_step(
  p: usize, g: usize, sum: usize, n: i32, negClr: f32, eps: f32, weightDecay: f32, flags: i32,
): void {
  const s = signMask(flags), op = changetype<Adagrad>(0);
  if (flags & L2) loop8(op, p, g, sum, 0, 0, n, s, weightDecay, true, negClr, eps, 0, 0, 0, 0, 0, false, false, false);
  else loop8(op, p, g, sum, 0, 0, n, s, weightDecay, false, negClr, eps, 0, 0, 0, 0, 0, false, false, false);
}

/** One element (or four) of the rule above, from x = p and the gradient d. */
@final @unmanaged class Adagrad {
  // @ts-ignore: decorator
  @inline at<T>(p: usize, sum: usize, _b3: usize, _b4: usize, x: T, d: T, nc: T, ep: T, _k2: T, _k3: T, _k4: T, _k5: T, _k6: T, _f1: bool, _f2: bool, _f3: bool): void {
    const a = lane.add(load<T>(sum), lane.mul(d, d));
    store<T>(sum, a);
    store<T>(p, lane.add(x, lane.mul(nc, lane.div(d, lane.add(lane.sqrt(a), ep)))));
  }
}
