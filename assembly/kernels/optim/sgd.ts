// SGD (torch.optim.SGD) in one pass. p, g and buf (the momentum buffer) hold n f32 each, 16-byte
// aligned by the arena, and must not alias; buf is neither read nor written without SGD_MOMENTUM,
// and only written with SGD_FIRST (torch's first step sets buf = g, undamped).
// Loops: 8 elements per iteration (two v128), then 4, then a scalar tail; nothing at or past n.
// The flags pick one of ten loop variants, all copies of one body specialised at compile time.

import { SGD_MOMENTUM as MOMENTUM, SGD_FIRST as FIRST, SGD_NESTEROV as NESTEROV, SGD_L2 as L2 } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, gradient } from "./common";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p]; with momentum: buf = first ? d : momentum·buf + omDampening·d,
 * d = nesterov ? d + momentum·buf : buf; then p += negLr·d.
 */
export function f32_sgd_step(
  p: usize, g: usize, buf: usize, n: i32,
  negLr: f32, momentum: f32, omDampening: f32, weightDecay: f32, flags: i32,
): void {
  const s = signMask(flags);
  // FIRST and NESTEROV count only with MOMENTUM; each case runs its own specialised loop
  switch (flags & MOMENTUM ? flags & (MOMENTUM | FIRST | NESTEROV | L2) : flags & L2) {
    case L2: sgd(p, g, buf, n, negLr, momentum, omDampening, weightDecay, s, false, false, false, true); break;
    case MOMENTUM: sgd(p, g, buf, n, negLr, momentum, omDampening, weightDecay, s, true, false, false, false); break;
    case MOMENTUM | L2: sgd(p, g, buf, n, negLr, momentum, omDampening, weightDecay, s, true, false, false, true); break;
    case MOMENTUM | NESTEROV: sgd(p, g, buf, n, negLr, momentum, omDampening, weightDecay, s, true, false, true, false); break;
    case MOMENTUM | NESTEROV | L2: sgd(p, g, buf, n, negLr, momentum, omDampening, weightDecay, s, true, false, true, true); break;
    case MOMENTUM | FIRST: sgd(p, g, buf, n, negLr, momentum, omDampening, weightDecay, s, true, true, false, false); break;
    case MOMENTUM | FIRST | L2: sgd(p, g, buf, n, negLr, momentum, omDampening, weightDecay, s, true, true, false, true); break;
    case MOMENTUM | FIRST | NESTEROV: sgd(p, g, buf, n, negLr, momentum, omDampening, weightDecay, s, true, true, true, false); break;
    case MOMENTUM | FIRST | NESTEROV | L2: sgd(p, g, buf, n, negLr, momentum, omDampening, weightDecay, s, true, true, true, true); break;
    default: sgd(p, g, buf, n, negLr, momentum, omDampening, weightDecay, s, false, false, false, false);
  }
}

// @ts-ignore: decorator
@inline function sgd(
  p: usize, g: usize, buf: usize, n: i32, nlr: f32, mu: f32, omd: f32, wd: f32, s: u32,
  MOM: bool, FIRST: bool, NEST: bool, WD: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vnlr = f32x4.splat(nlr), vmu = f32x4.splat(mu), vomd = f32x4.splat(omd), vwd = f32x4.splat(wd);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      sgdAt<v128, v128>(p + o, g + o, buf + o, vnlr, vmu, vomd, vwd, vs, MOM, FIRST, NEST, WD);
      sgdAt<v128, v128>(p + o + 16, g + o + 16, buf + o + 16, vnlr, vmu, vomd, vwd, vs, MOM, FIRST, NEST, WD);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      sgdAt<v128, v128>(p + o, g + o, buf + o, vnlr, vmu, vomd, vwd, vs, MOM, FIRST, NEST, WD);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    sgdAt<f32, u32>(p + o, g + o, buf + o, nlr, mu, omd, wd, s, MOM, FIRST, NEST, WD);
  }
}

// @ts-ignore: decorator
@inline function sgdAt<T, S>(
  p: usize, g: usize, buf: usize, nlr: T, mu: T, omd: T, wd: T, s: S,
  MOM: bool, FIRST: bool, NEST: bool, WD: bool,
): void {
  const x = load<T>(p);
  let d = gradient<T, S>(g, s, x, wd, WD);
  if (MOM) {
    let b = d;
    if (!FIRST) b = lane.add(lane.mul(load<T>(buf), mu), lane.mul(omd, d));
    store<T>(buf, b);
    d = NEST ? lane.add(d, lane.mul(mu, b)) : b;
  }
  store<T>(p, lane.add(x, lane.mul(nlr, d)));
}
