// Adam, AdamW and AMSGrad (torch.optim.Adam / AdamW) in one pass. p, g, m (exp_avg), v (exp_avg_sq)
// and w (max_exp_avg_sq, touched only with ADAM_AMSGRAD) hold n f32 each, 16-byte aligned by the
// arena, and must not alias. Loops: 8 elements per iteration (two v128), then 4, then a scalar tail;
// nothing at or past n. Step count and bias corrections arrive as scalars (src/optim/adam.ts); the
// bias correction of √v comes as its reciprocal, so each lane costs one sqrt and one division.
// The Adam family's shared pass (adamFamily) lives here too: NAdam and RAdam run it with their
// own last step.

import { ADAM_AMSGRAD as AMSGRAD, ADAM_L2 as L2, ADAM_DECOUPLED as DECOUPLED } from "../../constants.gen";
import { lane } from "../lanes";
import { signMask, gradient, ema, emaSq } from "./common";

/**
 * d = (maximize ? -g : g) [+ weightDecay·p];  [decoupled: p = decay·p];
 * m = β₁m + (1−β₁)d;  v = β₂v + (1−β₂)d²;  [amsgrad: w = max(w, v), used for v];
 * p += negStepSize · m / (√v · invBc2Sqrt + eps).
 */
export function f32_adam_step(
  p: usize, g: usize, m: usize, v: usize, w: usize, n: i32,
  negStepSize: f32, beta1: f32, omBeta1: f32, beta2: f32, omBeta2: f32, invBc2Sqrt: f32, eps: f32,
  weightDecay: f32, decay: f32, flags: i32,
): void {
  adamFamily(
    changetype<Adam>(0), p, g, m, v, w, n, beta1, omBeta1, beta2, omBeta2, weightDecay, decay, negStepSize, invBc2Sqrt, eps, 0, 0,
    signMask(flags), (flags & AMSGRAD) != 0, (flags & L2) != 0, (flags & DECOUPLED) != 0,
  );
}

/** Adam's last step: [AMS: w = max(w, v), used for v]; p = x + ns · m / (√v · bc + eps). */
@final @unmanaged class Adam {
  // @ts-ignore: decorator
  @inline finish<T>(p: usize, w: usize, x: T, d: T, mm: T, vv: T, ns: T, bc: T, ep: T, _3: T, _4: T, AMS: bool): void {
    if (AMS) {
      vv = lane.max(load<T>(w), vv);
      store<T>(w, vv);
    }
    const den = lane.add(lane.mul(lane.sqrt(vv), bc), ep);
    store<T>(p, lane.add(x, lane.mul(ns, lane.div(mm, den))));
  }
}

/**
 * The Adam family's pass (Adam, NAdam, RAdam): for each element, d = the gradient [+ weightDecay·p
 * when l2]; [decoupled: x = decay·p]; m = β₁m + (1−β₁)d and v = β₂v + (1−β₂)d², both stored; then
 * `op.finish` (a final class with an @inline method) writes p, and w if it uses it, from x, d, m
 * and v. a0..a4 and `f` are the member's own scalars and switch, passed through unread (unused
 * ones as 0). A real function, instantiated once per member: the flags pick one of six loops
 * specialised at compile time (behind an @inline layer Binaryen would fold them into one loop
 * that selects per element). l2 wins over decoupled.
 */
export function adamFamily<Op>(
  op: Op, p: usize, g: usize, m: usize, v: usize, w: usize, n: i32,
  b1: f32, c1: f32, b2: f32, c2: f32, wd: f32, dk: f32, a0: f32, a1: f32, a2: f32, a3: f32, a4: f32,
  s: u32, f: bool, l2: bool, decoupled: bool,
): void {
  if (f) {
    if (l2) adamLoop(op, p, g, m, v, w, n, b1, c1, b2, c2, wd, dk, s, a0, a1, a2, a3, a4, true, true, false);
    else if (decoupled) adamLoop(op, p, g, m, v, w, n, b1, c1, b2, c2, wd, dk, s, a0, a1, a2, a3, a4, true, false, true);
    else adamLoop(op, p, g, m, v, w, n, b1, c1, b2, c2, wd, dk, s, a0, a1, a2, a3, a4, true, false, false);
  } else {
    if (l2) adamLoop(op, p, g, m, v, w, n, b1, c1, b2, c2, wd, dk, s, a0, a1, a2, a3, a4, false, true, false);
    else if (decoupled) adamLoop(op, p, g, m, v, w, n, b1, c1, b2, c2, wd, dk, s, a0, a1, a2, a3, a4, false, false, true);
    else adamLoop(op, p, g, m, v, w, n, b1, c1, b2, c2, wd, dk, s, a0, a1, a2, a3, a4, false, false, false);
  }
}

// @ts-ignore: decorator
@inline function adamLoop<Op>(
  op: Op, p: usize, g: usize, m: usize, v: usize, w: usize, n: i32,
  b1: f32, c1: f32, b2: f32, c2: f32, wd: f32, dk: f32, s: u32,
  a0: f32, a1: f32, a2: f32, a3: f32, a4: f32, F: bool, WD: bool, DEC: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = i32x4.splat(s), vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1), vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2);
    const vwd = f32x4.splat(wd), vdk = f32x4.splat(dk), v0 = f32x4.splat(a0), v1 = f32x4.splat(a1), v2 = f32x4.splat(a2);
    const v3 = f32x4.splat(a3), v4 = f32x4.splat(a4);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      adamAt<Op, v128, v128>(op, p + o, g + o, m + o, v + o, w + o, vb1, vc1, vb2, vc2, vwd, vdk, vs, v0, v1, v2, v3, v4, F, WD, DEC);
      const o2 = o + 16;
      adamAt<Op, v128, v128>(op, p + o2, g + o2, m + o2, v + o2, w + o2, vb1, vc1, vb2, vc2, vwd, vdk, vs, v0, v1, v2, v3, v4, F, WD, DEC);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      adamAt<Op, v128, v128>(op, p + o, g + o, m + o, v + o, w + o, vb1, vc1, vb2, vc2, vwd, vdk, vs, v0, v1, v2, v3, v4, F, WD, DEC);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    adamAt<Op, f32, u32>(op, p + o, g + o, m + o, v + o, w + o, b1, c1, b2, c2, wd, dk, s, a0, a1, a2, a3, a4, F, WD, DEC);
  }
}

// @ts-ignore: decorator
@inline function adamAt<Op, T, S>(
  op: Op, p: usize, g: usize, m: usize, v: usize, w: usize,
  b1: T, c1: T, b2: T, c2: T, wd: T, dk: T, s: S,
  a0: T, a1: T, a2: T, a3: T, a4: T, F: bool, WD: bool, DEC: bool,
): void {
  let x = load<T>(p);
  const d = gradient<T, S>(g, s, x, wd, WD);
  if (DEC) x = lane.mul(x, dk);
  const mm = ema(load<T>(m), b1, d, c1);
  const vv = emaSq(load<T>(v), b2, c2, d);
  store<T>(m, mm);
  store<T>(v, vv);
  // @ts-ignore: Op is a final class with an @inline finish<T>
  op.finish<T>(p, w, x, d, mm, vv, a0, a1, a2, a3, a4, F);
}
