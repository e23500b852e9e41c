// RMSprop (torch.optim.RMSprop) in one pass. p, g, v (square_avg), ga (grad_avg, touched only with
// RMSPROP_CENTERED) and buf (momentum_buffer, touched only with RMSPROP_MOMENTUM) hold n f32 each,
// 16-byte aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128), then
// 4, then a scalar tail; nothing at or past n.

import { RMSPROP_CENTERED as CENTERED, RMSPROP_MOMENTUM as MOMENTUM, RMSPROP_L2 as L2 } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, ema, emaSq, loop8 } from "./common";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  v = αv + (1−α)d²;
 * centered: ga = αga + (1−α)d, den = √(v − ga²) + eps; else den = √v + eps;
 * momentum: buf = μ·buf + d/den, p += negLr·buf; else p += negLr · d/den.
 */
export function f32_rmsprop_step(
  p: usize, g: usize, v: usize, ga: usize, buf: usize, n: i32,
  negLr: f32, alpha: f32, omAlpha: f32, eps: f32, momentum: f32, weightDecay: f32, flags: i32,
): void {
  const s = signMask(flags), op = changetype<RMSprop>(0);
  // each case runs its own specialised loop
  switch (flags & (CENTERED | MOMENTUM | L2)) {
    case L2: loop8(op, p, g, v, ga, buf, n, s, weightDecay, true, negLr, alpha, omAlpha, eps, momentum, 0, 0, false, false, false); break;
    case MOMENTUM: loop8(op, p, g, v, ga, buf, n, s, weightDecay, false, negLr, alpha, omAlpha, eps, momentum, 0, 0, false, true, false); break;
    case MOMENTUM | L2: loop8(op, p, g, v, ga, buf, n, s, weightDecay, true, negLr, alpha, omAlpha, eps, momentum, 0, 0, false, true, false); break;
    case CENTERED: loop8(op, p, g, v, ga, buf, n, s, weightDecay, false, negLr, alpha, omAlpha, eps, momentum, 0, 0, true, false, false); break;
    case CENTERED | L2: loop8(op, p, g, v, ga, buf, n, s, weightDecay, true, negLr, alpha, omAlpha, eps, momentum, 0, 0, true, false, false); break;
    case CENTERED | MOMENTUM: loop8(op, p, g, v, ga, buf, n, s, weightDecay, false, negLr, alpha, omAlpha, eps, momentum, 0, 0, true, true, false); break;
    case CENTERED | MOMENTUM | L2: loop8(op, p, g, v, ga, buf, n, s, weightDecay, true, negLr, alpha, omAlpha, eps, momentum, 0, 0, true, true, false); break;
    default: loop8(op, p, g, v, ga, buf, n, s, weightDecay, false, negLr, alpha, omAlpha, eps, momentum, 0, 0, false, false, false);
  }
}

/** One element (or four) of the rule above, from x = p and the gradient d. */
@final @unmanaged class RMSprop {
  // @ts-ignore: decorator
  @inline at<T>(p: usize, v: usize, ga: usize, buf: usize, x: T, d: T, nlr: T, a: T, c: T, ep: T, mu: T, _k5: T, _k6: T, CEN: bool, MOM: bool, _f3: bool): void {
    const vv = emaSq(load<T>(v), a, c, d);
    store<T>(v, vv);
    let den: T;
    if (CEN) {
      const gg = ema(load<T>(ga), a, d, c);
      store<T>(ga, gg);
      den = lane.add(lane.sqrt(lane.sub(vv, lane.mul(gg, gg))), ep);
    } else {
      den = lane.add(lane.sqrt(vv), ep);
    }
    if (MOM) {
      const b = lane.add(lane.mul(load<T>(buf), mu), lane.div(d, den));
      store<T>(buf, b);
      store<T>(p, lane.add(x, lane.mul(nlr, b)));
    } else {
      store<T>(p, lane.add(x, lane.mul(nlr, lane.div(d, den))));
    }
  }
}
