// RAdam (torch.optim.RAdam) in one pass. p, g, m (exp_avg) and v (exp_avg_sq) hold n f32 each,
// 16-byte aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128), then
// 4, then a scalar tail; nothing at or past n. ρₜ, the rectification term and the branch
// (RADAM_RECTIFY when ρₜ > 5) are decided in TypeScript and arrive as scalars and a flag.
// The gradient and both moments are the Adam family's pass (./adam.ts); RAdam's own last step is here.

import { RADAM_L2 as L2, RADAM_DECOUPLED as DECOUPLED, RADAM_RECTIFY as RECTIFY } from "../../constants.gen";
import { lane } from "../lanes";
import { adamFamily } from "./adam";
import { signMask } from "./common";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  [decoupled: p = decay·p];  m = β₁m + (1−β₁)d;
 * v = β₂v + (1−β₂)d²;  m̂ = m / bc1;  rectify: p −= m̂·lr · (bc2Sqrt / (√v + eps)) · rect;  else p −= m̂·lr.
 */
export function f32_radam_step(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f32, beta1: f32, omBeta1: f32, beta2: f32, omBeta2: f32, bc1: f32, bc2Sqrt: f32, rect: f32, eps: f32,
  weightDecay: f32, decay: f32, flags: i32,
): void {
  adamFamily(
    changetype<RAdam>(0), p, g, m, v, 0, n, beta1, omBeta1, beta2, omBeta2, weightDecay, decay, lr, bc1, bc2Sqrt, rect, eps,
    signMask(flags), (flags & RECTIFY) != 0, (flags & L2) != 0, (flags & DECOUPLED) != 0,
  );
}

/** RAdam's last step: m̂ = (m / bc1)·lr; RECT: p = x − m̂·(bc / (√v + eps))·rect; else p = x − m̂. */
@final @unmanaged class RAdam {
  // @ts-ignore: decorator
  @inline finish<T>(p: usize, _w: usize, x: T, _d: T, mm: T, vv: T, lr: T, bc1: T, bc: T, rect: T, ep: T, RECT: bool): void {
    const mh = lane.mul(lane.div(mm, bc1), lr);
    if (RECT) store<T>(p, lane.sub(x, lane.mul(lane.mul(mh, lane.div(bc, lane.add(lane.sqrt(vv), ep))), rect)));
    else store<T>(p, lane.sub(x, mh));
  }
}
