// RMSprop (torch.optim.RMSprop) in one pass. p, g, v (square_avg), ga (grad_avg, touched only with
// RMSPROP_CENTERED) and buf (momentum_buffer, touched only with RMSPROP_MOMENTUM) hold n f32 each,
// 16-byte aligned by the arena, and must not alias. Loops: 8 elements per iteration (two v128), then
// 4, then a scalar tail; nothing at or past n.

import { RMSPROP_CENTERED as CENTERED, RMSPROP_MOMENTUM as MOMENTUM, RMSPROP_L2 as L2 } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, gradient, ema, emaSq } from "./common";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  v = αv + (1−α)d²;
 * centered: ga = αga + (1−α)d, den = √(v − ga²) + eps; else den = √v + eps;
 * momentum: buf = μ·buf + d/den, p += negLr·buf; else p += negLr · d/den.
 */
export function f32_rmsprop_step(
  p: usize, g: usize, v: usize, ga: usize, buf: usize, n: i32,
  negLr: f32, alpha: f32, omAlpha: f32, eps: f32, momentum: f32, weightDecay: f32, flags: i32,
): void {
  const s = signMask(flags);
  // each case runs its own specialised loop
  switch (flags & (CENTERED | MOMENTUM | L2)) {
    case L2: rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, false, false, true); break;
    case MOMENTUM: rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, false, true, false); break;
    case MOMENTUM | L2: rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, false, true, true); break;
    case CENTERED: rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, true, false, false); break;
    case CENTERED | L2: rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, true, false, true); break;
    case CENTERED | MOMENTUM: rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, true, true, false); break;
    case CENTERED | MOMENTUM | L2: rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, true, true, true); break;
    default: rms(p, g, v, ga, buf, n, negLr, alpha, omAlpha, eps, momentum, weightDecay, s, false, false, false);
  }
}

// @ts-ignore: decorator
@inline function rms(
  p: usize, g: usize, v: usize, ga: usize, buf: usize, n: i32,
  nlr: f32, a: f32, c: f32, ep: f32, mu: f32, wd: f32, s: u32, CEN: bool, MOM: bool, WD: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vnlr = f32x4.splat(nlr), va = f32x4.splat(a), vc = f32x4.splat(c);
    const vep = f32x4.splat(ep), vmu = f32x4.splat(mu), vwd = f32x4.splat(wd);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      rmsAt<v128, v128>(p + o, g + o, v + o, ga + o, buf + o, vnlr, va, vc, vep, vmu, vwd, vs, CEN, MOM, WD);
      const o2 = o + 16;
      rmsAt<v128, v128>(p + o2, g + o2, v + o2, ga + o2, buf + o2, vnlr, va, vc, vep, vmu, vwd, vs, CEN, MOM, WD);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      rmsAt<v128, v128>(p + o, g + o, v + o, ga + o, buf + o, vnlr, va, vc, vep, vmu, vwd, vs, CEN, MOM, WD);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    rmsAt<f32, u32>(p + o, g + o, v + o, ga + o, buf + o, nlr, a, c, ep, mu, wd, s, CEN, MOM, WD);
  }
}

// @ts-ignore: decorator
@inline function rmsAt<T, S>(
  p: usize, g: usize, v: usize, ga: usize, buf: usize,
  nlr: T, a: T, c: T, ep: T, mu: T, wd: T, s: S, CEN: bool, MOM: bool, WD: bool,
): void {
  const x = load<T>(p);
  const d = gradient<T, S>(g, s, x, wd, WD);
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
