// SGD (torch.optim.SGD) in one pass. p, g and buf (the momentum buffer) hold n f32 each, 16-byte
// aligned by the arena, and must not alias; buf is neither read nor written without SGD_MOMENTUM,
// and only written with SGD_FIRST (torch's first step sets buf = g, undamped).
// Loops: 8 elements per iteration (two v128), then 4, then a scalar tail; nothing at or past n.
// The flags pick one of ten loop variants, all copies of one body specialised at compile time.

import { SGD_MOMENTUM as MOMENTUM, SGD_FIRST as FIRST, SGD_NESTEROV as NESTEROV, SGD_L2 as L2 } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, loop8 } from "./common";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p]; with momentum: buf = first ? d : momentum·buf + omDampening·d,
 * d = nesterov ? d + momentum·buf : buf; then p += negLr·d.
 */
export function f32_sgd_step(
  p: usize, g: usize, buf: usize, n: i32,
  negLr: f32, momentum: f32, omDampening: f32, weightDecay: f32, flags: i32,
): void {
  const s = signMask(flags), op = changetype<SGD>(0);
  // FIRST and NESTEROV count only with MOMENTUM; each case runs its own specialised loop
  switch (flags & MOMENTUM ? flags & (MOMENTUM | FIRST | NESTEROV | L2) : flags & L2) {
    case L2: loop8(op, p, g, buf, 0, 0, n, s, weightDecay, true, negLr, momentum, omDampening, 0, 0, 0, 0, false, false, false); break;
    case MOMENTUM: loop8(op, p, g, buf, 0, 0, n, s, weightDecay, false, negLr, momentum, omDampening, 0, 0, 0, 0, true, false, false); break;
    case MOMENTUM | L2: loop8(op, p, g, buf, 0, 0, n, s, weightDecay, true, negLr, momentum, omDampening, 0, 0, 0, 0, true, false, false); break;
    case MOMENTUM | NESTEROV: loop8(op, p, g, buf, 0, 0, n, s, weightDecay, false, negLr, momentum, omDampening, 0, 0, 0, 0, true, false, true); break;
    case MOMENTUM | NESTEROV | L2: loop8(op, p, g, buf, 0, 0, n, s, weightDecay, true, negLr, momentum, omDampening, 0, 0, 0, 0, true, false, true); break;
    case MOMENTUM | FIRST: loop8(op, p, g, buf, 0, 0, n, s, weightDecay, false, negLr, momentum, omDampening, 0, 0, 0, 0, true, true, false); break;
    case MOMENTUM | FIRST | L2: loop8(op, p, g, buf, 0, 0, n, s, weightDecay, true, negLr, momentum, omDampening, 0, 0, 0, 0, true, true, false); break;
    case MOMENTUM | FIRST | NESTEROV: loop8(op, p, g, buf, 0, 0, n, s, weightDecay, false, negLr, momentum, omDampening, 0, 0, 0, 0, true, true, true); break;
    case MOMENTUM | FIRST | NESTEROV | L2: loop8(op, p, g, buf, 0, 0, n, s, weightDecay, true, negLr, momentum, omDampening, 0, 0, 0, 0, true, true, true); break;
    default: loop8(op, p, g, buf, 0, 0, n, s, weightDecay, false, negLr, momentum, omDampening, 0, 0, 0, 0, false, false, false);
  }
}

/** One element (or four) of the rule above, from x = p and the gradient d. */
@final @unmanaged class SGD {
  // @ts-ignore: decorator
  @inline at<T>(p: usize, buf: usize, _b3: usize, _b4: usize, x: T, d: T, nlr: T, mu: T, omd: T, _k3: T, _k4: T, _k5: T, _k6: T, MOM: bool, FIRST: bool, NEST: bool): void {
    if (MOM) {
      let b = d;
      if (!FIRST) b = lane.add(lane.mul(load<T>(buf), mu), lane.mul(omd, d));
      store<T>(buf, b);
      d = NEST ? lane.add(d, lane.mul(mu, b)) : b;
    }
    store<T>(p, lane.add(x, lane.mul(nlr, d)));
  }
}
