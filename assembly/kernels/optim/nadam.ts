// NAdam (torch.optim.NAdam, the documented rule of its foreach path) in one pass. p, g, m (exp_avg)
// and v (exp_avg_sq) hold n f32 each, 16-byte aligned by the arena, and must not alias. Loops:
// 8 elements per iteration (two v128), then 4, then a scalar tail; nothing at or past n. The momentum
// schedule μₜ, its running product and both step sizes live in TypeScript and arrive as scalars.
// The gradient and both moments are the Adam family's pass (./adam.ts); NAdam's own last step is here.

import { NADAM_L2 as L2, NADAM_DECOUPLED as DECOUPLED } from "../../constants.gen";
import { lane } from "../lanes";
import { adamFamily } from "./adam";
import { signMask } from "./common";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  [decoupled: p = decay·p];  m = β₁m + (1−β₁)d;
 * v = β₂v + (1−β₂)d²;  den = √v / bc2Sqrt + eps;  p += negStepGrad · d/den;  p += negStepAvg · m/den.
 */
export function f32_nadam_step(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  negStepGrad: f32, negStepAvg: f32, beta1: f32, omBeta1: f32, beta2: f32, omBeta2: f32, bc2Sqrt: f32, eps: f32,
  weightDecay: f32, decay: f32, flags: i32,
): void {
  adamFamily(
    changetype<NAdam>(0), p, g, m, v, 0, n, beta1, omBeta1, beta2, omBeta2, weightDecay, decay, negStepGrad, negStepAvg, bc2Sqrt, eps, 0,
    signMask(flags), false, (flags & L2) != 0, (flags & DECOUPLED) != 0,
  );
}

/** NAdam's last step: den = √v / bc + eps; x += sg · d/den; p = x + sm · m/den. */
@final @unmanaged class NAdam {
  // @ts-ignore: decorator
  @inline finish<T>(p: usize, _w: usize, x: T, d: T, mm: T, vv: T, sg: T, sm: T, bc: T, ep: T, _4: T, _f: bool): void {
    const den = lane.add(lane.div(lane.sqrt(vv), bc), ep);
    x = lane.add(x, lane.mul(sg, lane.div(d, den)));
    store<T>(p, lane.add(x, lane.mul(sm, lane.div(mm, den))));
  }
}
