// Adadelta (torch.optim.Adadelta) in one pass. p, g, v (square_avg) and u (acc_delta) hold n f32
// each, 16-byte aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128),
// then 4, then a scalar tail; nothing at or past n.

import { ADADELTA_L2 as L2 } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, emaSq, loop8 } from "./common";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  v = ρv + (1−ρ)d²;  δ = √(u+eps) / √(v+eps) · d;
 * u = ρu + (1−ρ)δ²;  p += negLr·δ.
 */
export function f32_adadelta_step(
  p: usize, g: usize, v: usize, u: usize, n: i32, negLr: f32, rho: f32, omRho: f32, eps: f32, weightDecay: f32, flags: i32,
): void {
  const s = signMask(flags);
  const op = changetype<Adadelta>(0);
  if (flags & L2) loop8(op, p, g, v, u, 0, n, s, weightDecay, true, negLr, rho, omRho, eps, 0, 0, 0, false, false, false);
  else loop8(op, p, g, v, u, 0, n, s, weightDecay, false, negLr, rho, omRho, eps, 0, 0, 0, false, false, false);
}

/** One element (or four) of the rule above, from x = p and the gradient d. */
@final @unmanaged class Adadelta {
  // @ts-ignore: decorator
  @inline at<T>(p: usize, v: usize, u: usize, _b4: usize, x: T, d: T, nlr: T, r: T, c: T, ep: T, _k4: T, _k5: T, _k6: T, _f1: bool, _f2: bool, _f3: bool): void {
    const vv = emaSq(load<T>(v), r, c, d);
    store<T>(v, vv);
    const uu = load<T>(u);
    const delta = lane.mul(lane.div(lane.sqrt(lane.add(uu, ep)), lane.sqrt(lane.add(vv, ep))), d);
    store<T>(u, emaSq(uu, r, c, delta));
    store<T>(p, lane.add(x, lane.mul(nlr, delta)));
  }
}
