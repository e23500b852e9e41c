// Adadelta (torch.optim.Adadelta) in one pass. p, g, v (square_avg) and u (acc_delta) hold n f32
// each, 16-byte aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128),
// then 4, then a scalar tail; nothing at or past n.

import { ADADELTA_L2 as L2 } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, gradient, emaSq } from "./common";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  v = ρv + (1−ρ)d²;  δ = √(u+eps) / √(v+eps) · d;
 * u = ρu + (1−ρ)δ²;  p += negLr·δ.
 */
export function f32_adadelta_step(
  p: usize, g: usize, v: usize, u: usize, n: i32, negLr: f32, rho: f32, omRho: f32, eps: f32, weightDecay: f32, flags: i32,
): void {
  const s = signMask(flags);
  if (flags & L2) adadelta(p, g, v, u, n, negLr, rho, omRho, eps, weightDecay, s, true);
  else adadelta(p, g, v, u, n, negLr, rho, omRho, eps, weightDecay, s, false);
}

// @ts-ignore: decorator
@inline function adadelta(
  p: usize, g: usize, v: usize, u: usize, n: i32, nlr: f32, r: f32, c: f32, ep: f32, wd: f32, s: u32, WD: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vnlr = f32x4.splat(nlr), vr = f32x4.splat(r), vc = f32x4.splat(c);
    const vep = f32x4.splat(ep), vwd = f32x4.splat(wd);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      adadeltaAt<v128, v128>(p + o, g + o, v + o, u + o, vnlr, vr, vc, vep, vwd, vs, WD);
      adadeltaAt<v128, v128>(p + o + 16, g + o + 16, v + o + 16, u + o + 16, vnlr, vr, vc, vep, vwd, vs, WD);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      adadeltaAt<v128, v128>(p + o, g + o, v + o, u + o, vnlr, vr, vc, vep, vwd, vs, WD);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    adadeltaAt<f32, u32>(p + o, g + o, v + o, u + o, nlr, r, c, ep, wd, s, WD);
  }
}

// @ts-ignore: decorator
@inline function adadeltaAt<T, S>(
  p: usize, g: usize, v: usize, u: usize, nlr: T, r: T, c: T, ep: T, wd: T, s: S, WD: bool,
): void {
  const x = load<T>(p);
  const d = gradient<T, S>(g, s, x, wd, WD);
  const vv = emaSq(load<T>(v), r, c, d);
  store<T>(v, vv);
  const uu = load<T>(u);
  const delta = lane.mul(lane.div(lane.sqrt(lane.add(uu, ep)), lane.sqrt(lane.add(vv, ep))), d);
  store<T>(u, emaSq(uu, r, c, delta));
  store<T>(p, lane.add(x, lane.mul(nlr, delta)));
}
